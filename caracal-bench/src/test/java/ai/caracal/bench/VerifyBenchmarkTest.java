package ai.caracal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Harness checks: each benchmark's set-up yields work that really verifies the mandate. */
class VerifyBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"tables", "bc", "accp", "conscrypt", "jdk"})
    void caracalVerifiesWithEveryProvider(String provider) {
        VerifyBenchmark benchmark = new VerifyBenchmark();
        benchmark.provider = provider;
        benchmark.setUp();
        try {
            assertThat(benchmark.firstSeen().ok()).isTrue();
            assertThat(benchmark.repeat().ok()).isTrue();
        } finally {
            benchmark.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tables", "bc", "accp", "conscrypt", "jdk"})
    void rawFloorVerifies(String provider) throws Exception {
        RawVerifyBenchmark benchmark = new RawVerifyBenchmark();
        benchmark.provider = provider;
        benchmark.setUp();
        try {
            assertThat(benchmark.verify()).isTrue();
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void alternativesAcceptTheSameMandate() throws Exception {
        AlternativesBenchmark benchmark = new AlternativesBenchmark();
        benchmark.setUp();
        try {
            assertThat(benchmark.springNimbusJwtDecoder().getSubject()).isEqualTo("user-1");
            assertThat(benchmark.jose4jJwtConsumer()).isNotNull();
        } finally {
            benchmark.tearDown();
        }
    }
}
