package ai.caracal.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.Claims;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.http.ProtectedResourceMetadata;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

/** connectors.md §10.1: what is particular to the WebFlux filter (the shared rows run in {@link WebFluxParityTest}). */
@CaracalTest
class CaracalWebFilterTest {

    @ParameterizedTest(name = "{0} → {1}")
    @DisplayName("§3.5: a path routing could read differently from the boundary never reaches a handler; decoded and ;-parameter forms get the rule routing sees")
    @CsvSource({
            "/payouts/../items, 400",
            "/payouts/./create, 400",
            "/payouts/%2e%2e/items, 400",
            "/payouts/%2E%2E/items, 400",
            "/payouts/%2e/create, 400",
            "/payouts/x%2F..%2F..%2Fitems, 400",
            "/payouts/x%2f..%2f..%2fitems, 400",
            "/payouts/%5C..%5C..%5Citems, 400",
            "//payouts/create, 400",
            "/payouts//create, 400",
            "/payouts/%00, 400",
            "/payouts/%0a, 400",
            "/payouts/%zz, 400",
            "/healthz/../payouts/create, 400",
            "/healthz/%2e%2e/payouts, 400",
            "/payouts;v=1/create, 403",
            "/payouts/create;jsessionid=x, 403",
            "/pay%6Futs/create, 403",
            "/%70ayouts, 403"})
    void ambiguousPathsNeverReachAHandler(String target, int expected, TestIssuer issuer) {
        AtomicInteger calls = new AtomicInteger();
        CaracalWebFilter filter = filter(issuer).exclude("/healthz")
                .route("/payouts", Requirements.builder().requiredScopes("payout").build()).build();
        try (NettyForTests server = NettyForTests.start(NettyForTests.app(counting(calls), filter))) {
            String readOnly = issuer.mint().scope("read").sign();
            assertThat(Http.rawStatus(server.uri(), target, readOnly)).as("with a read-only mandate").isEqualTo(expected);
            assertThat(Http.rawStatus(server.uri(), target, null)).as("without a mandate").isIn(400, 401);
            assertThat(calls).as("handler calls").hasValue(0);
        }
    }

    @Test
    @DisplayName("why: WebFlux routing matches dot segments literally, so /payouts/../items reaches a /payouts/** route")
    void webFluxRoutingKeepsDotSegments() {
        RouterFunction<ServerResponse> routes = RouterFunctions.route()
                .GET("/payouts/**", request -> ServerResponse.ok().bodyValue("payouts"))
                .GET("/items", request -> ServerResponse.ok().bodyValue("items"))
                .build();
        try (NettyForTests server = NettyForTests.start(NettyForTests.app(RouterFunctions.toWebHandler(routes)))) {
            assertThat(Http.rawStatus(server.uri(), "/payouts/../items", null)).isEqualTo(200);
            assertThat(Http.get(server.uri(), "/payouts/../items", null).body()).isEqualTo("payouts");
        }
    }

    @Test
    @DisplayName("a decided request continues on the calling event loop, with nothing scheduled; one that waited for the key set continues on its own event loop, not on the fetcher's thread nor on parallel")
    void decidedRequestsContinueOnTheCallingThread(TestIssuer issuer) {
        AtomicReference<String> thread = new AtomicReference<>();
        WebHandler recordThread = exchange -> {
            thread.set(Thread.currentThread().getName());
            return exchange.getResponse().setComplete();
        };
        try (NettyForTests server = NettyForTests.start(NettyForTests.app(recordThread, filter(issuer).build()))) {
            assertThat(Http.get(server.uri(), "/items", issuer.mint().sign()).statusCode()).isEqualTo(200);
            assertThat(thread.get()).as("after a cold key set fetch").startsWith("reactor-http-");

            assertThat(Http.get(server.uri(), "/items", issuer.mint().sign()).statusCode()).isEqualTo(200);
            assertThat(thread.get()).as("with the key set held and an in-memory store").startsWith("reactor-http-");
        }
    }

