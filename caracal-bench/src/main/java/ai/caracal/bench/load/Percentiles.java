package ai.caracal.bench.load;

import java.util.Arrays;
import java.util.Locale;

/** Latency samples in nanoseconds and their percentiles. Not thread-safe; one per recording thread. */
final class Percentiles {

    private long[] samples;
    private int count;

    Percentiles(int capacity) {
        samples = new long[capacity];
    }

    void add(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        samples[count++] = nanos;
    }

    Percentiles merge(Percentiles other) {
        Percentiles merged = new Percentiles(count + other.count);
        System.arraycopy(samples, 0, merged.samples, 0, count);
        System.arraycopy(other.samples, 0, merged.samples, count, other.count);
        merged.count = count + other.count;
        return merged;
    }

    int count() {
        return count;
    }

    /** @return the {@code p}-th percentile (0–100) in milliseconds */
    double millis(double p) {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(p / 100.0 * count) - 1));
        return sorted[index] / 1_000_000.0;
    }

    String summary() {
        return String.format(Locale.ROOT, "n=%d p50=%.3f ms p90=%.3f ms p99=%.3f ms max=%.3f ms",
                count, millis(50), millis(90), millis(99), millis(100));
    }
}
