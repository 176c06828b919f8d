package ai.caracal.bench.load;

import ai.caracal.revocation.redis.RedisRevocationStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a revocation check costs when many requests check at once, as a reactive server does: {@code
 * concurrency} callers each issue {@code checkAsync} again as soon as the previous answer arrives, for
 * {@code seconds}. Prints checks per second, this process's CPU time per check, and Redis's own CPU time
 * per check and {@code MGET}s per check (from {@code INFO commandstats}); the CPU figures hold on a busy
 * machine, where throughput does not. Keys are under a prefix of their own, never revoked.
 *
 * <pre>
 * java -cp "caracal-bench/target/caracal-bench.jar:caracal-bench/target/lib/*" \
 *     ai.caracal.bench.load.AsyncCheckCost redis://127.0.0.1:6379 32 20
 * </pre>
 */
public final class AsyncCheckCost {

    private static final LongAdder FAILED = new LongAdder();

    private AsyncCheckCost() {
    }

    /**
     * @param args Redis URL, concurrency (default 32), seconds (default 20)
     * @throws Exception when Redis cannot be reached
     */
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        RedisClient client = RedisClient.create(RedisURI.create(url));
        try (StatefulRedisConnection<String, String> admin = client.connect();
             RedisRevocationStore store = RedisRevocationStore.builder().client(client)
                     .keyPrefix("caracal-bench:async-check:").warnOnUnsafeEviction(false).build()) {
            List<String> anchors = List.of("session-1", "agent-session-1", "edge-1");
            run(store, anchors, concurrency, 5);   // warm-up
            long[] before = mget(admin);
            long cpuBefore = processCpuNanos();
            FAILED.reset();
            long checks = run(store, anchors, concurrency, seconds);
            if (FAILED.sum() > 0) {
                System.out.printf("%d of %d checks failed closed (Redis did not answer in time)%n", FAILED.sum(), checks);
            }
            long cpu = processCpuNanos() - cpuBefore;
            long[] after = mget(admin);
            System.out.printf("concurrency %d, %d s: %.0f checks/s; client CPU %.1f µs/check; Redis: %.3f MGET/check, "
                    + "%.2f µs CPU/check%n", concurrency, seconds, checks / (double) seconds, cpu / 1000.0 / checks,
                    (after[0] - before[0]) / (double) checks, (after[1] - before[1]) / (double) checks);
        } finally {
            client.shutdown();
        }
    }

    private static long run(RedisRevocationStore store, List<String> anchors, int concurrency, int seconds)
            throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            loop(store, anchors, "zone-" + (i % 2), done, stop, finished);
        }
        TimeUnit.SECONDS.sleep(seconds);
        stop.set(true);
        finished.await(10, TimeUnit.SECONDS);
        return done.sum();
    }

    private static void loop(RedisRevocationStore store, List<String> anchors, String zone, LongAdder done,
            AtomicBoolean stop, CountDownLatch finished) {
        store.checkAsync(anchors, zone).whenComplete((answer, failure) -> {
            if (failure != null || answer.unavailable()) {
                FAILED.increment();
            }
            done.increment();
            if (stop.get()) {
                finished.countDown();
            } else {
                loop(store, anchors, zone, done, stop, finished);
            }
        });
    }

    /** @return {calls, usec} of {@code MGET} so far */
    private static long[] mget(StatefulRedisConnection<String, String> admin) {
        for (String line : admin.sync().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_mget:")) {
                String[] fields = line.substring("cmdstat_mget:".length()).split(",");
                return new long[] {Long.parseLong(fields[0].substring("calls=".length())),
                    Long.parseLong(fields[1].substring("usec=".length()))};
            }
        }
        return new long[] {0, 0};
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
