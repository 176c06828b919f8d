package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.TestJson;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * verification.md §4, {@code nbf} is any JSON number: {@link Claims#notBefore()} for values far below a
 * nanosecond or outside the {@link Instant} range. Found by {@code ClaimsParserFuzzTest#payload}:
 * {@code 1E-999999999} made {@code notBefore()} compute {@code 10^999999999} and throw.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class NotBeforeExtremesTest {

    static Stream<Arguments> extremes() {
        return Stream.of(
                Arguments.of("1E-999999999", Instant.EPOCH),
                Arguments.of("-4.5E-999999999", Instant.ofEpochSecond(-1, 999_999_999)),
                Arguments.of("0E-999999999", Instant.EPOCH),
                Arguments.of("1E-9", Instant.ofEpochSecond(0, 1)),
                Arguments.of("1.5E-10", Instant.EPOCH),
                Arguments.of("-1e30", Instant.MIN),
                Arguments.of("1799999999.999999999999", Instant.ofEpochSecond(1_799_999_999L, 999_999_999)));
    }

    @ParameterizedTest(name = "nbf {0}: ok, notBefore() = {1}")
    @MethodSource("extremes")
    void extremeNotBeforeValuesAreAcceptedAndFloorToTheNanosecond(String nbf, Instant expected, TestIssuer issuer) {
        var mandate = issuer.mint();
        String payload = TestJson.write(mandate.claims());
        String token = mandate.rawPayload(payload.substring(0, payload.length() - 1) + ",\"nbf\":" + nbf + "}").sign();

        AuthResult result = issuer.verifier().build().authenticate(token);

        assertThat(result).isOk();
        assertThat(result.principal().notBefore()).contains(expected);
    }
}
