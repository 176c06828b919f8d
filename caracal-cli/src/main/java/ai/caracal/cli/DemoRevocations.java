package ai.caracal.cli;

import ai.caracal.devsts.DevSts;
import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.revocation.redis.DelegationInvalidationConsumer;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.revocation.redis.RedisRevocations;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the demo's revocations live, and how the dev STS reaches them: an {@link InMemoryRevocationStore}
 * that the dev STS writes directly, or (with {@code --redis}) a {@link RedisRevocations} set-up whose
 * consumers apply the events the dev STS publishes onto the real streams {@code caracal.sessions.revoke}
 * and {@code caracal.delegations.invalidate}. {@link #close()} closes the Redis set-up it started.
 *
 * <p>With Redis the demo keeps to itself (state.md S70). Its consumers read through a group of their own,
 * {@code caracal-demo-<id>}, created at the streams' ends ({@code $}): they never join the production
 * groups (where they would take, and acknowledge, entries meant for the production consumers) and never
 * replay the streams' history. Its store writes under a key prefix of its own, {@code caracal:demo:<id>:},
 * so that its unsigned consumers cannot apply anything into the keys production reads. {@link #close()}
 * destroys both groups and deletes every key under that prefix, the groups' policy records included;
 * only the events the demo published stay on the streams, for any production consumer to apply.
 */
final class DemoRevocations implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoRevocations.class);
    private static final List<String> STREAMS =
            List.of(RedisRevocationConsumer.DEFAULT_STREAM, DelegationInvalidationConsumer.DEFAULT_STREAM);

    /** How long the demo waits for Redis at start, and for the consumer to apply each event. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private final RevocationStore store;
    private final RedisRevocations redis;
    private final String redisUrl;
    /** The demo's own group and key prefix, removed again by {@link #close()}; {@code null} in memory. */
    private final Isolation isolation;

    private DemoRevocations(RevocationStore store, RedisRevocations redis, String redisUrl, Isolation isolation) {
        this.store = store;
        this.redis = redis;
        this.redisUrl = redisUrl;
        this.isolation = isolation;
    }

    static DemoRevocations inMemory() {
        return new DemoRevocations(new InMemoryRevocationStore(), null, null, null);
    }

    /**
     * Creates the demo's own groups at the ends of both streams, then starts the Redis store (under the
     * demo's own key prefix) and both stream consumers in those groups under a unique consumer name, and
     * waits (at most {@link #WAIT}) until the store answers.
     *
     * @throws IllegalStateException when Redis does not answer in time
     */
    static DemoRevocations redis(String url, String zone) throws InterruptedException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String consumer = "caracal-demo-" + RedisRevocations.defaultConsumerName() + "-" + id;
        Isolation isolation = new Isolation(url, "caracal-demo-" + id, "caracal:demo:" + id + ":");
        if (!poll(isolation::createGroups)) {
            isolation.close();
            throw unreachable(url);
        }
        RedisRevocations redis = RedisRevocations.builder(url).consumerName(consumer)
                .consumerGroup(isolation.group).keyPrefix(isolation.keyPrefix).start();
        DemoRevocations revocations = new DemoRevocations(redis.store(), redis, url, isolation);
        if (!poll(() -> answers(redis.store(), zone))) {
            revocations.close();
            throw unreachable(url);
        }
        return revocations;
    }

    private static IllegalStateException unreachable(String url) {
        RedisURI uri = RedisURI.create(url);
        return new IllegalStateException("cannot reach Redis at " + uri.getHost() + ":" + uri.getPort()
                + " within " + WAIT.toSeconds() + " s");
    }

    /**
     * Raising the epoch to 0 never writes, but throws while Redis is unreachable; unlike a read, it logs
     * no fail-closed warning while the client is still connecting.
     */
    private static boolean answers(RevocationStore store, String zone) {
        try {
            store.advanceDelegationEpoch(zone, 0);
            return true;
        } catch (RevocationStoreException notYet) {
            return false;
        }
    }

    RevocationStore store() {
        return store;
    }

    /** @return {@code in-memory} or {@code redis}, for the table's header */
    String label() {
        return redis == null ? "in-memory" : "redis";
    }

    /** @return {@code sts} writing to the in-memory store, or only publishing to Redis */
    DevSts.Builder attachTo(DevSts.Builder sts) {
        return redis == null ? sts.revocations(store) : sts.redis(redisUrl);
    }

    /** @return the store's current epoch for the zone, or 0 when it cannot say */
    long epoch(String zone) {
        long epoch = store.currentDelegationEpoch(zone);
        return epoch == Long.MAX_VALUE ? 0 : epoch;
    }

    /** @return whether the anchor reads as revoked within {@link #WAIT} */
    boolean awaitRevoked(String anchor) throws InterruptedException {
        return poll(() -> store.isRevoked(anchor));
    }

    /** @return whether the zone's epoch reaches {@code epoch} within {@link #WAIT} */
    boolean awaitEpoch(String zone, long epoch) throws InterruptedException {
        return poll(() -> {
            long current = store.currentDelegationEpoch(zone);
            return current >= epoch && current != Long.MAX_VALUE;
        });
    }

    private static boolean poll(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
        if (isolation != null) {
            isolation.removeAll();
            isolation.close();
        }
    }

    /** The demo's own consumer group and key prefix on a Redis, on an admin connection of its own. */
    private static final class Isolation implements AutoCloseable {
        final String group;
        final String keyPrefix;
        private final RedisClient client;
        private StatefulRedisConnection<String, String> connection;

        Isolation(String url, String group, String keyPrefix) {
            RedisURI uri = RedisURI.create(url);
            uri.setTimeout(WAIT);
            this.client = RedisClient.create(uri);
            this.group = group;
            this.keyPrefix = keyPrefix;
        }

        /** @return {@code true} once both groups exist at the streams' ends; {@code false} while Redis is unreachable */
        boolean createGroups() {
            try {
                if (connection == null) {
                    connection = client.connect();
                }
                for (String stream : STREAMS) {
                    try {
                        connection.sync().xgroupCreate(StreamOffset.latest(stream), group, XGroupCreateArgs.Builder.mkstream());
                    } catch (RedisException e) {
                        if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                            throw e;
                        }
                    }
                }
                return true;
            } catch (RedisException notYet) {
                return false;
            }
        }

        /** Destroys both groups and deletes every key under the prefix; the demo must leave nothing behind. */
        void removeAll() {
            if (connection == null) {
                return;
            }
            try {
                RedisCommands<String, String> redis = connection.sync();
                for (String stream : STREAMS) {
                    redis.xgroupDestroy(stream, group);
                }
                List<String> keys = new ArrayList<>();
                ScanArgs match = ScanArgs.Builder.matches(keyPrefix + "*").limit(1000);
                KeyScanCursor<String> cursor = redis.scan(match);
                keys.addAll(cursor.getKeys());
                while (!cursor.isFinished()) {
                    cursor = redis.scan(cursor, match);
                    keys.addAll(cursor.getKeys());
                }
                if (!keys.isEmpty()) {
                    redis.del(keys.toArray(String[]::new));
                }
            } catch (RedisException e) {
                log.warn("Could not remove the demo's consumer group {} and keys {}* from Redis: {}", group, keyPrefix,
                        e.getMessage());
            }
        }

        @Override
        public void close() {
            if (connection != null) {
                connection.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
