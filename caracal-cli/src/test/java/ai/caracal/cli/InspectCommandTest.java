package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** devtools.md §3.6. */
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class InspectCommandTest {

    @Test
    @DisplayName("decodes header, claims, times, anchors and scopes under the UNVERIFIED banner")
    void decodesWithoutVerifying(TestIssuer issuer) {
        issuer.clock().set(Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.SECONDS));
        Instant iat = issuer.clock().instant();
        String token = issuer.mint().sid("sid-1").rootSid("root-1").agentSession("agent-1").scope("tool:call", "read").sign();

        CliRun run = CliRun.run("inspect", token);

        assertThat(run.exitCode()).isZero();
        String[] lines = run.out().split("\\R");
        assertThat(lines[0]).isEqualTo("UNVERIFIED \u2014 decoded only");
        assertThat(run.out()).contains("\"alg\" : \"ES256\"", "\"kid\" : \"k1\"", "\"sub\" : \"user-1\"",
                "  exp  " + iat.plusSeconds(600) + " (expired 50m", "  iat  " + iat + " (1h 0m ago)",
                "anchors: sid=sid-1 root_sid=root-1 agent_session_id=agent-1", "scopes: tool:call read");
        assertThat(run.out()).doesNotContain(token).doesNotContain("signature:");
        assertThat(issuer.jwks().requests()).isZero();
    }

    @Test
    @DisplayName("--output json prints verified=false, the header and the claims")
    void jsonOutput(TestIssuer issuer) {
        String token = issuer.mint().jti("j-1").sign();

        CliRun run = CliRun.run("inspect", "--output", "json", token);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("{\"verified\":false,\"header\":{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"k1\"},\"claims\":{")
                .contains("\"jti\":\"j-1\"");
    }

    @Test
    @DisplayName("--verify-signature opens with the valid signature and its kid (never UNVERIFIED) and sets verified=true")
    void validSignature(TestIssuer issuer) {
        String token = issuer.mint().sign();

        CliRun text = CliRun.run("inspect", "--verify-signature", "--issuer", issuer.url(), "--zone", "zone_dev", token);
        CliRun json = CliRun.run("inspect", "--verify-signature", "--issuer", issuer.url(), "--zone", "zone_dev",
                "--output", "json", token);

        assertThat(text.exitCode()).isZero();
        assertThat(text.out().lines().findFirst()).hasValue(
                "SIGNATURE VALID (kid k1) \u2014 claims not checked (caracal verify checks them)");
        assertThat(text.out()).doesNotContain("UNVERIFIED").contains("signature: valid (kid k1)");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).startsWith("{\"verified\":true,");
    }

    @Test
    @DisplayName("--verify-signature on a tampered signature exits 3")
    void invalidSignature(TestIssuer issuer) {
        String token = issuer.mint().tamperSignature().sign();

        CliRun run = CliRun.run("inspect", "--verify-signature", "--issuer", issuer.url(), "--zone", "zone_dev", token);

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out().lines().findFirst()).hasValue("SIGNATURE INVALID (bad-signature) \u2014 decoded only");
        assertThat(run.out()).contains("signature: invalid (bad-signature)");
    }

    @Test
    @DisplayName("--verify-signature with an unreachable JWKS exits 1 with a one-line error")
    void unreachableJwks(TestIssuer issuer) {
        String token = issuer.mint().sign();
        issuer.jwks().failWith(500);

        CliRun run = CliRun.run("inspect", "--verify-signature", "--issuer", issuer.url(), "--zone", "zone_dev", token);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).doesNotContain("\n")
                .startsWith("caracal: JWKS " + issuer.jwksUrl() + " answered 500 injected");
    }

    @Test
    @DisplayName("input that is not a compact JWS exits 1")
    void notACompactJws() {
        String notJson = Base64.getUrlEncoder().withoutPadding().encodeToString("hello".getBytes(StandardCharsets.UTF_8));

        for (String input : new String[] {"not-a-jwt", "a.b", notJson + "." + notJson + ".sig", "a.b.c.d"}) {
            CliRun run = CliRun.run("inspect", input);
            assertThat(run.exitCode()).as(input).isEqualTo(1);
            assertThat(run.err()).as(input).startsWith("caracal: not a compact JWS");
        }
    }
}
