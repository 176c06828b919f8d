package ai.caracal.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The benchmarks' operations timed in CPU time of the calling thread (and bytes allocated by it), for a
 * busy host where JMH's wall-clock scores mostly measure the wait for a CPU. Each operation runs in
 * rounds after a warm-up (at least 10 s); the median round is reported as a Markdown table. GC work done on other
 * threads is not counted, so read the allocation column next to it.
 *
 * <p>Usage: {@code java -cp "caracal-bench/target/caracal-bench.jar:caracal-bench/target/lib/*"
 * ai.caracal.bench.CpuTimePerCall [engine ...]} (default: tables bc accp conscrypt), or {@code async} alone for the
 * blocking and asynchronous forms of {@link AsyncVerifyBenchmark} side by side.
 */
public final class CpuTimePerCall {

    private static final int ROUNDS = 9;
    private static final long WARMUP_NANOS = 10_000_000_000L;

    private CpuTimePerCall() {
    }

    /**
     * @param args the engines to time
     * @throws Exception when a benchmark set-up fails
     */
    public static void main(String[] args) throws Exception {
        List<String> engines = args.length > 0 ? List.of(args) : List.of("tables", "bc", "accp", "conscrypt");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<String> rows = new ArrayList<>();
        boolean asyncOnly = engines.equals(List.of("async"));
        if (asyncOnly) {
            AsyncVerifyBenchmark async = new AsyncVerifyBenchmark();
            async.setUp();
            rows.add(row(threads, "repeat, blocking authenticate", 50_000, () -> async.repeatBlocking().ok()));
            rows.add(row(threads, "repeat, authenticateAsync", 50_000, () -> async.repeatAsync().ok()));
            rows.add(row(threads, "first-seen, blocking authenticate", 2_000, () -> async.firstSeenBlocking().ok()));
            rows.add(row(threads, "first-seen, authenticateAsync", 2_000, () -> async.firstSeenAsync().ok()));
            async.tearDown();
        }
        for (String engine : asyncOnly ? List.<String>of() : engines) {
            VerifyBenchmark verify = new VerifyBenchmark();
            verify.provider = engine;
            verify.setUp();
            rows.add(row(threads, "Caracal first-seen (" + engine + ")", 2_000, () -> verify.firstSeen().ok()));
            rows.add(row(threads, "Caracal repeat (" + engine + ")", 50_000, () -> verify.repeat().ok()));
            verify.tearDown();
            RawVerifyBenchmark raw = new RawVerifyBenchmark();
            raw.provider = engine;
            raw.setUp();
            rows.add(row(threads, "raw P-256 verify (" + engine + ")", 2_000, () -> {
                try {
                    return raw.verify();
                } catch (java.security.GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }));
            raw.tearDown();
        }
        if (!asyncOnly) {
            AlternativesBenchmark alternatives = new AlternativesBenchmark();
            alternatives.setUp();
            rows.add(row(threads, "Spring Security NimbusJwtDecoder (JDK)", 200, () -> alternatives.springNimbusJwtDecoder() != null));
            alternatives.tearDown();
        }
        System.out.println("JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs; median of "
                + ROUNDS + " rounds after warm-up\n");
        System.out.println("| Operation | µs CPU/op | bytes allocated/op |\n|---|---:|---:|");
        rows.forEach(System.out::println);
        System.exit(0);
    }

    private static String row(com.sun.management.ThreadMXBean threads, String name, int perRound, BooleanSupplier operation) {
        long thread = Thread.currentThread().getId();
        // warm-up by count and by time: on a busy host the JIT compiler threads wait for a CPU too
        long warmUntil = System.nanoTime() + WARMUP_NANOS;
        for (int i = 0; i < perRound * 3 || System.nanoTime() < warmUntil; i++) {
            check(operation, name);
        }
        double[] micros = new double[ROUNDS];
        double[] bytes = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long allocated = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < perRound; i++) {
                check(operation, name);
            }
            micros[round] = (threads.getCurrentThreadCpuTime() - cpu) / 1_000.0 / perRound;
            bytes[round] = (threads.getThreadAllocatedBytes(thread) - allocated) / (double) perRound;
        }
        Arrays.sort(micros);
        Arrays.sort(bytes);
        return String.format(Locale.ROOT, "| %s | %.1f | %,.0f |", name, micros[ROUNDS / 2], bytes[ROUNDS / 2]);
    }

    private static void check(BooleanSupplier operation, String name) {
        if (!operation.getAsBoolean()) {
            throw new IllegalStateException(name + " rejected the benchmark mandate");
        }
    }
}