    @Test
    @DisplayName("functional endpoints read the claims from the request, and from the Reactor context across a thread hop")
    void functionalEndpointsReadTheClaims(TestIssuer issuer) {
        RouterFunction<ServerResponse> routes = RouterFunctions.route()
                .GET("/whoami", request -> ServerResponse.ok().bodyValue(CaracalExchanges.requireClaims(request).sub()))
                .GET("/later", request -> Mono.delay(Duration.ofMillis(1))
                        .then(CaracalExchanges.currentClaims())
                        .map(Claims::sub).defaultIfEmpty("none")
                        .flatMap(sub -> ServerResponse.ok().bodyValue(sub)))
                .GET("/open", request -> ServerResponse.ok().bodyValue(CaracalExchanges.claims(request).map(Claims::sub).orElse("none")))
                .build();
        try (NettyForTests server = NettyForTests.start(NettyForTests.app(RouterFunctions.toWebHandler(routes),
                filter(issuer).exclude("/open").build()))) {
            String token = issuer.mint().sub("user-fn").sign();
            assertThat(Http.get(server.uri(), "/whoami", token).body()).isEqualTo("user-fn");
            assertThat(Http.get(server.uri(), "/later", token).body()).isEqualTo("user-fn");
            assertThat(Http.get(server.uri(), "/open", token).body()).isEqualTo("none");
            assertThat(Http.get(server.uri(), "/whoami", null).statusCode()).isEqualTo(401);
        }
    }

    @Test
    @DisplayName("claims of one request are not in the exchange or context of the next one on the same connection")
    void claimsDoNotOutliveTheirRequest(TestIssuer issuer) {
        AtomicReference<String> seen = new AtomicReference<>();
        WebHandler record = exchange -> CaracalExchanges.currentClaims().map(Claims::sub).defaultIfEmpty("none")
                .doOnNext(sub -> seen.set(CaracalExchanges.claims(exchange).map(Claims::sub).orElse("none") + "/" + sub))
                .then(exchange.getResponse().setComplete());
        try (NettyForTests server = NettyForTests.start(NettyForTests.app(record, filter(issuer).exclude("/healthz").build()))) {
            Http.get(server.uri(), "/items", issuer.mint().sub("user-a").sign());
            assertThat(seen.get()).isEqualTo("user-a/user-a");
            Http.get(server.uri(), "/healthz", issuer.mint().sub("user-b").sign());
            assertThat(seen.get()).isEqualTo("none/none");
        }
    }

