package ai.caracal.jaxrs.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * connectors.md §10.1: on Quarkus REST the filter runs on the (single) Vert.x event loop and never blocks
 * it. While the key set fetch of a cold cache is held at the gate, the requests waiting for it are
 * suspended, and the event loop keeps answering others; once released, the suspended requests resume,
 * verified or rejected.
 */
@QuarkusTest
@TestProfile(ColdKeyCache.class)
@QuarkusTestResource(DevStsResource.class)
class NonBlockingTest {

    @TestHTTPResource("/")
    URL base;

    private Api api;

    @BeforeEach
    void connect() throws Exception {
        api = new Api(base.toURI());
    }

    @AfterEach
    void release() {
        api.gate("release");
    }

    @Test
    @DisplayName("a held key set fetch suspends the requests that need it; the one event loop keeps serving others; release resumes them")
    void heldKeySetFetchDoesNotBlockTheEventLoop() throws Exception {
        String valid = api.mintScoped("user-held", "read");
        String otherAudience = api.mint("{\"audience\":\"https://other.test\",\"sub\":\"user-other\"}");
        api.gate("hold");

        CompletableFuture<HttpResponse<String>> verified = api.sendAsync("GET", "/api/whoami", valid);
        CompletableFuture<HttpResponse<String>> rejected = api.sendAsync("GET", "/api/documents", otherAudience);
        Eventually.waitUntil(Duration.ofSeconds(20), "the key set fetch reached the gate", () -> api.heldKeySetRequests() == 1);

        HttpResponse<String> health = api.send("GET", "/healthz", null);
        HttpResponse<String> anonymous = api.send("GET", "/api/documents", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(verified).as("held by the gate").isNotDone();
        assertThat(rejected).as("held by the gate").isNotDone();
        assertThat(api.heldKeySetRequests()).isEqualTo(1);

        api.gate("release");
        HttpResponse<String> whoami = verified.get(Api.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(whoami.statusCode()).isEqualTo(200);
        assertThat(whoami.body()).startsWith("{\"sub\":\"user-held\",\"zone_id\":\"zone_dev\",\"thread\":\"vert.x-eventloop-thread-");
        HttpResponse<String> refused = rejected.get(Api.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).startsWith("{\"error\":\"invalid_token\"");
        assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer error=\"invalid_token\"");
    }
}
