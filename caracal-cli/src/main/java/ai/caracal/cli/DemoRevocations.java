package ai.caracal.cli;

import ai.caracal.devsts.DevSts;
import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.revocation.redis.RedisRevocations;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Where the demo's revocations live, and how the dev STS reaches them: an {@link InMemoryRevocationStore}
 * that the dev STS writes directly, or (with {@code --redis}) a {@link RedisRevocations} set-up whose
 * consumers apply the events the dev STS publishes onto the real streams {@code caracal.sessions.revoke}
 * and {@code caracal.delegations.invalidate}. {@link #close()} closes the Redis set-up it started.
 */
final class DemoRevocations implements AutoCloseable {

    /** How long the demo waits for Redis at start, and for the consumer to apply each event. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private final RevocationStore store;
    private final RedisRevocations redis;
    private final String redisUrl;

    private DemoRevocations(RevocationStore store, RedisRevocations redis, String redisUrl) {
        this.store = store;
        this.redis = redis;
        this.redisUrl = redisUrl;
    }

    static DemoRevocations inMemory() {
        return new DemoRevocations(new InMemoryRevocationStore(), null, null);
    }

    /**
     * Starts the Redis store and both stream consumers under a unique consumer name, and waits (at most
     * {@link #WAIT}) until the store answers.
     *
     * @throws IllegalStateException when Redis does not answer in time
     */
    static DemoRevocations redis(String url, String zone) throws InterruptedException {
        String consumer = "caracal-demo-" + RedisRevocations.defaultConsumerName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        RedisRevocations redis = RedisRevocations.start(url, consumer, null);
        DemoRevocations revocations = new DemoRevocations(redis.store(), redis, url);
        if (!poll(() -> answers(redis.store(), zone))) {
            revocations.close();
            RedisURI uri = RedisURI.create(url);
            throw new IllegalStateException("cannot reach Redis at " + uri.getHost() + ":" + uri.getPort()
                    + " within " + WAIT.toSeconds() + " s");
        }
        return revocations;
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
    }
}
