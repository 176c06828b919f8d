/**
 * JMH benchmarks of mandate verification. Results and how to reproduce them are in
 * {@code docs/PERFORMANCE.md}.
 */
package ai.caracal.bench;
