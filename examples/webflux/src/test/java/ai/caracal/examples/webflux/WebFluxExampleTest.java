package ai.caracal.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The example API of devtools.md §3.8 on WebFlux, configured from the environment, with real mandates. */
@CaracalTest(zone = "zone_dev", audience = "resource://examples")
class WebFluxExampleTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestIssuer issuer;
    private WebFluxExample example;

    @BeforeEach
    void start(TestIssuer issuer) throws Exception {
        this.issuer = issuer;
        issuer.clock().set(Instant.now());
        Map<String, String> env = Map.of("CARACAL_STS_URL", issuer.url() + "/", "CARACAL_ZONE_ID", "zone_dev", "PORT", "0");
        example = WebFluxExample.start(env::get);
    }

    @AfterEach
    void stop() {
        example.close();
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(example.uri().resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("/healthz is excluded and answers without a mandate")
    void healthIsOpen() throws Exception {
        HttpResponse<String> health = send("GET", "/healthz", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    @DisplayName("/api/documents needs documents:read: 401 without a mandate, 403 without the scope, 200 with it")
    void documentsNeedTheirScope() throws Exception {
        assertThat(send("GET", "/api/documents", null).statusCode()).isEqualTo(401);
        HttpResponse<String> forbidden = send("GET", "/api/documents", issuer.mint().scope("read").sign());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("\"error\":\"insufficient_scope\"").contains("documents:read");
        assertThat(send("GET", "/api/documents", issuer.mint().scope("documents:read").sign()).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("POST /api/payouts needs billing:payout and a delegated mandate")
    void payoutsNeedScopeAndDelegation() throws Exception {
        HttpResponse<String> notDelegated = send("POST", "/api/payouts", issuer.mint().scope("billing:payout").sign());
        assertThat(notDelegated.statusCode()).isEqualTo(403);
        assertThat(notDelegated.body()).contains("\"error\":\"delegation_required\"");
        HttpResponse<String> ok = send("POST", "/api/payouts", issuer.mint().scope("billing:payout").delegationEdge().sign());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"accepted\":true}");
    }

    @Test
    @DisplayName("/api/whoami echoes the verified sub, zone and scope")
    void whoamiEchoesClaims() throws Exception {
        HttpResponse<String> whoami = send("GET", "/api/whoami", issuer.mint().sub("user-42").scope("read", "write").sign());
        assertThat(whoami.statusCode()).isEqualTo(200);
        assertThat(whoami.body()).isEqualTo("{\"sub\":\"user-42\",\"zone_id\":\"zone_dev\",\"scope\":\"read write\"}");
    }

    @Test
    @DisplayName("a mandate of another zone is rejected with 401 invalid_zone (CARACAL_ZONE_ID applies)")
    void otherZoneIsRejected() throws Exception {
        HttpResponse<String> wrongZone = send("GET", "/api/whoami", issuer.mint().zoneId("zone_other").sign());
        assertThat(wrongZone.statusCode()).isEqualTo(401);
        assertThat(wrongZone.body()).contains("\"error\":\"invalid_zone\"");
    }

    @Test
    @DisplayName("an unknown path is 404 after verification; a dot segment is refused 400 before it (connectors.md §3.5)")
    void unknownAndAmbiguousPaths() throws Exception {
        String token = issuer.mint().scope("documents:read").sign();
        assertThat(send("GET", "/api/nothing", token).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/nothing", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/healthz/../api/documents", null).statusCode()).isEqualTo(400);
    }
}
