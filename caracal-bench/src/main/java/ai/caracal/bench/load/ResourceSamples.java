package ai.caracal.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap used after a full collection and the live thread count, sampled during the soak, and the two
 * flatness rules applied to the samples taken after the warm-up:
 *
 * <ul>
 *   <li>heap: the median of the last third is at most the median of the first third plus
 *       max({@value #HEAP_SLACK_MB} MB, {@value #HEAP_SLACK_PERCENT} %);</li>
 *   <li>threads: no sample exceeds the first one after the warm-up by more than {@value #THREAD_SLACK}
 *       plus the requests in flight at most (the servlet container may add a worker for each; its pool is
 *       bounded and retires idle workers, while a leak grows with the requests, thousands in a run).</li>
 * </ul>
 *
 * <p>Each sample calls {@link System#gc()} (a full, stop-the-world collection with G1 unless
 * {@code -XX:+ExplicitGCInvokesConcurrent}), so "heap used" is the live set, not garbage. Thread-safe.
 */
final class ResourceSamples {

    static final long HEAP_SLACK_MB = 16;
    static final long HEAP_SLACK_PERCENT = 20;
    static final int THREAD_SLACK = 2;

    /**
     * One sample.
     *
     * @param seconds     since the start of the run
     * @param heapUsedMb  heap used after a full GC, MB
     * @param threads     live threads
     * @param afterWarmUp whether the rules apply to it
     */
    record Sample(double seconds, double heapUsedMb, int threads, boolean afterWarmUp) {
    }

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    private final List<Sample> samples = new ArrayList<>();
    private final long startNanos;
    private final long warmUpNanos;
    private final int requestsInFlight;

    ResourceSamples(long startNanos, long warmUpNanos, int requestsInFlight) {
        this.startNanos = startNanos;
        this.warmUpNanos = warmUpNanos;
        this.requestsInFlight = requestsInFlight;
    }

    /** @return the new sample, after a full GC */
    Sample sample() {
        int threads = threadBean.getThreadCount();
        System.gc();
        double heap = memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
        long elapsed = System.nanoTime() - startNanos;
        Sample sample = new Sample(elapsed / 1e9, heap, threads, elapsed >= warmUpNanos);
        add(sample);
        return sample;
    }

    synchronized void add(Sample sample) {
        samples.add(sample);
    }

    synchronized List<Sample> all() {
        return List.copyOf(samples);
    }

    synchronized List<Sample> afterWarmUp() {
        return samples.stream().filter(Sample::afterWarmUp).toList();
    }

    /** @return median heap of the first third after the warm-up, MB */
    double heapFirstThirdMb() {
        List<Sample> after = afterWarmUp();
        return median(after.subList(0, third(after)));
    }

    /** @return median heap of the last third after the warm-up, MB */
    double heapLastThirdMb() {
        List<Sample> after = afterWarmUp();
        return median(after.subList(after.size() - third(after), after.size()));
    }

    double heapLimitMb() {
        double first = heapFirstThirdMb();
        return first + Math.max(HEAP_SLACK_MB, first * HEAP_SLACK_PERCENT / 100.0);
    }

    boolean heapFlat() {
        return afterWarmUp().size() >= 3 && heapLastThirdMb() <= heapLimitMb();
    }

    int threadsBaseline() {
        List<Sample> after = afterWarmUp();
        return after.isEmpty() ? 0 : after.get(0).threads();
    }

    int threadsMax() {
        return afterWarmUp().stream().mapToInt(Sample::threads).max().orElse(0);
    }

    int threadsLast() {
        List<Sample> after = afterWarmUp();
        return after.isEmpty() ? 0 : after.get(after.size() - 1).threads();
    }

    int threadsLimit() {
        return threadsBaseline() + THREAD_SLACK + requestsInFlight;
    }

    boolean threadsFlat() {
        return !afterWarmUp().isEmpty() && threadsMax() <= threadsLimit();
    }

    private static int third(List<Sample> samples) {
        return Math.max(1, samples.size() / 3);
    }

    private static double median(List<Sample> samples) {
        double[] heap = samples.stream().mapToDouble(Sample::heapUsedMb).sorted().toArray();
        if (heap.length == 0) {
            return Double.NaN;
        }
        return heap.length % 2 == 1 ? heap[heap.length / 2] : (heap[heap.length / 2 - 1] + heap[heap.length / 2]) / 2;
    }
}
