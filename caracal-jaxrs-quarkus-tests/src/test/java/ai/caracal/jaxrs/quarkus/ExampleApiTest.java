package ai.caracal.jaxrs.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A Quarkus REST application protected by CaracalRequestFilter: the example API of devtools.md §3.8. */
@QuarkusTest
@QuarkusTestResource(DevStsResource.class)
class ExampleApiTest {

    @TestHTTPResource("/")
    URL base;

    private Api api;

    @BeforeEach
    void connect() throws Exception {
        api = new Api(base.toURI());
    }

    @Test
    @DisplayName("/healthz is excluded and answers without a mandate")
    void healthIsOpen() {
        HttpResponse<String> health = api.send("GET", "/healthz", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    @DisplayName("/api/documents: 401 with the canonical answer without a mandate, 403 without documents:read, 200 with it")
    void documentsNeedTheirScope() {
        HttpResponse<String> anonymous = api.send("GET", "/api/documents", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).startsWith("{\"error\":\"missing_token\"");
        assertThat(anonymous.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(anonymous.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(anonymous.headers().allValues("WWW-Authenticate")).containsExactly("Bearer");
        HttpResponse<String> forbidden = api.send("GET", "/api/documents", api.mintScoped("user-1", "read"));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("\"error\":\"insufficient_scope\"").contains("documents:read");
        HttpResponse<String> ok = api.send("GET", "/api/documents", api.mintScoped("user-7", "documents:read"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"sub\":\"user-7\"");
    }

    @Test
    @DisplayName("POST /api/payouts needs billing:payout and a delegated mandate")
    void payoutsNeedScopeAndDelegation() {
        HttpResponse<String> notDelegated = api.send("POST", "/api/payouts", api.mintScoped("user-1", "billing:payout"));
        assertThat(notDelegated.statusCode()).isEqualTo(403);
        assertThat(notDelegated.body()).contains("\"error\":\"delegation_required\"");
        String delegated = api.mint("{\"audience\":\"https://api.quarkus.test\",\"scope\":\"billing:payout\",\"delegation_edge_id\":\"new\"}");
        HttpResponse<String> ok = api.send("POST", "/api/payouts", delegated);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"accepted\":true}");
    }

    @Test
    @DisplayName("/api/whoami (a Uni, on the event loop) reads the claims through @Context SecurityContext")
    void whoamiReadsClaimsOnTheEventLoop() {
        HttpResponse<String> whoami = api.send("GET", "/api/whoami", api.mintScoped("user-42", "read"));
        assertThat(whoami.statusCode()).isEqualTo(200);
        assertThat(whoami.body()).startsWith("{\"sub\":\"user-42\",\"zone_id\":\"zone_dev\",\"thread\":\"vert.x-eventloop-thread-");
    }

    @Test
    @DisplayName("verification runs before matching; no dot-segment or encoded spelling passes as /healthz or reaches /api/documents without documents:read; no 5xx")
    void hostileRequests() {
        assertThat(api.send("GET", "/nowhere", null).statusCode()).isEqualTo(401);
        String read = api.mintScoped("user-1", "read");
        for (String path : List.of("/healthz/../api/documents", "/healthz/%2e%2e/api/documents", "/healthz/%2E%2E/api/whoami",
                "/healthz;x=1/../api/documents", "/healthz%2F..%2Fapi%2Fdocuments", "/api/whoami/../documents",
                "/api/whoami/%2e%2e/documents", "/api/documents;x=1", "//api/documents", "/api/./documents")) {
            RawAnswer anonymous = RawAnswer.get(URI.create(base.toString()), path);
            assertThat(anonymous.status).as(path + " anonymous").isBetween(400, 499);
            RawAnswer withRead = RawAnswer.get(URI.create(base.toString()), path, read);
            assertThat(withRead.status).as(path + " with read").isLessThan(500);
            if (withRead.status == 200) {
                assertThat(withRead.body).as(path + " with read").startsWith("{\"sub\":\"user-1\"").doesNotContain("\"documents\"");
            }
        }
    }

    @Test
    @DisplayName("two Authorization headers are ambiguous: 401 invalid_token")
    void twoAuthorizationHeaders() {
        String token = api.mintScoped("user-1", "read");
        RawAnswer answer = RawAnswer.get(URI.create(base.toString()), "/api/whoami", token, token);
        assertThat(answer.status).isEqualTo(401);
        assertThat(answer.body).contains("{\"error\":\"invalid_token\"");
    }
}
