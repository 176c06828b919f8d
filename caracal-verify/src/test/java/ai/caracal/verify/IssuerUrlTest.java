package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** §3.2 issuer URL rules and the §3.1 JWKS URL. */
class IssuerUrlTest {

    @ParameterizedTest(name = "{0} is accepted unchanged")
    @ValueSource(strings = {
            "https://sts.example.com",
            "https://sts.example.com/",
            "https://sts.example.com:8443/tenant/a",
            "HTTPS://sts.example.com",
            "http://localhost",
            "http://LOCALHOST:4000",
            "http://127.0.0.1:8080",
            "http://127.255.10.3/sts",
            "http://[::1]:4000",
            "http://[0:0:0:0:0:0:0:1]"})
    @DisplayName("https URLs and http on loopback hosts are accepted and returned exactly as given")
    void secureOrLoopbackIssuerIsAccepted(String issuer) {
        assertThat(IssuerUrl.validate(issuer)).isEqualTo(issuer);
    }

    @ParameterizedTest(name = "{0} is rejected")
    @ValueSource(strings = {
            "http://sts.internal:8080",
            "http://10.0.0.1",
            "http://128.0.0.1",
            "http://127.0.0.1.nip.io",
            "http://localhost.evil.example",
            "http://[::2]"})
    @DisplayName("http on a host that only looks like loopback is rejected")
    void nonLoopbackHttpIsRejected(String issuer) {
        assumeFalse("true".equals(System.getenv(IssuerUrl.ALLOW_INSECURE_ENV)), "insecure issuers are allowed in this environment");
        assertThatThrownBy(() -> IssuerUrl.validate(issuer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(IssuerUrl.ALLOW_INSECURE_ENV);
    }

    static Stream<Arguments> malformedIssuers() {
        return Stream.of(
                Arguments.of(null, "issuer is required"),
                Arguments.of("", "issuer is required"),
                Arguments.of("   ", "issuer is required"),
                Arguments.of("https://sts.test/a b", "not a valid URL"),
                Arguments.of("ftp://x", "https://"),
                Arguments.of("issuer.example", "https://"),
                Arguments.of("//sts.test", "https://"),
                Arguments.of("mailto:ops@sts.test", "host"),
                Arguments.of("http:///jwks", "host"),
                Arguments.of("https://u@sts.test", "user information"),
                Arguments.of("https://sts.test?", "query"),
                Arguments.of("https://sts.test/#", "fragment"));
    }

    @ParameterizedTest(name = "{0} is rejected: {1}")
    @MethodSource("malformedIssuers")
    @DisplayName("a malformed issuer is rejected with a message naming the rule")
    void malformedIssuerIsRejected(String issuer, String rule) {
        assertThatThrownBy(() -> IssuerUrl.validate(issuer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(rule);
    }

    @Test
    @DisplayName("a rejected issuer's message does not repeat the URL or its secrets")
    void rejectionDoesNotLeakTheUrl() {
        assertThatThrownBy(() -> IssuerUrl.validate("https://admin:s3cr3t@sts.test/?token=t0k3n"))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t", "t0k3n", "admin", "sts.test"));
    }

    static Stream<Arguments> jwksUrls() {
        return Stream.of(
                Arguments.of("https://sts.test///", "zone-1", "https://sts.test/.well-known/jwks.json?zone_id=zone-1"),
                Arguments.of("https://sts.test/tenant/", null, "https://sts.test/tenant/.well-known/jwks.json"),
                Arguments.of("https://sts.test", "z\u00f6ne/1", "https://sts.test/.well-known/jwks.json?zone_id=z%C3%B6ne%2F1"));
    }

    @ParameterizedTest(name = "{0} + zone {1} -> {2}")
    @MethodSource("jwksUrls")
    @DisplayName("the JWKS URL drops every trailing slash, keeps the path and form-encodes the zone")
    void jwksUrlIsDerivedFromTheIssuer(String issuer, String zone, String expected) {
        assertThat(IssuerUrl.jwksUri(issuer, zone)).hasToString(expected);
    }
}
