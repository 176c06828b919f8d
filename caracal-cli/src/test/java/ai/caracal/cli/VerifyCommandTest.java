package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** devtools.md §3.4: flags, text and JSON shapes, exit codes 0/2/3. */
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class VerifyCommandTest {

    private TestIssuer issuer;

    @BeforeEach
    void mintAtWallClockTime(TestIssuer issuer) {
        // The command verifies against the system clock, so mandates are minted "now".
        issuer.clock().set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        this.issuer = issuer;
    }

    private String[] verify(String... extra) {
        String[] base = {"verify", "--issuer", issuer.url(), "--zone", "zone_dev", "--aud", "resource://documents"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    @DisplayName("an accepted mandate prints one ACCEPTED line and exits 0")
    void acceptedMandatePrintsSummary() {
        String token = issuer.mint().sub("user-1").clientId("app_dev").scope("tool:call").agentSession("agent-1").sign();
        Instant exp = issuer.clock().instant().plusSeconds(600);

        CliRun run = CliRun.run(verify("--scope", "tool:call", "--require-agent", token));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("ACCEPTED sub=user-1 zone=zone_dev client_id=app_dev use=resource scope=\"tool:call\" exp="
                + exp + " anchors=sid,root_sid,agent_session_id" + System.lineSeparator());
        assertThat(run.out() + run.err()).doesNotContain(token);
    }

    @ParameterizedTest(name = "--issuer ''{0}''")
    @ValueSource(strings = {"/", "//", " "})
    @DisplayName("--issuer is spelled like CARACAL_STS_URL: a trailing slash or blank does not change the issuer")
    void issuerFlagIsSpelledLikeTheVariable(String suffix) {
        String token = issuer.mint().scope("tool:call").sign();

        CliRun run = CliRun.run("verify", "--issuer", issuer.url() + suffix, "--zone", "zone_dev", "--aud", "resource://documents", token);

        assertThat(run.out()).startsWith("ACCEPTED ");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    @DisplayName("a rejected mandate prints the code, status, description and hint and exits 3")
    void rejectedMandatePrintsErrorAndHint() {
        String token = issuer.mint().scope("tool:call").sign();

        CliRun run = CliRun.run(verify("--require-agent", token));

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).isEqualTo("REJECTED agent_required (HTTP 403): Agent session required" + System.lineSeparator()
                + "  hint: Use a resource mandate issued to a governed agent session." + System.lineSeparator());
    }

    @Test
    @DisplayName("--output json prints the raw claims of an accepted mandate")
    void jsonOutputOfAcceptedMandate() {
        String token = issuer.mint().sub("user-1").jti("j-1").sign();

        CliRun run = CliRun.run(verify("--output", "json", token));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("{\"ok\":true,\"claims\":{\"iss\":\"" + issuer.url() + "\"")
                .contains("\"sub\":\"user-1\"", "\"jti\":\"j-1\"", "\"zone_id\":\"zone_dev\"");
    }

    @Test
    @DisplayName("--output json prints status, error, description and hint of a rejection")
    void jsonOutputOfRejection() {
        String token = issuer.mint().scope("read").sign();

        CliRun run = CliRun.run(verify("--output", "json", "--scope", "admin", token));

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out().strip()).isEqualTo("{\"ok\":false,\"status\":403,\"error\":\"insufficient_scope\","
                + "\"error_description\":\"Mandate lacks scope: admin\","
                + "\"error_hint\":\"Obtain a mandate granting every scope this route requires.\"}");
    }

    @Test
    @DisplayName("--header goes through the Authorization header rules")
    void headerInput() {
        String token = issuer.mint().sign();

        assertThat(CliRun.run(verify("--header", "Bearer " + token)).exitCode()).isZero();
        CliRun basic = CliRun.run(verify("--header", "Basic abc"));
        assertThat(basic.exitCode()).isEqualTo(3);
        assertThat(basic.out()).startsWith("REJECTED missing_token (HTTP 401): Bearer mandate missing");
    }

    @Test
    @DisplayName("an empty header or an empty positional token is missing_token, with no JWKS request")
    void emptyInputIsMissingToken() {
        CliRun header = CliRun.run(verify("--header", ""));
        CliRun positional = CliRun.run(verify(""));

        assertThat(header.exitCode()).isEqualTo(3);
        assertThat(header.out()).startsWith("REJECTED missing_token (HTTP 401)");
        assertThat(positional.exitCode()).isEqualTo(3);
        assertThat(positional.out()).startsWith("REJECTED missing_token (HTTP 401)");
        assertThat(issuer.jwks().requests()).isZero();
    }

    @Test
    @DisplayName("a token rejected before the signature step causes no JWKS request (no warmup)")
    void malformedTokenCausesNoJwksRequest() {
        CliRun run = CliRun.run(verify("not-a-jwt"));

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).startsWith("REJECTED invalid_token (HTTP 401): Mandate rejected");
        assertThat(issuer.jwks().requests()).isZero();
    }

    @Test
    @DisplayName("- reads the token from standard input")
    void tokenFromStandardInput() {
        String token = issuer.mint().sign();

        CliRun run = CliRun.run(Map.of(), token + "\n", verify("-"));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("ACCEPTED ");
    }

    @Test
    @DisplayName("--revoked pre-loads the in-memory store")
    void revokedAnchorIsRejected() {
        String token = issuer.mint().agentSession("agent-7").sign();

        CliRun run = CliRun.run(verify("--revoked", "agent-7", token));

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).startsWith("REJECTED session_revoked (HTTP 401): Mandate authority revoked");
    }

    @Test
    @DisplayName("--epoch pre-sets the zone's delegation epoch")
    void epochMakesOlderMandatesStale() {
        String token = issuer.mint().delegationEdge("edge-1").graphEpoch(7).sign();

        assertThat(CliRun.run(verify("--epoch", "7", token)).exitCode()).isZero();
        CliRun stale = CliRun.run(verify("--epoch", "8", token));
        assertThat(stale.exitCode()).isEqualTo(3);
        assertThat(stale.out()).startsWith("REJECTED delegation_stale (HTTP 401)");
    }

    @Test
    @DisplayName("the issuer and zone default to CARACAL_STS_URL (trailing / removed) and CARACAL_ZONE_ID")
    void environmentDefaults() {
        String token = issuer.mint().sign();
        Map<String, String> env = Map.of("CARACAL_STS_URL", issuer.url() + "/", "CARACAL_ZONE_ID", "zone_dev");

        CliRun run = CliRun.run(env, "", "verify", "--aud", "resource://documents", token);

        assertThat(run.exitCode()).isZero();
        assertThat(issuer.jwks().requests("zone_dev")).isEqualTo(1);
    }

    @Test
    @DisplayName("no issuer anywhere is a usage error (exit 2) that says what to set")
    void missingIssuerIsUsageError() {
        CliRun run = CliRun.run("verify", "--aud", "resource://documents", "token");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--issuer", "CARACAL_STS_URL");
    }

    @Test
    @DisplayName("an issuer the verifier refuses is a usage error (exit 2)")
    void badIssuerIsUsageError() {
        CliRun run = CliRun.run("verify", "--issuer", "http://sts.internal:8080", "--zone", "z", "--aud", "a", "token");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("https://").doesNotContain("Exception");
    }

    @Test
    @DisplayName("no token, or both a token and --header, is a usage error (exit 2)")
    void tokenInputIsExactlyOne() {
        assertThat(CliRun.run(verify()).exitCode()).isEqualTo(2);
        assertThat(CliRun.run(verify("--header", "Bearer x", "y")).exitCode()).isEqualTo(2);
    }

    @Test
    @DisplayName("--epoch without a zone, and an unknown --use, are usage errors (exit 2)")
    void inconsistentOptionsAreUsageErrors() {
        CliRun epochWithoutZone = CliRun.run("verify", "--issuer", issuer.url(), "--aud", "a", "--epoch", "3", "token");
        CliRun gateway = CliRun.run(verify("--use", "gateway", "token"));

        assertThat(epochWithoutZone.exitCode()).isEqualTo(2);
        assertThat(epochWithoutZone.err()).contains("--epoch needs a zone");
        assertThat(gateway.exitCode()).isEqualTo(2);
        assertThat(gateway.err()).contains("requiredUse");
    }

    @Test
    @DisplayName("an unreachable JWKS fails closed: rejected, exit 3")
    void unreachableJwksIsRejection() {
        String token = issuer.mint().sign();
        issuer.jwks().failWith(503);

        CliRun run = CliRun.run(verify(token));

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).startsWith("REJECTED invalid_token (HTTP 401)");
    }
}
