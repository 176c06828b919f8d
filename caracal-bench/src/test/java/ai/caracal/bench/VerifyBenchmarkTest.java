package ai.caracal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Harness check: the benchmark's set-up yields a mandate both benchmarks accept. */
class VerifyBenchmarkTest {

    @Test
    void bothBenchmarksVerifyTheMandate() {
        VerifyBenchmark benchmark = new VerifyBenchmark();
        benchmark.setUp();
        try {
            assertThat(benchmark.firstSeen().ok()).isTrue();
            assertThat(benchmark.repeat().ok()).isTrue();
            assertThat(benchmark.repeat().principal()).isSameAs(benchmark.repeat().principal());
        } finally {
            benchmark.tearDown();
        }
    }
}
