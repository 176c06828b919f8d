package ai.caracal.bench.load;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationQuery;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.RedisRevocationStore;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.Claims;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.LiveConnections;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures what re-checking open connections costs (connectors.md §10.4): a {@link LiveConnections}
 * registry with 10 000 open connections, each with the three anchors of a delegated agent mandate
 * ({@code sid} = {@code root_sid}, {@code agent_session_id}, {@code delegation_edge_id}), re-checked every
 * 2 s (the default) against a {@link RedisRevocationStore} on a real Redis, under a key prefix of its own.
 * The connections are the registry's own (an end action that counts), so the figures are the re-check's
 * alone, without the transport of 10 000 HTTP streams. Reports store round trips per second, the time of one
 * batch, and the CPU of the registry's thread and of the process. Never run in CI.
 *
 * <p>Usage: {@code java -cp ... ai.caracal.bench.load.LiveRecheckCost [redis://127.0.0.1:6379] [connections] [seconds]}
 */
public final class LiveRecheckCost {

    private static final String ZONE = "zone_bench";
    private static final String AUDIENCE = "resource://documents";

    private LiveRecheckCost() {
    }

    /**
     * @param args optional Redis URL, number of connections (default 10 000) and seconds measured (default 60)
     * @throws Exception when Redis is unreachable
     */
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        String prefix = "caracal-live-cost-" + UUID.randomUUID().toString().substring(0, 8) + ":revoked:";
        RedisClient client = RedisClient.create(RedisURI.create(url));
        try (TestIssuer issuer = TestIssuer.start(ZONE, AUDIENCE);
             RedisRevocationStore redis = RedisRevocationStore.builder().client(client).keyPrefix(prefix).build()) {
            issuer.clock().set(Instant.now());
            CountingStore store = new CountingStore(redis);
            MandateVerifier verifier = issuer.verifier().clock(Clock.systemUTC()).revocations(redis).build();
            List<Claims> claims = new ArrayList<>(connections);
            for (int i = 0; i < connections; i++) {
                AuthResult verified = verifier.authenticate(issuer.mint().scope("tool:call").agentSession().delegationEdge()
                        .expiresIn(Duration.ofHours(2)).sign());
                if (!verified.ok()) {
                    throw new IllegalStateException("a fresh mandate was rejected: " + verified.error().code().wire());
                }
                claims.add(verified.principal());
            }
            int anchors = claims.stream().mapToInt(c -> c.anchors().size()).sum();
            AtomicInteger ended = new AtomicInteger();
            try (LiveConnections live = LiveConnections.builder().revocations(store).build()) {
                for (Claims c : claims) {
                    live.open(c, code -> ended.incrementAndGet());
                }
                Thread.sleep(10_000);

                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long thread = registryThread(threads);
                long calls0 = store.calls.get();
                long queries0 = store.queries.get();
                long storeNanos0 = store.nanos.get();
                long threadCpu0 = threads.getThreadCpuTime(thread);
                long processCpu0 = processCpuNanos();
                long wall0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                long wall = System.nanoTime() - wall0;
                long calls = store.calls.get() - calls0;
                long queries = store.queries.get() - queries0;
                long storeNanos = store.nanos.get() - storeNanos0;
                long threadCpu = threads.getThreadCpuTime(thread) - threadCpu0;
                long processCpu = processCpuNanos() - processCpu0;
                double wallSeconds = wall / 1e9;
                long passes = queries / connections;

                System.out.printf(Locale.ROOT, "connections %d, anchors %d, re-check interval %d ms, batch %d anchors, %d s measured%n",
                        connections, anchors, live.recheckInterval().toMillis(), LiveConnections.DEFAULT_BATCH_ANCHORS, seconds);
                System.out.printf(Locale.ROOT, "re-check passes %d (%.2f/s); store round trips (checkEach = one MGET) %d: %.1f/s, %.0f connections each%n",
                        passes, passes / wallSeconds, calls, calls / wallSeconds, (double) queries / calls);
                System.out.printf(Locale.ROOT, "time per round trip (1000-anchor MGET, caller's view) mean %.2f ms; store time per pass %.1f ms%n",
                        storeNanos / 1e6 / calls, storeNanos / 1e6 / Math.max(1, passes));
                System.out.printf(Locale.ROOT, "registry thread CPU %.1f ms per pass, %.2f %% of one core; process CPU %.2f %% of one core%n",
                        threadCpu / 1e6 / Math.max(1, passes), 100.0 * threadCpu / wall, 100.0 * processCpu / wall);
                System.out.println("connections ended while nothing was revoked: " + ended.get());

                String victim = claims.get(connections / 2).agentSessionId().orElseThrow();
                long revokedAt = System.nanoTime();
                redis.revoke(victim);
                while (ended.get() == 0 && System.nanoTime() - revokedAt < 10_000_000_000L) {
                    Thread.sleep(5);
                }
                System.out.printf(Locale.ROOT, "one agent session revoked: %d connection(s) ended, %.0f ms after the SET%n",
                        ended.get(), (System.nanoTime() - revokedAt) / 1e6);
            }
        } finally {
            try (StatefulRedisConnection<String, String> cleanup = client.connect()) {
                RedisCommands<String, String> commands = cleanup.sync();
                List<String> keys = new ArrayList<>();
                ScanIterator.scan(commands, ScanArgs.Builder.matches(prefix + "*").limit(500)).forEachRemaining(keys::add);
                if (!keys.isEmpty()) {
                    commands.del(keys.toArray(String[]::new));
                }
            }
            client.shutdown();
        }
    }

    private static long registryThread(ThreadMXBean threads) {
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().equals("caracal-live-connections")) {
                return info.getThreadId();
            }
        }
        throw new IllegalStateException("the registry's thread is not running");
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The Redis store, counting the batch checks, the queries in them and the time they take. */
    private static final class CountingStore implements RevocationStore {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong queries = new AtomicLong();
        final AtomicLong nanos = new AtomicLong();
        private final RevocationStore delegate;

        CountingStore(RevocationStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<RevocationCheck> checkEach(List<RevocationQuery> batch) {
            long start = System.nanoTime();
            try {
                return delegate.checkEach(batch);
            } finally {
                nanos.addAndGet(System.nanoTime() - start);
                calls.incrementAndGet();
                queries.addAndGet(batch.size());
            }
        }

        @Override
        public boolean isRevoked(String anchor) {
            return delegate.isRevoked(anchor);
        }

        @Override
        public void revoke(String anchor, Duration ttl) {
            delegate.revoke(anchor, ttl);
        }

        @Override
        public long currentDelegationEpoch(String zoneId) {
            return delegate.currentDelegationEpoch(zoneId);
        }

        @Override
        public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
            return delegate.advanceDelegationEpoch(zoneId, epoch, ttl);
        }
    }
}
