package ai.caracal.jaxrs.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.tracing.BaggageDownstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Quarkus REST whose OpenTelemetry keeps the current context per thread (OpenTelemetry's default storage):
 * the filter, on the event loop, enters no baggage there, since it would stay on the event loop's thread
 * for the requests that follow. An event-loop resource's current context is then not the request's at all
 * (the extension keeps its server span in the request's Vert.x context, which this storage does not read):
 * the downstream server sees no baggage, in particular no {@code caracal.*}.
 */
@QuarkusTest
@TestProfile(ThreadLocalStorage.class)
@QuarkusTestResource(DevStsResource.class)
class QuarkusThreadLocalStorageTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/")
    URL base;

    @Test
    @DisplayName("with thread-local context storage no baggage is entered on the event loop")
    void noBaggageOnTheEventLoop() throws Exception {
        Api api = new Api(base.toURI());
        String token = api.mint("{\"audience\":\"https://api.quarkus.test\",\"sub\":\"user-baggage\",\"claims_override\":{\"sid\":\"sid-loop\"}}");

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = http.send(BaggageDownstream.incoming(base.toURI().resolve("/baggage/nonblocking"), token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            String[] lines = response.body().split("\n", -1);
            assertThat(lines[0]).startsWith("vert.x-eventloop-thread-");
            Map<String, String> baggage = BaggageDownstream.parse(lines[2].isEmpty() ? null : lines[2]);
            assertThat(baggage).isEmpty();
        }
    }
}
