package ai.caracal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

/**
 * Guards the two test runs: each must really run on the Spring Boot line its module names (surefire
 * sets {@code caracal.expected-boot-line}), with the matching Spring Framework.
 */
class BootLineTest {

    @Test
    void testsRunOnTheExpectedSpringBootLine() {
        String expected = System.getProperty("caracal.expected-boot-line");
        assertThat(expected).as("system property caracal.expected-boot-line").isNotBlank();
        assertThat(SpringBootVersion.getVersion()).startsWith(expected);
        assertThat(SpringVersion.getVersion()).startsWith(expected.startsWith("4.") ? "7." : "6.");
    }
}