    @Test
    @DisplayName("§2.4: the filter serves the RFC 9728 document (GET, HEAD, 405) and names it in challenges")
    void servesTheMetadataDocument(TestIssuer issuer) {
        CaracalWebFilter filter = filter(issuer)
                .resourceMetadata(ProtectedResourceMetadata.forResource("https://mcp.example.com/mcp")).build();
        AtomicInteger calls = new AtomicInteger();
        try (NettyForTests server = NettyForTests.start(NettyForTests.app(counting(calls), filter))) {
            URI base = server.uri();
            HttpResponse<String> document = Http.get(base, "/.well-known/oauth-protected-resource/mcp", null);
            assertThat(document.statusCode()).isEqualTo(200);
            assertThat(document.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(document.headers().firstValue("Cache-Control")).contains("public, max-age=300");
            assertThat(document.body()).isEqualTo("{\"resource\":\"https://mcp.example.com/mcp\",\"authorization_servers\":[\""
                    + issuer.url() + "\"],\"bearer_methods_supported\":[\"header\"],\"scopes_supported\":[\"read\"]}");

            HttpResponse<String> head = Http.send(base, "HEAD", "/.well-known/oauth-protected-resource/mcp", null);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();

            HttpResponse<String> post = Http.send(base, "POST", "/.well-known/oauth-protected-resource/mcp", null);
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");

            HttpResponse<String> rejected = Http.get(base, "/mcp", null);
            assertThat(rejected.statusCode()).isEqualTo(401);
            assertThat(rejected.headers().allValues("WWW-Authenticate"))
                    .containsExactly("Bearer resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\"");
            assertThat(calls).hasValue(0);
        }
    }

    @Test
    @DisplayName("§4: the builder takes the shared options and environment defaults; metadata() needs resourceMetadata; order defaults to -90")
    void builderSharesTheBoundaryOptions(TestIssuer issuer) {
        assertThatThrownBy(() -> CaracalWebFilter.builder().environment(name -> null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Caracal issuer missing: set issuer or CARACAL_STS_URL");
        CaracalWebFilter fromEnvironment = CaracalWebFilter.builder()
                .environment(name -> name.equals("CARACAL_STS_URL") ? issuer.url() + "/" : name.equals("CARACAL_ZONE_ID") ? issuer.zone() : null)
                .audience(issuer.audience()).revocations(issuer.revocations()).build();
        assertThat(fromEnvironment.verifier().options().issuer()).isEqualTo(issuer.url());
        assertThat(fromEnvironment.verifier().options().zoneId()).contains(issuer.zone());
        assertThat(fromEnvironment.getOrder()).isEqualTo(CaracalWebFilter.DEFAULT_ORDER).isEqualTo(-90);
        assertThat(filter(issuer).order(Ordered.HIGHEST_PRECEDENCE).build().getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
        assertThatThrownBy(fromEnvironment::metadata).isInstanceOf(IllegalStateException.class)
                .hasMessage("no resourceMetadata(...) configured on this CaracalWebFilter");
        assertThatThrownBy(() -> CaracalExchanges.claims((ServerWebExchange) null)).isInstanceOf(NullPointerException.class).hasMessage("exchange");
    }

    @Test
    @DisplayName("§10.2 M8: with allowedOrigins, a foreign Origin is 403 before the mandate; the request's own origin and no Origin pass")
    void originRule(TestIssuer issuer) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CaracalWebFilter filter = filter(issuer).allowedOrigins("https://app.example.com").build();
        try (NettyForTests server = NettyForTests.start(NettyForTests.app(counting(calls), filter))) {
            String token = issuer.mint().scope("read").sign();
            // HTTP/1.1 and a time-out, as Http's client: the JDK client's default h2c upgrade attempt once left
            // a request of this test unanswered forever in CI.
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Http.TIMEOUT).build();
            java.util.function.Function<String, HttpResponse<String>> withOrigin = origin -> {
                java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(server.uri().resolve("/items"))
                        .timeout(Http.TIMEOUT).header("Authorization", "Bearer " + token);
                if (origin != null) {
                    request.header("Origin", origin);
                }
                try {
                    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            HttpResponse<String> foreign = withOrigin.apply("http://evil.example");
            assertThat(foreign.statusCode()).isEqualTo(403);
            assertThat(foreign.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Origin not allowed\"}}");
            assertThat(calls).as("handler calls").hasValue(0);
            assertThat(withOrigin.apply(server.uri().toString()).body()).isEqualTo("user-1");
            assertThat(withOrigin.apply("https://app.example.com").statusCode()).isEqualTo(200);
            assertThat(withOrigin.apply(null).statusCode()).isEqualTo(200);
            assertThat(calls).hasValue(3);
        }
    }

    private static CaracalWebFilter.Builder filter(TestIssuer issuer) {
        return CaracalWebFilter.builder().verifier(issuer.verifier().requiredScopes("read").build());
    }

    /** Counts its calls and answers 200 with the claims' sub, or {@code none}. */
    private static WebHandler counting(AtomicInteger calls) {
        return exchange -> {
            calls.incrementAndGet();
            ServerHttpResponse response = exchange.getResponse();
            byte[] body = CaracalExchanges.claims(exchange).map(Claims::sub).orElse("none").getBytes(StandardCharsets.UTF_8);
            return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
        };
    }
}
