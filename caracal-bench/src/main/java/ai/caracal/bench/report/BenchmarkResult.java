package ai.caracal.bench.report;

/**
 * One row of a JMH JSON result file.
 *
 * @param name           a readable label, for example {@code Caracal first-seen (bc)}
 * @param benchmark      the JMH benchmark name
 * @param microseconds   the score in µs/op
 * @param error          the score error (99.9 %) in µs/op
 * @param bytesPerOp     {@code gc.alloc.rate.norm} in bytes/op, or -1 when not measured
 */
record BenchmarkResult(String name, String benchmark, double microseconds, double error, double bytesPerOp) {
}
