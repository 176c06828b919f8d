package ai.caracal.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.jetty.JettyForTests;
import ai.caracal.verify.Claims;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.http.ProtectedResourceMetadata;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** connectors.md §5: Servlet-specific behaviour beyond the parity matrix. */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class CaracalFilterTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Echoes the claims' sub as seen through CaracalRequests, or "none". */
    static final class ClaimsEcho extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Optional<Claims> claims = CaracalRequests.claims(request);
            response.setContentType("text/plain");
            response.getWriter().write(claims.map(Claims::sub).orElse("none"));
        }
    }

    /** Calls requireClaims and reports the exception it throws. */
    static final class RequireClaims extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            try {
                response.getWriter().write(CaracalRequests.requireClaims(request).sub());
            } catch (IllegalStateException e) {
                response.getWriter().write("IllegalStateException: " + e.getMessage());
            }
        }
    }

    /** Answers from another thread after startAsync: the claims attribute must still be there. */
    static final class AsyncEcho extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            AsyncContext async = request.startAsync();
            async.start(() -> {
                try {
                    async.getResponse().getWriter().write(CaracalRequests.requireClaims(request).sub());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } finally {
                    async.complete();
                }
            });
        }
    }

    private static HttpResponse<String> get(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> withOrigin(URI uri, String token, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertOriginRule(URI base, String token) throws Exception {
        URI items = base.resolve("/items");
        HttpResponse<String> foreign = withOrigin(items, token, "http://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(foreign.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Origin not allowed\"}}");
        assertThat(withOrigin(items, token, base.toString()).body()).isEqualTo("user-1");
        assertThat(withOrigin(items, token, "https://app.example.com").body()).isEqualTo("user-1");
        assertThat(withOrigin(items, token, null).body()).isEqualTo("user-1");
        assertThat(withOrigin(items, token, "http://127.0.0.1:1").statusCode()).isEqualTo(403);
    }

    @Test
    @DisplayName("§10.2 M8 on Jetty: a foreign Origin is 403 before the mandate; own, allowed and absent Origins pass")
    void originRuleOnJetty(TestIssuer issuer) throws Exception {
        CaracalFilter filter = CaracalFilter.builder().verifier(issuer.verifier().build()).allowedOrigins("https://app.example.com").build();
        try (JettyForTests jetty = new JettyForTests().filter(filter, "/*").servlet(new ClaimsEcho(), "/*")) {
            assertOriginRule(jetty.start(), issuer.mint().sign());
        }
    }

    @Test
    @DisplayName("§10.2 M8 on Tomcat: the same")
    void originRuleOnTomcat(TestIssuer issuer) throws Exception {
        CaracalFilter filter = CaracalFilter.builder().verifier(issuer.verifier().build()).allowedOrigins("https://app.example.com").build();
        try (TomcatForTests tomcat = new TomcatForTests().filter(filter, "/*").servlet(new ClaimsEcho(), "/*")) {
            assertOriginRule(tomcat.start(), issuer.mint().sign());
        }
    }

    @Test
    @DisplayName("a verified request carries its claims in the request attribute, read through CaracalRequests")
    void verifiedClaimsReachTheServlet(TestIssuer issuer) throws Exception {
        CaracalFilter filter = CaracalFilter.builder().verifier(issuer.verifier().build()).build();
        try (JettyForTests jetty = new JettyForTests().filter(filter, "/*").servlet(new ClaimsEcho(), "/*")) {
            URI base = jetty.start();

            HttpResponse<String> response = get(base.resolve("/items"), issuer.mint().sub("user-9").sign());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("user-9");
        }
    }

    @Test
    @DisplayName("an async servlet still reads the claims after the filter returned")
    void asyncServletReadsClaims(TestIssuer issuer) throws Exception {
        CaracalFilter filter = CaracalFilter.builder().verifier(issuer.verifier().build()).build();
        try (JettyForTests jetty = new JettyForTests().filter(filter, "/*").servlet(new AsyncEcho(), "/*")) {
            URI base = jetty.start();

            HttpResponse<String> response = get(base.resolve("/async"), issuer.mint().sub("user-async").sign());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("user-async");
        }
    }

    @Test
    @DisplayName("an excluded path and an unfiltered servlet see no claims; requireClaims explains why")
    void noClaimsWithoutVerification(TestIssuer issuer) throws Exception {
        CaracalFilter filter = CaracalFilter.builder().verifier(issuer.verifier().build()).exclude("/healthz").build();
        try (JettyForTests jetty = new JettyForTests().filter(filter, "/api/*").servlet(new ClaimsEcho(), "/*")
                .servlet(new RequireClaims(), "/strict")) {
            URI base = jetty.start();
            String token = issuer.mint().sign();

            assertThat(get(base.resolve("/other"), token).body()).isEqualTo("none");
            assertThat(get(base.resolve("/api/items"), token).body()).isEqualTo("user-1");
            assertThat(get(base.resolve("/strict"), token).body()).startsWith("IllegalStateException: No Caracal claims");
        }
    }

    @Test
    @DisplayName("web.xml style: init-params and the store from the servlet context attribute")
    void containerCreatedFilterReadsInitParams(TestIssuer issuer) throws Exception {
        // A container-created filter uses the system clock and the shared key cache: mint "now".
        issuer.clock().set(java.time.Instant.now());
        FilterHolder holder = new FilterHolder(CaracalFilter.class);
        holder.setInitParameters(Map.of("issuer", issuer.url(), "audience", issuer.audience(), "zone-id", issuer.zone(),
                "required-scopes", "read, write", "exclude", "/healthz, /metrics"));
        holder.setAsyncSupported(true);
        try (JettyForTests jetty = new JettyForTests().filter(holder, "/*").servlet(new ClaimsEcho(), "/*")) {
            jetty.context().setAttribute(CaracalFilter.REVOCATIONS_ATTRIBUTE, issuer.revocations());
            URI base = jetty.start();

            assertThat(get(base.resolve("/items"), issuer.mint().scope("read", "write").sign()).statusCode()).isEqualTo(200);
            HttpResponse<String> missingScope = get(base.resolve("/items"), issuer.mint().scope("read").sign());
            assertThat(missingScope.statusCode()).isEqualTo(403);
            assertThat(missingScope.body()).contains("Mandate lacks scope: write");
            assertThat(get(base.resolve("/metrics"), null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("web.xml style without a store in the context: init fails with a ServletException naming the attribute")
    void containerCreatedFilterNeedsAStore(TestIssuer issuer) {
        FilterHolder holder = new FilterHolder(CaracalFilter.class);
        holder.setInitParameters(Map.of("issuer", issuer.url(), "audience", issuer.audience()));
        try (JettyForTests jetty = new JettyForTests().filter(holder, "/*").servlet(new ClaimsEcho(), "/*")) {
            assertThatThrownBy(jetty::start).hasRootCauseInstanceOf(ServletException.class)
                    .rootCause().hasMessageContaining(CaracalFilter.REVOCATIONS_ATTRIBUTE);
        }
    }

    @Test
    @DisplayName("the metadata servlet serves the RFC 9728 document when the filter is mapped narrowly")
    void metadataServletServesTheDocument(TestIssuer issuer) throws Exception {
        CaracalFilter filter = CaracalFilter.builder()
                .verifier(issuer.verifier().requiredScopes("tool:call").build())
                .resourceMetadata(ProtectedResourceMetadata.forResource("https://mcp.example.com/mcp"))
                .build();
        try (JettyForTests jetty = new JettyForTests()
                .filter(filter, "/mcp/*")
                .servlet(new ClaimsEcho(), "/mcp/*")
                .servlet(new ProtectedResourceMetadataServlet(filter.metadata()), filter.metadata().documentPath())) {
            URI base = jetty.start();

            HttpResponse<String> document = get(base.resolve("/.well-known/oauth-protected-resource/mcp"), null);
            HttpResponse<String> challenge = get(base.resolve("/mcp"), null);

            assertThat(document.statusCode()).isEqualTo(200);
            assertThat(document.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
            assertThat(document.body()).isEqualTo("{\"resource\":\"https://mcp.example.com/mcp\",\"authorization_servers\":[\""
                    + issuer.url() + "\"],\"bearer_methods_supported\":[\"header\"],\"scopes_supported\":[\"tool:call\"]}");
            assertThat(challenge.statusCode()).isEqualTo(401);
            assertThat(challenge.headers().firstValue("WWW-Authenticate"))
                    .hasValue("Bearer resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\"");
        }
    }

    @Test
    @DisplayName("a route rule replaces the default requirements for its prefix")
    void routeRuleApplies(TestIssuer issuer) throws Exception {
        CaracalFilter filter = CaracalFilter.builder()
                .verifier(issuer.verifier().requiredScopes("read").build())
                .route("/payouts", Requirements.builder().requiredScopes("payout").build())
                .build();
        try (JettyForTests jetty = new JettyForTests().filter(filter, "/*").servlet(new ClaimsEcho(), "/*")) {
            URI base = jetty.start();
            String payout = issuer.mint().scope("payout").sign();

            assertThat(get(base.resolve("/payouts/1"), payout).statusCode()).isEqualTo(200);
            assertThat(get(base.resolve("/items"), payout).statusCode()).isEqualTo(403);
        }
    }
}
