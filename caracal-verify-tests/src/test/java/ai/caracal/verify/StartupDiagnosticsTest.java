package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.logging.LogCapture;
import java.net.ServerSocket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * devtools.md D18 at the verifier: what {@code warmup()} says when the key set cannot be fetched (the
 * URL and the issuer's answer, on one line), and the WARN a misspelt issuer gets at the default level.
 */
@CaracalTest
@DisplayName("Start-up diagnostics (devtools.md D18)")
class StartupDiagnosticsTest {

    @Test
    @DisplayName("warmup() against a refusal names the URL, the status and the issuer's error")
    void warmupNamesTheUrlAndTheAnswer(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        issuer.jwks().failWith(503);

        assertThatThrownBy(verifier::warmup).isInstanceOf(JwksUnavailableException.class)
                .hasMessage("JWKS " + verifier.options().jwksUri() + " answered 503 injected");
    }

    @Test
    @DisplayName("a 400 to the zone-less URL says how to fix it: set CARACAL_ZONE_ID")
    void aRefusedZonelessUrlAsksForTheZone(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().zoneId(null).build();
        issuer.jwks().failWith(400);

        assertThatThrownBy(verifier::warmup).isInstanceOf(JwksUnavailableException.class)
                .hasMessage("JWKS " + issuer.url() + "/.well-known/jwks.json answered 400 injected;"
                        + " no zone is configured: set CARACAL_ZONE_ID");
    }

    @Test
    @DisplayName("a 400 to a zone's URL does not blame the zone setting")
    void aRefusedZoneUrlDoesNotAskForTheZone(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        issuer.jwks().failWith(400);

        assertThatThrownBy(verifier::warmup).hasMessageNotContaining("CARACAL_ZONE_ID");
    }

    @Test
    @DisplayName("an issuer nobody listens on: the URL and the connection failure")
    void unreachableIssuer(TestIssuer issuer) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        MandateVerifier verifier = issuer.verifier().issuer("http://127.0.0.1:" + port).build();

        assertThatThrownBy(verifier::warmup).isInstanceOf(JwksUnavailableException.class)
                .hasMessageStartingWith("JWKS http://127.0.0.1:" + port + "/.well-known/jwks.json?zone_id=" + issuer.zone()
                        + " failed: ConnectException");
    }

    @Test
    @DisplayName("a key set fetched then refused: checkSignature's failure names the last answer too")
    void checkSignatureNamesTheAnswer(TestIssuer issuer) {
        JwksCache cache = JwksCache.builder().clock(issuer.clock()).build();
        issuer.jwks().failWith(500);

        assertThatThrownBy(() -> cache.checkSignature(issuer.url(), issuer.zone(), issuer.mint().sign()))
                .isInstanceOf(JwksUnavailableException.class)
                .hasMessage("JWKS " + issuer.jwksUrl() + " answered 500 injected");
    }

    @Test
    @DisplayName("localhost for 127.0.0.1: mandates signed with the issuer's keys are rejected, with one WARN naming the configured issuer")
    void aMisspeltIssuerIsSaidOnceAtWarn(TestIssuer issuer) {
        String misspelt = issuer.url().replace("127.0.0.1", "localhost");
        MandateVerifier verifier = issuer.verifier().issuer(misspelt).build();
        String token = issuer.mint().sign();
        java.util.List<String> warnings;
        try (LogCapture log = LogCapture.of("ai.caracal.verify")) {
            assertThat(verifier.authenticate(token)).failedWith(ErrorCode.INVALID_TOKEN);
            assertThat(verifier.authenticate(token)).failedWith(ErrorCode.INVALID_TOKEN);
            warnings = log.warnings();
        }

        assertThat(warnings).singleElement().asString().contains("issuer " + misspelt + " name another iss")
                .contains("localhost is not 127.0.0.1").doesNotContain(token.split("\\.")[1]);
    }

    @Test
    @DisplayName("a forged iss without a valid signature is no configuration problem: no WARN")
    void aForeignIssuerWithoutTheKeysIsNotWarned(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        long warnings;
        try (LogCapture log = LogCapture.of("ai.caracal.verify")) {
            assertThat(verifier.authenticate(issuer.mint().claim("iss", "https://other.example").foreignKey().sign()))
                    .failedWith(ErrorCode.INVALID_TOKEN);
            warnings = log.warnings().size();
        }

        assertThat(warnings).isZero();
    }
}
