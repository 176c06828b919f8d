package ai.caracal.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.Claims;
import ai.caracal.verify.http.ProtectedResourceMetadata;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** connectors.md §8: what is particular to the JDK server filter (the shared rows run in {@link JdkHttpParityTest}). */
@CaracalTest
class CaracalHttpFilterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
        executors.forEach(ExecutorService::shutdownNow);
    }

    @Test
    @DisplayName("description() is \"Caracal mandate verification\"")
    void description(TestIssuer issuer) {
        assertThat(filter(issuer).build().description()).isEqualTo("Caracal mandate verification");
    }

    @Test
    @DisplayName("the handler of a verified exchange reads its claims with claims(exchange)")
    void handlerReadsClaims(TestIssuer issuer) throws Exception {
        URI base = serve(1, "/", filter(issuer).build(), CaracalHttpFilterTest::echoSub);
        HttpResponse<String> response = get(base, "/items", issuer.mint().sub("user-42").sign());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("user-42");
    }

    @Test
    @DisplayName("claims are cleared when the filter chain returns: the same thread later sees none for that exchange")
    void claimsAreClearedAfterTheExchange(TestIssuer issuer) throws Exception {
        AtomicReference<HttpExchange> verified = new AtomicReference<>();
        AtomicReference<String> seenLater = new AtomicReference<>();
        HttpServer server = server(1);
        server.createContext("/api", exchange -> {
            verified.set(exchange);
            echoSub(exchange);
        }).getFilters().add(filter(issuer).build());
        server.createContext("/plain", exchange -> {
            seenLater.set(describe(CaracalHttpFilter.claims(verified.get())) + "/" + describe(CaracalHttpFilter.claims(exchange)));
            reply(exchange, 200, "ok");
        });
        URI base = start(server);
        assertThat(get(base, "/api/items", issuer.mint().sign()).body()).isEqualTo("user-1");
        assertThat(get(base, "/plain", null).statusCode()).isEqualTo(200);
        assertThat(seenLater.get()).isEqualTo("none/none");
    }

    @Test
    @DisplayName("claims are cleared even when the handler throws")
    void claimsAreClearedWhenTheHandlerThrows(TestIssuer issuer) throws Exception {
        AtomicReference<HttpExchange> failed = new AtomicReference<>();
        AtomicReference<String> seenLater = new AtomicReference<>();
        HttpServer server = server(1);
        server.createContext("/boom", exchange -> {
            failed.set(exchange);
            throw new IllegalStateException("handler failure");
        }).getFilters().add(filter(issuer).build());
        server.createContext("/plain", exchange -> {
            seenLater.set(describe(CaracalHttpFilter.claims(failed.get())));
            reply(exchange, 200, "ok");
        });
        URI base = start(server);
        assertThatThrownBy(() -> get(base, "/boom", issuer.mint().sign())).isInstanceOf(IOException.class);
        assertThat(failed.get()).isNotNull();
        assertThat(get(base, "/plain", null).statusCode()).isEqualTo(200);
        assertThat(seenLater.get()).isEqualTo("none");
    }

    @Test
    @DisplayName("claims(exchange) is empty for another exchange object, even while a verified exchange runs on this thread")
    void claimsOfAnotherExchangeAreEmpty(TestIssuer issuer) throws Exception {
        AtomicReference<HttpExchange> previous = new AtomicReference<>();
        URI base = serve(1, "/", filter(issuer).build(), exchange -> {
            HttpExchange earlier = previous.getAndSet(exchange);
            String other = earlier == null ? "first" : describe(CaracalHttpFilter.claims(earlier));
            reply(exchange, 200, describe(CaracalHttpFilter.claims(exchange)) + "/" + other);
        });
        assertThat(get(base, "/a", issuer.mint().sub("user-a").sign()).body()).isEqualTo("user-a/first");
        assertThat(get(base, "/b", issuer.mint().sub("user-b").sign()).body()).isEqualTo("user-b/none");
    }

    @Test
    @DisplayName("claims are visible on the handler's thread only, not on a thread it hands work to")
    void claimsStayOnTheHandlerThread(TestIssuer issuer) throws Exception {
        ExecutorService elsewhere = Executors.newSingleThreadExecutor();
        executors.add(elsewhere);
        URI base = serve(1, "/", filter(issuer).build(), exchange -> {
            String there;
            try {
                there = elsewhere.submit(() -> describe(CaracalHttpFilter.claims(exchange))).get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                there = "error " + e;
            }
            reply(exchange, 200, describe(CaracalHttpFilter.claims(exchange)) + "/" + there);
        });
        assertThat(get(base, "/items", issuer.mint().sign()).body()).isEqualTo("user-1/none");
    }

    @Test
    @DisplayName("concurrent exchanges on shared threads never see each other's claims; excluded ones see none")
    void claimsNeverLeakAcrossConcurrentExchanges(TestIssuer issuer) throws Exception {
        URI base = serve(4, "/", filter(issuer).exclude("/healthz").build(), CaracalHttpFilterTest::echoSub);
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            if (i % 2 == 0) {
                String sub = "user-" + i;
                responses.add(sendAsync(base, "/items", issuer.mint().sub(sub).sign()));
                expected.add(sub);
            } else {
                responses.add(sendAsync(base, "/healthz/" + i, null));
                expected.add("none");
            }
        }
        for (int i = 0; i < responses.size(); i++) {
            HttpResponse<String> response = responses.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.statusCode()).as("status of %d", i).isEqualTo(200);
            assertThat(response.body()).as("claims seen by %d", i).isEqualTo(expected.get(i));
        }
    }

    @Test
    @DisplayName("an unfiltered context sees no claims, even with a valid token")
    void unfilteredContextHasNoClaims(TestIssuer issuer) throws Exception {
        URI base = serve(1, "/", null, CaracalHttpFilterTest::echoSub);
        assertThat(get(base, "/items", issuer.mint().sign()).body()).isEqualTo("none");
    }

    @Test
    @DisplayName("§3.5: paths are absolute, so exclude prefixes include the context path")
    void excludePrefixesAreAbsolute(TestIssuer issuer) throws Exception {
        URI base = serve(1, "/api", filter(issuer).exclude("/api/healthz", "/healthz").build(), CaracalHttpFilterTest::echoSub);
        assertThat(get(base, "/api/healthz", issuer.mint().sign()).body()).isEqualTo("none");
        HttpResponse<String> response = get(base, "/api/healthzX", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"missing_token\"");
    }

    @Test
    @DisplayName("§3.5: percent-encoded dot segments are decoded but not normalised, so they are never excluded")
    void encodedDotSegmentsAreNotExcluded(TestIssuer issuer) throws Exception {
        URI base = serve(1, "/", filter(issuer).exclude("/healthz").build(), CaracalHttpFilterTest::echoSub);
        assertThat(get(base, "/healthz/%2e%2e/items", null).statusCode()).isEqualTo(401);
        assertThat(get(base, "/healthz/%2E/live", null).statusCode()).isEqualTo(401);
        assertThat(get(base, "/healthz/live", null).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("§2.4: a filter mapped at / serves the metadata document itself, without a token")
    void wideFilterServesTheDocument(TestIssuer issuer) throws Exception {
        CaracalHttpFilter filter = filter(issuer).resourceMetadata(ProtectedResourceMetadata.forResource("https://api.example.com")).build();
        URI base = serve(1, "/", filter, CaracalHttpFilterTest::echoSub);
        HttpResponse<String> document = get(base, "/.well-known/oauth-protected-resource", null);
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).startsWith("{\"resource\":\"https://api.example.com\"");
        HttpResponse<String> rejected = get(base, "/items", null);
        assertThat(rejected.headers().allValues("WWW-Authenticate"))
                .containsExactly("Bearer resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource\"");
    }

    @Test
    @DisplayName("§2.4/§8: with a narrow filter, metadataHandler serves the document at its path: GET, HEAD, 405, and 404 elsewhere")
    void metadataHandlerForNarrowMappings(TestIssuer issuer) throws Exception {
        CaracalHttpFilter filter = filter(issuer).resourceMetadata(ProtectedResourceMetadata.forResource("https://mcp.example.com/mcp")).build();
        HttpServer server = server(1);
        server.createContext("/mcp", CaracalHttpFilterTest::echoSub).getFilters().add(filter);
        server.createContext(filter.metadata().documentPath(), CaracalHttpFilter.metadataHandler(filter.metadata()));
        URI base = start(server);

        HttpResponse<String> get = get(base, "/.well-known/oauth-protected-resource/mcp", null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(get.headers().firstValue("Cache-Control")).contains("public, max-age=300");
        assertThat(get.body()).isEqualTo("{\"resource\":\"https://mcp.example.com/mcp\",\"authorization_servers\":[\"" + issuer.url()
                + "\"],\"bearer_methods_supported\":[\"header\"],\"scopes_supported\":[\"read\"]}");

        HttpResponse<String> head = send(base, "HEAD", "/.well-known/oauth-protected-resource/mcp");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Cache-Control")).contains("public, max-age=300");

        HttpResponse<String> post = send(base, "POST", "/.well-known/oauth-protected-resource/mcp");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");

        assertThat(get(base, "/.well-known/oauth-protected-resource/mcpX", null).statusCode()).isEqualTo(404);
        assertThat(get(base, "/.well-known/oauth-protected-resource/mcp/x", null).statusCode()).isEqualTo(404);

        HttpResponse<String> rejected = get(base, "/mcp", null);
        assertThat(rejected.statusCode()).isEqualTo(401);
        assertThat(rejected.headers().firstValue("WWW-Authenticate"))
                .contains("Bearer resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\"");
    }

    @Test
    @DisplayName("metadata() without resourceMetadata(...) is an IllegalStateException; metadataHandler(null) is rejected")
    void metadataMustBeConfigured(TestIssuer issuer) {
        CaracalHttpFilter filter = filter(issuer).build();
        assertThatThrownBy(filter::metadata).isInstanceOf(IllegalStateException.class)
                .hasMessage("no resourceMetadata(...) configured on this CaracalHttpFilter");
        assertThatThrownBy(() -> CaracalHttpFilter.metadataHandler(null)).isInstanceOf(NullPointerException.class).hasMessage("metadata");
        assertThatThrownBy(() -> CaracalHttpFilter.claims(null)).isInstanceOf(NullPointerException.class).hasMessage("exchange");
    }

    @Test
    @DisplayName("§4: the builder takes the shared options, environment defaults and construction errors included")
    void builderSharesTheBoundaryOptions(TestIssuer issuer) {
        assertThatThrownBy(() -> CaracalHttpFilter.builder().environment(name -> null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Caracal issuer missing: set issuer or CARACAL_STS_URL");
        CaracalHttpFilter fromEnvironment = CaracalHttpFilter.builder()
                .environment(name -> name.equals("CARACAL_STS_URL") ? issuer.url() + "/" : name.equals("CARACAL_ZONE_ID") ? issuer.zone() : null)
                .audience(issuer.audience()).revocations(issuer.revocations()).build();
        assertThat(fromEnvironment.verifier().options().issuer()).isEqualTo(issuer.url());
        assertThat(fromEnvironment.verifier().options().zoneId()).contains(issuer.zone());
    }

    // ---- helpers --------------------------------------------------------------------------------

    @Test
    @DisplayName("§10.3: a body announced over the drain limit is not read; the 401 comes before the body and says Connection: close")
    void bodyOverTheDrainLimitClosesTheConnection(TestIssuer issuer) throws Exception {
        URI base = serve(1, "/", filter(issuer).drainLimit(1024).build(), CaracalHttpFilterTest::echoSub);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));

            List<String> head = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.add(line.toLowerCase(Locale.ROOT));
            }

            assertThat(head).isNotEmpty();
            assertThat(head.get(0)).startsWith("http/1.1 401");
            assertThat(head).contains("connection: close");
        }
    }

    @Test
    @DisplayName("§3.5: the JDK picks a context by the raw path's string prefix, so /payouts/../items runs the /payouts handler: it needs the rules of both readings")
    void dotSegmentsNeedTheRulesOfEveryReading(TestIssuer issuer) throws Exception {
        CaracalHttpFilter filter = filter(issuer)
                .route("/payouts", ai.caracal.verify.Requirements.builder().requiredScopes("billing:payout").build())
                .build();
        HttpServer server = server(2);
        server.createContext("/payouts", exchange -> reply(exchange, 200, "payouts")).getFilters().add(filter);
        server.createContext("/items", exchange -> reply(exchange, 200, "items")).getFilters().add(filter);
        URI base = start(server);
        String readOnly = issuer.mint().scope("read").sign();
        String payout = issuer.mint().scope("read billing:payout").sign();

        HttpResponse<String> weaker = get(base, "/payouts/../items", readOnly);
        assertThat(weaker.statusCode()).as("a read-only mandate on %s", "/payouts/../items").isEqualTo(403);
        assertThat(weaker.body()).isNotEqualTo("payouts");
        assertThat(get(base, "/items/../payouts", readOnly).statusCode()).as("a read-only mandate on /items/../payouts").isEqualTo(403);
        assertThat(get(base, "/payouts/../items", payout).body()).as("a mandate meeting both rules").isEqualTo("payouts");
        assertThat(get(base, "/items", readOnly).body()).isEqualTo("items");
    }

    private static CaracalHttpFilter.Builder filter(TestIssuer issuer) {
        return CaracalHttpFilter.builder().verifier(issuer.verifier().requiredScopes("read").build());
    }

    private HttpServer server(int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        executors.add(executor);
        server.setExecutor(executor);
        servers.add(server);
        return server;
    }

    private static URI start(HttpServer server) {
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private URI serve(int threads, String context, CaracalHttpFilter filter, HttpHandler handler) throws IOException {
        HttpServer server = server(threads);
        var created = server.createContext(context, handler);
        if (filter != null) {
            created.getFilters().add(filter);
        }
        return start(server);
    }

    /** Answers with the sub of the exchange's claims, or {@code none}. */
    private static void echoSub(HttpExchange exchange) throws IOException {
        reply(exchange, 200, describe(CaracalHttpFilter.claims(exchange)));
    }

    private static String describe(Optional<Claims> claims) {
        return claims.map(Claims::sub).orElse("none");
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        try (exchange) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private HttpResponse<String> get(URI base, String path, String token) throws IOException, InterruptedException {
        return client.send(request(base, "GET", path, token), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(URI base, String method, String path) throws IOException, InterruptedException {
        return client.send(request(base, method, path, null), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(URI base, String path, String token) {
        return client.sendAsync(request(base, "GET", path, token), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(URI base, String method, String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }
}
