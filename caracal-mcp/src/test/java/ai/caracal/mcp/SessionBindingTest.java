package ai.caracal.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.caracal.servlet.CaracalFilter;
import ai.caracal.servlet.CaracalRequests;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.jetty.JettyForTests;
import ai.caracal.verify.Claims;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * connectors.md §10.2 M12 on a real Jetty with the SDK's Streamable HTTP transport behind
 * {@link CaracalFilter} and {@link McpBoundary}: a session belongs to the (zone_id, sub, client_id) that
 * initialized it; anyone else naming it gets the transport's own "session not found", for POST, GET
 * and DELETE, and the session carries on untouched.
 */
@Tag("integration")
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class SessionBindingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
    private static final String WHOAMI = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\",\"arguments\":{}}}";

    /** Tool runs per sub: a foreign request must never run a tool. */
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    /** The Mcp-Session-Id each sub was last given, as it left the server. */
    private final Map<String, String> issued = new ConcurrentHashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private McpBoundary boundary;
    private McpSyncServer server;
    private URI mcp;

    /** Outermost: records the session ID the transport hands each principal. */
    private final class IssuedSessions implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest httpRequest = (HttpServletRequest) request;
            chain.doFilter(request, new HttpServletResponseWrapper((HttpServletResponse) response) {
                @Override
                public void setHeader(String name, String value) {
                    if ("Mcp-Session-Id".equalsIgnoreCase(name)) {
                        issued.put(CaracalRequests.claims(httpRequest).map(Claims::sub).orElse("nobody"), value);
                    }
                    super.setHeader(name, value);
                }
            });
        }
    }

    private URI start(TestIssuer issuer, McpBoundary boundary, boolean boundaryFirst) {
        this.boundary = boundary;
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp").contextExtractor(CaracalMcp.contextExtractor()).sessionSweepInterval(null).build();
        Tool whoami = Tool.builder().name("whoami").inputSchema(McpSchema.JsonSchema.builder().type("object").build()).build();
        server = McpServer.sync(transport)
                .serverInfo("session-binding-test", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .toolCall(whoami, (exchange, request) -> {
                    String sub = CaracalMcp.claims(exchange).map(Claims::sub).orElse("nobody");
                    runs.computeIfAbsent(sub, s -> new AtomicInteger()).incrementAndGet();
                    return CallToolResult.builder().addTextContent(sub).build();
                })
                .build();
        toClose.add(server::close);
        CaracalFilter caracal = CaracalFilter.builder().verifier(issuer.verifier().requiredScopes("tool:call").build()).build();
        JettyForTests jetty = new JettyForTests().filter(new IssuedSessions(), "/mcp");
        if (boundaryFirst) {
            jetty.filter(boundary, "/mcp").filter(caracal, "/mcp");
        } else {
            jetty.filter(caracal, "/mcp").filter(boundary, "/mcp");
        }
        jetty.servlet(transport, "/mcp");
        toClose.add(0, jetty);
        mcp = jetty.start().resolve("/mcp");
        return mcp;
    }

    private URI start(TestIssuer issuer) {
        return start(issuer, McpBoundary.create(), false);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private static String token(TestIssuer issuer, String sub, String clientId) {
        return issuer.mint().scope("tool:call").sub(sub).clientId(clientId).sign();
    }

    /** A session opened over raw HTTP: initialize, then notifications/initialized. */
    private String openSession(String token) {
        HttpResponse<String> init = post(token, null, INITIALIZE);
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(post(token, session, INITIALIZED).statusCode()).isEqualTo(202);
        return session;
    }

    private HttpResponse<String> post(String token, String session, String body) {
        return send(request(token, session).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String token, String... sessions) {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
        for (String session : sessions) {
            if (session != null) {
                request.header("Mcp-Session-Id", session);
            }
        }
        return request;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Opens the GET stream of a session and returns its status. The transport sends the response head
     * with the first event, so the server sends notifications until the head arrives.
     */
    private int openStream(String token, String session) {
        CompletableFuture<HttpResponse<InputStream>> stream = HTTP.sendAsync(
                request(token, session).header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        Eventually.waitUntil(TIMEOUT, "the head of the GET stream", () -> {
            server.notifyToolsListChanged();
            return stream.isDone();
        });
        HttpResponse<InputStream> response = stream.join();
        try {
            response.body().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return response.statusCode();
    }

    /** The SDK's default JSON mapper writes the McpError exception, stack trace included; frames differ per thread. */
    private static String withoutStackTrace(String body) {
        return body.replaceAll("\"stackTrace\":\\[[^\\]]*\\]", "\"stackTrace\":[]");
    }

    private int runs(String sub) {
        return runs.getOrDefault(sub, new AtomicInteger()).get();
    }

    private static String text(CallToolResult result) {
        return ((TextContent) result.content().get(0)).text();
    }

    /** The three ways to touch a session over HTTP, as another principal sends them. */
    static Stream<Arguments> sessionRequests() {
        return Stream.of(
                Arguments.of("POST tools/call", "POST", WHOAMI),
                Arguments.of("POST notification", "POST", INITIALIZED),
                Arguments.of("GET (SSE stream)", "GET", null),
                Arguments.of("DELETE", "DELETE", null));
    }

    private HttpResponse<String> sessionRequest(String method, String body, String token, String session) {
        HttpRequest.Builder request = request(token, session);
        switch (method) {
            case "POST":
                return send(request.header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body)));
            case "GET":
                return send(request.header("Accept", "text/event-stream").GET());
            default:
                return send(request.DELETE());
        }
    }

    @ParameterizedTest(name = "{0} naming another principal's session: 404, byte for byte the transport's answer for an unknown session; the session works on")
    @MethodSource("sessionRequests")
    void anotherPrincipalGetsSessionNotFound(String name, String method, String body, TestIssuer issuer) {
        start(issuer);
        String alice = token(issuer, "alice", "app-1");
        String bob = token(issuer, "bob", "app-1");
        String session = openSession(alice);
        String unknown = UUID.randomUUID().toString();

        HttpResponse<String> foreign = sessionRequest(method, body, bob, session);
        HttpResponse<String> notFound = sessionRequest(method, body, bob, unknown);

        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(404);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(withoutStackTrace(foreign.body())).isEqualTo(withoutStackTrace(notFound.body()).replace(unknown, session));
        assertThat(foreign.headers().firstValue("Content-Type")).isEqualTo(notFound.headers().firstValue("Content-Type"));
        if (method.equals("POST")) {
            assertThat(foreign.body()).contains("Session not found: " + session);
        }
        assertThat(runs("bob")).isZero();

        assertThat(openStream(alice, session)).isEqualTo(200);
        HttpResponse<String> call = post(alice, session, WHOAMI);
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(call.body()).contains("\"text\":\"alice\"");
        assertThat(sessionRequest("DELETE", null, alice, session).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("the MCP Java SDK client of another principal, made to name the session, gets no tool result; the owner's SDK client carries on")
    void sdkClientOfAnotherPrincipalCannotUseTheSession(TestIssuer issuer) {
        start(issuer);
        McpSyncClient alice = client(token(issuer, "alice", "app-1"), null);
        alice.initialize();
        assertThat(text(alice.callTool(new CallToolRequest("whoami", Map.of())))).isEqualTo("alice");
        String aliceSession = issued.get("alice");

        McpSyncClient bob = client(token(issuer, "bob", "app-1"), aliceSession);
        bob.initialize();
        Throwable thrown = catchThrowable(() -> bob.callTool(new CallToolRequest("whoami", Map.of())));

        assertThat(thrown).as("bob's call under alice's session").isNotNull();
        assertThat(runs("bob")).isZero();
        assertThat(text(alice.callTool(new CallToolRequest("whoami", Map.of())))).isEqualTo("alice");
        assertThat(runs("alice")).isEqualTo(2);
    }

    /**
     * An SDK client sending {@code Authorization: Bearer token}; with {@code forcedSession}, its
     * {@code tools/call} requests name that session instead of its own.
     */
    private McpSyncClient client(String token, String forcedSession) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(mcp.resolve("/").toString())
                .endpoint("/mcp")
                .httpRequestCustomizer((request, method, uri, body, context) -> {
                    request.header("Authorization", "Bearer " + token);
                    if (forcedSession != null && body != null && body.contains("\"tools/call\"")) {
                        request.setHeader("Mcp-Session-Id", forcedSession);
                    }
                })
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(TIMEOUT).initializationTimeout(TIMEOUT).build();
        toClose.add(0, client::close);
        return client;
    }

    @Test
    @DisplayName("the principal is (zone_id, sub, client_id): the same sub through another client is a stranger; a fresh mandate of the same principal is the owner")
    void principalIsZoneSubAndClient(TestIssuer issuer) {
        start(issuer);
        String session = openSession(token(issuer, "alice", "app-1"));

        assertThat(post(token(issuer, "alice", "app-2"), session, WHOAMI).statusCode()).isEqualTo(404);
        HttpResponse<String> again = post(token(issuer, "alice", "app-1"), session, WHOAMI);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"text\":\"alice\"");
        assertThat(runs("alice")).isEqualTo(1);
    }

    @Test
    @DisplayName("a request naming two sessions, its own among them, reaches neither")
    void twoSessionIdsReachNeither(TestIssuer issuer) {
        start(issuer);
        String alice = token(issuer, "alice", "app-1");
        String own = openSession(alice);
        String other = openSession(token(issuer, "bob", "app-1"));

        HttpResponse<String> response = send(request(alice, own, other).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(WHOAMI)));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(runs("alice")).isZero();
    }

    @Test
    @DisplayName("the owner's DELETE ends the session and forgets it; the owner then gets session not found")
    void ownersDeleteForgetsTheSession(TestIssuer issuer) {
        start(issuer);
        String alice = token(issuer, "alice", "app-1");
        String session = openSession(alice);
        assertThat(boundary.sessionCount()).isEqualTo(1);

        assertThat(sessionRequest("DELETE", null, alice, session).statusCode()).isEqualTo(200);

        assertThat(boundary.sessionCount()).isZero();
        assertThat(post(alice, session, WHOAMI).statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("at most maxSessions are bound: the least recently used is forgotten and answers session not found, even to its owner")
    void tableIsBounded(TestIssuer issuer) {
        start(issuer, McpBoundary.builder().maxSessions(2).build(), false);
        String alice = token(issuer, "alice", "app-1");
        String first = openSession(alice);
        String second = openSession(alice);
        String third = openSession(alice);

        assertThat(boundary.sessionCount()).isEqualTo(2);
        assertThat(post(alice, first, WHOAMI).statusCode()).isEqualTo(404);
        assertThat(post(alice, second, WHOAMI).statusCode()).isEqualTo(200);
        assertThat(post(alice, third, WHOAMI).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("mapped before CaracalFilter by mistake, McpBoundary lets no one into a session, its creator included")
    void mappedBeforeCaracalFilterFailsClosed(TestIssuer issuer) {
        start(issuer, McpBoundary.create(), true);
        String alice = token(issuer, "alice", "app-1");
        HttpResponse<String> init = post(alice, null, INITIALIZE);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();

        assertThat(post(alice, session, WHOAMI).statusCode()).isEqualTo(404);
        assertThat(runs("alice")).isZero();
    }
}
