package ai.caracal.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.Cause;
import ai.caracal.verify.audit.AsyncAuditSink;
import ai.caracal.verify.audit.AuditEvent;
import ai.caracal.verify.audit.AuditSink;
import ai.caracal.verify.audit.Slf4jAuditSink;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * connectors.md §11 on the JDK server, whose class path has neither Micrometer nor OpenTelemetry: one
 * action-result event per decision, never a token, never on the request's path; a sink that throws or
 * hangs changes no answer.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class AuditTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final HttpClient client = HttpClient.newHttpClient();
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<AsyncAuditSink> sinks = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
        sinks.forEach(AsyncAuditSink::close);
    }

    private AsyncAuditSink async(AuditSink sink, int capacity) {
        AsyncAuditSink async = AsyncAuditSink.builder(sink).capacity(capacity).closeTimeout(Duration.ZERO).build();
        sinks.add(async);
        return async;
    }

    private URI serve(TestIssuer issuer, AsyncAuditSink audit) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", AuditTest::ok).getFilters().add(CaracalHttpFilter.builder()
                .verifier(issuer.verifier().requiredScopes("read").build()).audit(audit).exclude("/health").build());
        server.start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void ok(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    private int get(URI base, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("traceparent", TRACEPARENT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    @DisplayName("neither Micrometer nor OpenTelemetry is on this class path, and the boundary needs neither")
    void worksWithoutMicrometerOrOpenTelemetry(TestIssuer issuer) throws Exception {
        assertThatThrownBy(() -> Class.forName("io.micrometer.observation.ObservationRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.opentelemetry.context.Context"))
                .isInstanceOf(ClassNotFoundException.class);
        URI base = serve(issuer, async(event -> { }, 10));
        assertThat(get(base, "/items", issuer.mint().scope("read").sign())).isEqualTo(200);
        assertThat(get(base, "/health", null)).isEqualTo(200);
    }

    @Test
    @DisplayName("one event per decision: allow with the verified identity, deny with code, cause and the configured zone")
    void oneEventPerDecision(TestIssuer issuer) throws Exception {
        List<AuditEvent> events = new CopyOnWriteArrayList<>();
        AsyncAuditSink audit = async(events::add, 100);
        URI base = serve(issuer, audit);
        String allowed = issuer.mint().sub("user-7").clientId("app-7").agentSession("as-7").scope("read").sign();
        String denied = issuer.mint().sub("user-8").scope("write").sign();

        assertThat(get(base, "/items/1", allowed)).isEqualTo(200);
        assertThat(get(base, "/items/2", denied)).isEqualTo(403);
        assertThat(get(base, "/items/3", null)).isEqualTo(401);
        assertThat(get(base, "/health", null)).isEqualTo(200);

        Eventually.waitUntil(Duration.ofSeconds(10), "three events", () -> events.size() >= 3);
        assertThat(events).hasSize(3);
        AuditEvent allow = events.get(0);
        assertThat(allow.result()).isEqualTo("allow");
        assertThat(allow.code()).isNull();
        assertThat(allow.cause()).isEqualTo(Cause.NONE);
        assertThat(allow.subject()).isEqualTo("user-7");
        assertThat(allow.clientId()).isEqualTo("app-7");
        assertThat(allow.agentSession()).isEqualTo("as-7");
        assertThat(allow.zone()).isEqualTo("zone-1");
        assertThat(allow.action()).isEqualTo("GET /items/1");
        assertThat(allow.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        AuditEvent deny = events.get(1);
        assertThat(deny.result()).isEqualTo("deny");
        assertThat(deny.code()).isEqualTo("insufficient_scope");
        assertThat(deny.cause()).isEqualTo(Cause.REQUIREMENT);
        assertThat(deny.subject()).as("nothing from a rejected token").isNull();
        assertThat(deny.zone()).isEqualTo("zone-1");
        assertThat(events.get(2).code()).isEqualTo("missing_token");
        assertThat(events.get(2).cause()).isEqualTo(Cause.MISSING);
        for (AuditEvent event : events) {
            String json = Slf4jAuditSink.json(event);
            assertThat(json).doesNotContain(allowed.split("\\.")[1]).doesNotContain(denied.split("\\.")[1]);
        }
        assertThat(Slf4jAuditSink.json(allow)).isEqualTo("{\"time\":\"" + allow.time() + "\",\"result\":\"allow\","
                + "\"cause\":\"none\",\"zone\":\"zone-1\",\"sub\":\"user-7\",\"client_id\":\"app-7\","
                + "\"agent_session\":\"as-7\",\"action\":\"GET /items/1\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
    }

    @Test
    @DisplayName("a sink that throws changes no answer; its failures are counted")
    void throwingSinkChangesNothing(TestIssuer issuer) throws Exception {
        AsyncAuditSink audit = async(event -> {
            throw new IllegalStateException("audit store down");
        }, 100);
        URI base = serve(issuer, audit);

        assertThat(get(base, "/items", issuer.mint().scope("read").sign())).isEqualTo(200);
        assertThat(get(base, "/items", null)).isEqualTo(401);

        Eventually.waitUntil(Duration.ofSeconds(10), "two failures", () -> audit.failed() == 2);
        assertThat(audit.recorded()).isZero();
    }

    @Test
    @DisplayName("a sink that hangs blocks no request: the full queue drops events and counts them")
    void hangingSinkBlocksNothing(TestIssuer issuer) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AsyncAuditSink audit = async(event -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 1);
        URI base = serve(issuer, audit);
        String token = issuer.mint().scope("read").sign();

        for (int i = 0; i < 5; i++) {
            assertThat(get(base, "/items", token)).isEqualTo(200);
        }

        assertThat(audit.dropped()).as("one in the sink, one queued, three dropped").isGreaterThanOrEqualTo(3);
        release.countDown();
    }

    @Test
    @DisplayName("a traceparent that is not one valid version-00 header gives no trace ID")
    void invalidTraceparentGivesNoTraceId(TestIssuer issuer) throws Exception {
        List<AuditEvent> events = new CopyOnWriteArrayList<>();
        URI base = serve(issuer, async(events::add, 100));
        for (String bad : List.of("00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")) {
            client.send(HttpRequest.newBuilder(base.resolve("/items")).header("traceparent", bad).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        Eventually.waitUntil(Duration.ofSeconds(10), "four events", () -> events.size() == 4);
        assertThat(events).extracting(AuditEvent::traceId).containsOnlyNulls();
    }
}
