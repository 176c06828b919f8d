package ai.caracal.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.jetty.JettyForTests;
import ai.caracal.testkit.tracing.BaggageDownstream;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * interop.md §1 on a real Jetty: the caller's {@code traceparent} and {@code baggage} are extracted by
 * OpenTelemetry's W3C propagators (as a server instrumentation does), the handler calls a downstream
 * server through the same propagators, and the downstream server sees the {@code caracal.*} entries of the
 * verified claims, the third-party entries unchanged, and none of the caller's forged {@code caracal.*}.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class BaggageTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private BaggageDownstream downstream;
    private final AtomicReference<String> baggageAfterHandler = new AtomicReference<>();

    @BeforeEach
    void startDownstream() throws IOException {
        downstream = BaggageDownstream.start();
    }

    @AfterEach
    void stopDownstream() {
        downstream.close();
    }

    /** What a server instrumentation does: extract the incoming context and make it current. */
    private final class ExtractContext extends HttpServlet implements Filter {
        private static final long serialVersionUID = 1L;

        @Override
        public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,
                             jakarta.servlet.FilterChain chain) throws IOException, jakarta.servlet.ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            Context extracted = BaggageDownstream.W3C.extract(Context.root(), http, new TextMapGetter<>() {
                @Override
                public Iterable<String> keys(HttpServletRequest carrier) {
                    return Collections.list(carrier.getHeaderNames());
                }

                @Override
                public String get(HttpServletRequest carrier, String key) {
                    return carrier.getHeader(key);
                }
            });
            try (Scope ignored = extracted.makeCurrent()) {
                chain.doFilter(request, response);
                baggageAfterHandler.set(Baggage.current().getEntryValue("caracal.session"));
            }
        }
    }

    /** The application: calls the downstream server, its client propagating the current context. */
    private final class CallsDownstream extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            try {
                downstream.call(Context.current());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            response.setStatus(200);
        }
    }

    private URI start(TestIssuer issuer) {
        JettyForTests jetty = new JettyForTests();
        servers.add(jetty);
        return jetty.filter(new ExtractContext(), "/*")
                .filter(CaracalFilter.builder().verifier(issuer.verifier().build()).exclude("/public").build(), "/*")
                .servlet(new CallsDownstream(), "/*")
                .start();
    }

    private final java.util.List<JettyForTests> servers = new java.util.ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(JettyForTests::close);
    }

    private HttpResponse<Void> call(URI base, String path, String token) throws Exception {
        return HTTP.send(BaggageDownstream.incoming(base.resolve(path), token).build(), HttpResponse.BodyHandlers.discarding());
    }

    @Test
    @DisplayName("the shared example: caracal.* from the verified claims replace the caller's, tenant passes, the trace continues")
    void verifiedClaimsReplaceIncomingCaracalBaggage(TestIssuer issuer) throws Exception {
        URI base = start(issuer);
        String token = BaggageDownstream.sharedExampleMandate(issuer);

        assertThat(call(base, "/tool", token).statusCode()).isEqualTo(200);

        assertThat(downstream.baggage()).containsExactlyInAnyOrderEntriesOf(BaggageDownstream.SHARED_EXAMPLE_SEEN);
        assertThat(downstream.traceparent()).startsWith(BaggageDownstream.INCOMING_TRACE_PREFIX);
        assertThat(baggageAfterHandler.get()).as("the scope is closed after the handler").isEqualTo("forged-session");
    }

    @Test
    @DisplayName("a claim that is absent leaves its entry out; the hop is 0")
    void absentClaimsLeaveEntriesOut(TestIssuer issuer) throws Exception {
        URI base = start(issuer);

        assertThat(call(base, "/tool", issuer.mint().sid("sid-plain").sign()).statusCode()).isEqualTo(200);

        assertThat(downstream.baggage()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "caracal.session", "sid-plain",
                "caracal.hop", "0",
                "tenant", "example"));
    }

    @Test
    @DisplayName("an unverified (excluded) request keeps no caracal.* entry of the caller")
    void excludedRequestDropsIncomingCaracalBaggage(TestIssuer issuer) throws Exception {
        URI base = start(issuer);

        assertThat(call(base, "/public/page", null).statusCode()).isEqualTo(200);

        assertThat(downstream.baggage()).containsExactlyInAnyOrderEntriesOf(Map.of("tenant", "example"));
    }

    @Test
    @DisplayName("more than 64 members: the caracal.* entries stay, the caller's extra members are dropped")
    void memberLimitKeepsCaracalEntries(TestIssuer issuer) throws Exception {
        URI base = start(issuer);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            many.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/tool"))
                .header("Authorization", "Bearer " + issuer.mint().sid("sid-many").sign())
                .header("baggage", many.toString()).build();

        assertThat(HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

        Map<String, String> seen = downstream.baggage();
        assertThat(seen).hasSize(64).containsEntry("caracal.session", "sid-many").containsEntry("caracal.hop", "0");
    }
}
