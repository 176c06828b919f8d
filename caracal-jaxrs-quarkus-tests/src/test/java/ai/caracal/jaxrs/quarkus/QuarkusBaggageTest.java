package ai.caracal.jaxrs.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.tracing.BaggageDownstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * interop.md §1 on Quarkus REST with Quarkus' OpenTelemetry extension, whose context storage keeps the
 * OpenTelemetry context in the request's Vert.x context: its server instrumentation extracts the caller's
 * {@code traceparent} and {@code baggage} (with forged {@code caracal.*} entries), and a resource, on a
 * worker thread or on the event loop, calls a downstream server with its current context
 * ({@link BaggageResource}). The downstream server sees the {@code caracal.*} entries of the verified claims
 * (the shared example), {@code tenant=example}, none of the forged ones, and the caller's trace; also when
 * verification waited for a key set fetch (the request suspended, then resumed from another thread).
 */
@QuarkusTest
@TestProfile(ColdBaggage.class)
@QuarkusTestResource(DevStsResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuarkusBaggageTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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
    @Order(1)
    @DisplayName("cold key cache: the request is suspended for the key set fetch and resumed; its worker-thread resource has the verified baggage")
    void verifiedAfterAKeySetFetch() throws Exception {
        String token = sharedExample();
        api.gate("hold");

        CompletableFuture<HttpResponse<String>> pending = send("/baggage/blocking", token);
        Eventually.waitUntil(Duration.ofSeconds(20), "the key set fetch reached the gate", () -> api.heldKeySetRequests() == 1);
        assertThat(pending).as("suspended while the fetch is held").isNotDone();
        api.gate("release");

        Seen seen = Seen.of(pending.get(Api.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertThat(seen.thread).startsWith("executor-thread-");
        assertThat(seen.baggage).containsExactlyInAnyOrderEntriesOf(BaggageDownstream.SHARED_EXAMPLE_SEEN);
        assertThat(seen.traceparent).startsWith(BaggageDownstream.INCOMING_TRACE_PREFIX);
    }

    @Test
    @Order(2)
    @DisplayName("the shared example on a worker thread: caracal.* from the verified claims replace the caller's, tenant passes, the trace continues")
    void workerThreadResource() throws Exception {
        Seen seen = Seen.of(send("/baggage/blocking", sharedExample()).get(Api.TIMEOUT.toSeconds(), TimeUnit.SECONDS));

        assertThat(seen.thread).startsWith("executor-thread-");
        assertThat(seen.baggage).containsExactlyInAnyOrderEntriesOf(BaggageDownstream.SHARED_EXAMPLE_SEEN);
        assertThat(seen.traceparent).startsWith(BaggageDownstream.INCOMING_TRACE_PREFIX);
    }

    @Test
    @Order(3)
    @DisplayName("the shared example on the event loop (a Uni resource)")
    void eventLoopResource() throws Exception {
        Seen seen = Seen.of(send("/baggage/nonblocking", sharedExample()).get(Api.TIMEOUT.toSeconds(), TimeUnit.SECONDS));

        assertThat(seen.thread).startsWith("vert.x-eventloop-thread-");
        assertThat(seen.baggage).containsExactlyInAnyOrderEntriesOf(BaggageDownstream.SHARED_EXAMPLE_SEEN);
        assertThat(seen.traceparent).startsWith(BaggageDownstream.INCOMING_TRACE_PREFIX);
    }

    @Test
    @Order(4)
    @DisplayName("an excluded request keeps no caracal.* entry, neither the caller's nor an earlier request's on the same event loop")
    void excludedRequestAndNoLeakBetweenRequests() throws Exception {
        Seen verified = Seen.of(send("/baggage/nonblocking", minimal("sid-first")).get(Api.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertThat(verified.baggage).containsEntry("caracal.session", "sid-first");

        HttpResponse<String> open = send("/baggage/public", null).get(Api.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(Seen.of(open).baggage).containsExactlyInAnyOrderEntriesOf(Map.of("tenant", "example"));

        Seen next = Seen.of(send("/baggage/blocking", minimal("sid-next")).get(Api.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertThat(next.baggage).containsExactlyInAnyOrderEntriesOf(Map.of("caracal.session", "sid-next", "caracal.hop", "0", "tenant", "example"));
    }

    @Test
    @Order(5)
    @DisplayName("a rejected request never reaches the resource")
    void rejectedRequest() throws Exception {
        HttpResponse<String> rejected = send("/baggage/blocking", null).get(Api.TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(rejected.statusCode()).isEqualTo(401);
        assertThat(rejected.body()).startsWith("{\"error\":\"missing_token\"");
    }

    /** @return a mandate with interop.md §1's claims */
    private String sharedExample() {
        return api.mint("{\"audience\":\"https://api.quarkus.test\",\"sub\":\"user-baggage\",\"agent_session_id\":\"session-child\","
                + "\"delegation_edge_id\":\"delegation-1\",\"delegation_path\":[\"delegation-root\",\"delegation-1\"],\"hop_count\":1,"
                + "\"claims_override\":{\"sid\":\"authority-record-1\"}}");
    }

    private String minimal(String sid) {
        return api.mint("{\"audience\":\"https://api.quarkus.test\",\"sub\":\"user-baggage\",\"claims_override\":{\"sid\":\"" + sid + "\"}}");
    }

    /** The caller's request: {@link BaggageDownstream#INCOMING_TRACEPARENT} and its forged baggage. */
    private CompletableFuture<HttpResponse<String>> send(String path, String token) throws Exception {
        URI uri = base.toURI().resolve(path);
        return http.sendAsync(BaggageDownstream.incoming(uri, token).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What {@link BaggageResource} answered: its thread, and what the downstream server saw. */
    private record Seen(String thread, String traceparent, Map<String, String> baggage) {

        static Seen of(HttpResponse<String> response) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            String[] lines = response.body().split("\n", -1);
            assertThat(lines).hasSize(3);
            return new Seen(lines[0], lines[1], BaggageDownstream.parse(lines[2].isEmpty() ? null : lines[2]));
        }
    }
}
