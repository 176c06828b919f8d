package ai.caracal.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Spring AI MCP server (Streamable HTTP, Spring MVC, Spring Boot 4.1) behind the Caracal starter,
 * driven by the MCP Java SDK client: the filter answers 401/403 before JSON-RPC, and tools written in
 * each of Spring AI's styles read the verified claims of the HTTP request that carried the call.
 */
@CaracalTest(zone = "zone_ai", audience = "resource://tools")
class SpringAiMcpServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
    private static final String WHOAMI = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\",\"arguments\":{}}}";

    private static ConfigurableApplicationContext context;
    private static URI mcp;

    private TestIssuer issuer;

    @BeforeAll
    static void start(TestIssuer issuer) {
        SpringApplication application = new SpringApplication(McpServerApplication.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        context = application.run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--server.shutdown=immediate",
                "--spring.jmx.enabled=false",
                "--spring.ai.mcp.server.protocol=STREAMABLE",
                "--spring.ai.mcp.server.name=caracal-spring-ai-test",
                "--caracal.sts-url=" + issuer.url(),
                "--caracal.audience=" + issuer.audience(),
                "--caracal.zone-id=" + issuer.zone(),
                "--caracal.required-scopes=tool:call",
                "--caracal.url-patterns=/mcp",
                "--caracal.revocation.store=memory",
                "--caracal.warmup-on-startup=false");
        mcp = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/mcp");
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @BeforeEach
    void mintAtWallClockTime(TestIssuer issuer) {
        this.issuer = issuer;
        issuer.clock().set(Instant.now());
    }

    @Test
    @DisplayName("the run uses the MCP Java SDK of this build")
    void runsOnTheExpectedSdk() {
        String expected = System.getProperty("caracal.expected-mcp-sdk");
        assertThat(expected).as("system property caracal.expected-mcp-sdk").isNotBlank();
        assertThat(Tool.class.getProtectionDomain().getCodeSource().getLocation().getPath()).endsWith("/mcp-core-" + expected + ".jar");
    }

    @Test
    @DisplayName("no mandate: 401 missing_token from the filter, before any JSON-RPC parsing, also for the SDK client")
    void noMandateIsRejectedBeforeJsonRpc() {
        HttpResponse<String> notEvenJsonRpc = post(null, "this is not JSON-RPC");
        assertThat(notEvenJsonRpc.statusCode()).isEqualTo(401);
        assertThat(notEvenJsonRpc.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(notEvenJsonRpc.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(notEvenJsonRpc.body()).startsWith("{\"error\":\"missing_token\",\"error_description\":");

        try (McpSyncClient client = client(null)) {
            McpHttpClientTransportAuthorizationException failure = authorizationFailure(catchThrowable(client::initialize));
            assertThat(failure.getResponseInfo().statusCode()).isEqualTo(401);
        }
    }

    @Test
    @DisplayName("GET /mcp (SSE) and DELETE /mcp without a mandate are 401 missing_token too")
    void streamAndSessionEndNeedAMandate() {
        for (String method : new String[] {"GET", "DELETE"}) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(mcp)
                    .header("Accept", "text/event-stream")
                    .header("Mcp-Session-Id", "any")
                    .method(method, HttpRequest.BodyPublishers.noBody()));
            assertThat(response.statusCode()).as(method).isEqualTo(401);
            assertThat(response.body()).as(method).contains("\"error\":\"missing_token\"");
        }
    }

    @Test
    @DisplayName("a mandate without the boundary scope tool:call: 403 insufficient_scope, for raw HTTP and the SDK client")
    void missingScopeIsForbidden() {
        String token = issuer.mint().scope("tool:list").sign();

        HttpResponse<String> response = post("Bearer " + token, INITIALIZE);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                assertThat(challenge).startsWith("Bearer error=\"insufficient_scope\"").endsWith("scope=\"tool:call\""));
        assertThat(response.body()).contains("\"error\":\"insufficient_scope\"");

        try (McpSyncClient client = client(token)) {
            McpHttpClientTransportAuthorizationException failure = authorizationFailure(catchThrowable(client::initialize));
            assertThat(failure.getResponseInfo().statusCode()).isEqualTo(403);
        }
    }

    @Test
    @DisplayName("a valid mandate: @McpTool and @Tool callback tools answer with the claims' sub")
    void toolsReadTheCallersClaims() {
        try (McpSyncClient client = client(issuer.mint().sub("user-1").scope("tool:call").sign())) {
            client.initialize();
            assertThat(client.listTools().tools()).extracting(Tool::name)
                    .contains("whoami", "whoami_callback", "payout_status");

            assertThat(text(client.callTool(new CallToolRequest("whoami", Map.of())))).isEqualTo("user-1");
            // A @Tool method's result goes through Spring AI's default converter, which writes it as JSON.
            assertThat(text(client.callTool(new CallToolRequest("whoami_callback", Map.of())))).isEqualTo("\"user-1\"");
        }
    }

    @Test
    @DisplayName("claims never cross: two sessions calling in turn each see their own sub")
    void claimsStayWithTheirRequest() {
        try (McpSyncClient alice = client(issuer.mint().sub("alice").scope("tool:call").sign());
             McpSyncClient bob = client(issuer.mint().sub("bob").scope("tool:call").sign())) {
            alice.initialize();
            bob.initialize();
            for (int i = 0; i < 3; i++) {
                assertThat(text(alice.callTool(new CallToolRequest("whoami", Map.of())))).isEqualTo("alice");
                assertThat(text(bob.callTool(new CallToolRequest("whoami", Map.of())))).isEqualTo("bob");
            }
        }
    }

    @Test
    @DisplayName("a guarded tool (CaracalMcp.guard) answers isError delegation_required to a non-delegated mandate, and runs for a delegated one")
    void guardedToolChecksItsOwnRequirements() {
        try (McpSyncClient client = client(issuer.mint().sub("user-2").scope("tool:call").sign())) {
            client.initialize();
            CallToolResult denied = client.callTool(new CallToolRequest("payout_status", Map.of()));
            assertThat(denied.isError()).isTrue();
            assertThat(denied.structuredContent()).isInstanceOfSatisfying(Map.class,
                    content -> assertThat(content.get("error")).isEqualTo("delegation_required"));
        }
        try (McpSyncClient client = client(issuer.mint().sub("user-2").scope("tool:call").delegationEdge().sign())) {
            client.initialize();
            CallToolResult allowed = client.callTool(new CallToolRequest("payout_status", Map.of()));
            assertThat(allowed.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(text(allowed)).isEqualTo("payouts of user-2: none pending");
        }
    }

    @Test
    @DisplayName("a session whose agent session is revoked: the next tools/call is HTTP 401, though the MCP session is live")
    void revokedSessionIsCutOff() {
        String agent = "agent-" + UUID.randomUUID();
        try (McpSyncClient client = client(issuer.mint().scope("tool:call").agentSession(agent).sign())) {
            client.initialize();
            assertThat(text(client.callTool(new CallToolRequest("whoami", Map.of())))).isNotBlank();

            context.getBean(RevocationStore.class).revoke(agent);

            McpHttpClientTransportAuthorizationException failure =
                    authorizationFailure(catchThrowable(() -> client.callTool(new CallToolRequest("whoami", Map.of()))));
            assertThat(failure.getResponseInfo().statusCode()).isEqualTo(401);
            assertThat(failure.getRequestSnapshot().headers().firstValue("Mcp-Session-Id")).isPresent();
        }
    }

    @Test
    @DisplayName("M12: another principal naming a live session gets the transport's 404 for an unknown session on POST, GET and DELETE; the session carries on")
    void sessionBelongsToItsPrincipal() {
        String alice = "Bearer " + issuer.mint().sub("alice").scope("tool:call").sign();
        String bob = "Bearer " + issuer.mint().sub("bob").scope("tool:call").sign();
        HttpResponse<String> init = post(alice, null, INITIALIZE);
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(post(alice, session, INITIALIZED).statusCode()).isEqualTo(202);
        String unknown = UUID.randomUUID().toString();

        for (String method : new String[] {"POST", "GET", "DELETE"}) {
            HttpResponse<String> foreign = sessionRequest(method, bob, session);
            HttpResponse<String> notFound = sessionRequest(method, bob, unknown);
            assertThat(foreign.statusCode()).as(method + " " + foreign.body()).isEqualTo(404);
            assertThat(notFound.statusCode()).as(method).isEqualTo(404);
            assertThat(withoutStackTrace(foreign.body())).as(method).isEqualTo(withoutStackTrace(notFound.body()).replace(unknown, session));
            assertThat(foreign.headers().firstValue("Content-Type")).as(method).isEqualTo(notFound.headers().firstValue("Content-Type"));
        }

        HttpResponse<String> call = post(alice, session, WHOAMI);
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(call.body()).contains("alice").doesNotContain("bob");
        assertThat(sessionRequest("DELETE", alice, session).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> sessionRequest(String method, String authorization, String session) {
        switch (method) {
            case "POST":
                return post(authorization, session, WHOAMI);
            case "GET":
                return send(HttpRequest.newBuilder(mcp).header("Authorization", authorization).header("Mcp-Session-Id", session)
                        .header("Accept", "text/event-stream").GET());
            default:
                return send(HttpRequest.newBuilder(mcp).header("Authorization", authorization).header("Mcp-Session-Id", session)
                        .DELETE());
        }
    }

    /** A serialised exception's stack trace differs from request to request; the rest of the answer must not. */
    private static String withoutStackTrace(String body) {
        return body.replaceAll("\"stackTrace\":\\[[^\\]]*\\]", "\"stackTrace\":[]");
    }

    @Test
    @DisplayName("M9 step-up: admin_report needs admin; the SDK client gets the 403 challenge naming tool:call admin, obtains such a mandate and its retry succeeds; M10: listings follow the mandate")
    void stepUpForAPolicyTool() {
        AtomicReference<String> token = new AtomicReference<>(issuer.mint().sub("carol").scope("tool:call").sign());
        List<String> challenges = new CopyOnWriteArrayList<>();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(mcp.resolve("/").toString())
                .endpoint(mcp.getPath())
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token.get()))
                .authorizationErrorHandler(McpHttpClientTransportAuthorizationErrorHandler.fromSync((request, response, context) -> {
                    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
                    challenges.add(response.statusCode() + " " + challenge);
                    Matcher scope = Pattern.compile("scope=\"([^\"]*)\"").matcher(challenge);
                    if (response.statusCode() != 403 || !scope.find()) {
                        return false;
                    }
                    token.set(issuer.mint().sub("carol").scope(scope.group(1).split(" ")).sign());
                    return true;
                }))
                .build();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(TIMEOUT).initializationTimeout(TIMEOUT).build()) {
            client.initialize();
            assertThat(client.listTools().tools()).extracting(Tool::name).contains("whoami", "payout_status").doesNotContain("admin_report");

            assertThat(text(client.callTool(new CallToolRequest("admin_report", Map.of())))).isEqualTo("report for carol");

            assertThat(challenges).containsExactly("403 Bearer error=\"insufficient_scope\", error_description=\"Mandate lacks scope: admin\", "
                    + "scope=\"tool:call admin\"");
            assertThat(client.listTools().tools()).extracting(Tool::name).contains("whoami", "payout_status", "admin_report");
        }
    }

    @Test
    @DisplayName("M9: Mcp-Name that disagrees with the body is 400 (-32020), a batch 400 (-32600), before the transport; agreeing headers pass")
    void headersAndBodyAreCrossChecked() {
        String token = "Bearer " + issuer.mint().sub("dave").scope("tool:call", "admin").sign();
        HttpResponse<String> init = post(token, null, INITIALIZE);
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(post(token, session, INITIALIZED).statusCode()).isEqualTo(202);
        String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"admin_report\",\"arguments\":{}}}";

        HttpResponse<String> mismatch = send(HttpRequest.newBuilder(mcp).header("Authorization", token).header("Mcp-Session-Id", session)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Mcp-Method", "tools/call").header("Mcp-Name", "whoami").POST(HttpRequest.BodyPublishers.ofString(call)));
        HttpResponse<String> batch = post(token, session, "[" + call + "]");
        HttpResponse<String> agreeing = send(HttpRequest.newBuilder(mcp).header("Authorization", token).header("Mcp-Session-Id", session)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Mcp-Method", "tools/call").header("Mcp-Name", "admin_report").POST(HttpRequest.BodyPublishers.ofString(call)));

        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(mismatch.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32020,\"message\":\"Header mismatch: Mcp-Name does not match the body\"}}");
        assertThat(batch.statusCode()).isEqualTo(400);
        assertThat(batch.body()).contains("\"code\":-32600");
        assertThat(agreeing.statusCode()).isEqualTo(200);
        assertThat(agreeing.body()).contains("report for dave");
    }

    /** An MCP Java SDK client over Streamable HTTP sending {@code Authorization: Bearer <token>} (none when null). */
    private static McpSyncClient client(String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(mcp.resolve("/").toString())
                .endpoint(mcp.getPath())
                .httpRequestCustomizer((request, method, uri, body, transportContext) -> {
                    if (token != null) {
                        request.header("Authorization", "Bearer " + token);
                    }
                })
                .build();
        return McpClient.sync(transport).requestTimeout(TIMEOUT).initializationTimeout(TIMEOUT).build();
    }

    private static String text(CallToolResult result) {
        assertThat(result.content()).as("content of %s", result).hasSize(1);
        return ((TextContent) result.content().get(0)).text();
    }

    private static McpHttpClientTransportAuthorizationException authorizationFailure(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof McpHttpClientTransportAuthorizationException) {
                return (McpHttpClientTransportAuthorizationException) t;
            }
        }
        throw new AssertionError("no McpHttpClientTransportAuthorizationException in the cause chain", thrown);
    }

    private static HttpResponse<String> post(String authorization, String body) {
        return post(authorization, null, body);
    }

    private static HttpResponse<String> post(String authorization, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
