package ai.caracal.bench.load;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.RedisRevocationStore;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.MandateVerifier;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures what the Redis revocation store adds to {@code authenticate}: the same repeat-mandate
 * verification with an in-memory store and with a {@link RedisRevocationStore} on a real Redis, from
 * two concurrent callers, reporting percentiles of each and of the added latency (the store's
 * {@code check}, the one round trip).
 *
 * <p>Usage: {@code java -cp ... ai.caracal.bench.load.RedisLatency [redis://127.0.0.1:6379] [calls per thread]}
 */
public final class RedisLatency {

    private static final int THREADS = 2;

    private RedisLatency() {
    }

    /**
     * @param args optional Redis URL and calls per thread
     * @throws Exception when Redis is unreachable
     */
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        RedisClient client = RedisClient.create(RedisURI.create(url));
        try (TestIssuer issuer = TestIssuer.start("zone_bench", "resource://documents");
             RedisRevocationStore redis = RedisRevocationStore.builder().client(client).build()) {
            String token = issuer.mint().agentSession().delegationEdge().graphEpoch(1).sign();
            awaitConnected(redis);
            Percentiles memory = run(issuer, new InMemoryRevocationStore(), token, calls);
            Percentiles withRedis = run(issuer, redis, token, calls);
            Percentiles checkOnly = runChecks(redis, calls);
            System.out.println("authenticate, in-memory store : " + memory.summary());
            System.out.println("authenticate, Redis store     : " + withRedis.summary());
            System.out.println("store.check alone (1 MGET)    : " + checkOnly.summary());
            System.out.printf(java.util.Locale.ROOT, "added by Redis at p99         : %.3f ms%n",
                    withRedis.millis(99) - memory.millis(99));
        } finally {
            client.shutdown();
        }
    }

    private static Percentiles run(TestIssuer issuer, RevocationStore store, String token, int calls) throws Exception {
        MandateVerifier verifier = issuer.verifier().revocations(store).build();
        verifier.authenticate(token);
        return concurrently(calls, () -> {
            if (!verifier.authenticate(token).ok()) {
                throw new IllegalStateException("mandate rejected during the measurement");
            }
        });
    }

    private static Percentiles runChecks(RevocationStore store, int calls) throws Exception {
        List<String> anchors = List.of("sid-bench", "root-bench", "agent-bench", "edge-bench");
        return concurrently(calls, () -> store.check(anchors, "zone_bench"));
    }

    private static Percentiles concurrently(int calls, Runnable call) throws Exception {
        for (int i = 0; i < 5_000; i++) {
            call.run();
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Percentiles>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Callable<Percentiles> worker = () -> {
                    Percentiles samples = new Percentiles(calls);
                    for (int i = 0; i < calls; i++) {
                        long start = System.nanoTime();
                        call.run();
                        samples.add(System.nanoTime() - start);
                    }
                    return samples;
                };
                futures.add(pool.submit(worker));
            }
            Percentiles all = new Percentiles(0);
            for (Future<Percentiles> future : futures) {
                all = all.merge(future.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitConnected(RevocationStore store) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            try {
                store.advanceDelegationEpoch("zone_bench_ready", 0);
                return;
            } catch (RuntimeException notYet) {
                Thread.sleep(10);
            }
        }
        throw new IllegalStateException("Redis did not answer");
    }
}
