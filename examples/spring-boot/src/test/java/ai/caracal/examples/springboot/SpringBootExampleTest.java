package ai.caracal.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The example API of devtools.md §3.8 on Spring Boot, configured from the environment, with real
 * mandates. One application serves the whole class (a Spring start-up per test would dominate the run).
 */
@CaracalTest(zone = "zone_dev", audience = "resource://examples")
class SpringBootExampleTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static SpringBootExample example;

    private TestIssuer issuer;

    @BeforeAll
    static void start(TestIssuer issuer) {
        Map<String, String> env = Map.of("CARACAL_STS_URL", issuer.url() + "/", "CARACAL_ZONE_ID", "zone_dev", "PORT", "0");
        example = SpringBootExample.start(env::get);
    }

    @AfterAll
    static void stop() {
        if (example != null) {
            example.close();
        }
    }

    @BeforeEach
    void mintAtWallClockTime(TestIssuer issuer) {
        this.issuer = issuer;
        issuer.clock().set(Instant.now());
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(example.uri().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("the example listens on 127.0.0.1 on the port PORT=0 picked")
    void listensOnLoopback() {
        assertThat(example.uri().toString()).matches("http://127\\.0\\.0\\.1:[1-9]\\d*");
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
        HttpResponse<String> missing = send("GET", "/api/documents", null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).contains("\"error\":\"missing_token\"");
        HttpResponse<String> forbidden = send("GET", "/api/documents", issuer.mint().scope("read").sign());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("\"error\":\"insufficient_scope\"").contains("documents:read");
        HttpResponse<String> ok = send("GET", "/api/documents", issuer.mint().scope("documents:read").sign());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(ok.body()).contains("Quarterly report");
    }

    @Test
    @DisplayName("POST /api/payouts needs billing:payout (route rule) and a delegated mandate (@CaracalRequires)")
    void payoutsNeedScopeAndDelegation() throws Exception {
        HttpResponse<String> noScope = send("POST", "/api/payouts", issuer.mint().scope("read").delegationEdge().sign());
        assertThat(noScope.statusCode()).isEqualTo(403);
        assertThat(noScope.body()).contains("\"error\":\"insufficient_scope\"").contains("billing:payout");

        HttpResponse<String> notDelegated = send("POST", "/api/payouts", issuer.mint().scope("billing:payout").sign());
        assertThat(notDelegated.statusCode()).isEqualTo(403);
        assertThat(notDelegated.body()).startsWith("{\"error\":\"delegation_required\",\"error_description\":");
        assertThat(notDelegated.headers().firstValue("Cache-Control")).hasValue("no-store");

        HttpResponse<String> ok = send("POST", "/api/payouts", issuer.mint().scope("billing:payout").delegationEdge().sign());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"accepted\":true}");
    }

    @Test
    @DisplayName("/api/whoami echoes the verified sub, zone and scope from @CaracalClaims")
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
    @DisplayName("a mandate for another audience is rejected: CARACAL_AUDIENCE defaults to resource://examples")
    void audienceDefaultsToExamples() throws Exception {
        HttpResponse<String> otherAudience = send("GET", "/api/whoami", issuer.mint().audience("resource://other").sign());
        assertThat(otherAudience.statusCode()).isEqualTo(401);
        assertThat(otherAudience.body()).contains("\"error\":\"invalid_token\"");
    }

    @Test
    @DisplayName("without CARACAL_STS_URL the example refuses to start, naming the variable")
    void issuerIsRequired() {
        Map<String, String> env = Map.of("CARACAL_ZONE_ID", "zone_dev", "PORT", "0");

        assertThatThrownBy(() -> SpringBootExample.start(env::get).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CARACAL_STS_URL");
    }
}
