package ai.caracal.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.caracal.servlet.CaracalFilter;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.jetty.JettyForTests;
import ai.caracal.verify.Claims;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.ScopeHierarchy;
import ai.caracal.verify.http.ProtectedResourceMetadata;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * connectors.md §10.2 M9–M11 on a real Jetty with the SDK's Streamable HTTP transport behind
 * {@link CaracalFilter} and {@link McpBoundary} with a policy: the boundary answers unmet tool rules
 * with 401/403 (a missing scope as a step-up challenge the SDK client acts on), refuses routing headers
 * that disagree with the body and bodies that are not one JSON-RPC message, and filters listings.
 */
@Tag("integration")
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class McpPolicyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
    private static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\",\"params\":{}}";
    private static final Pattern SCOPE = Pattern.compile("scope=\"([^\"]*)\"");

    /** get_document: documents:read and a delegation through app_orchestrator; admin_report: admin. */
    static final McpPolicy POLICY = McpPolicy.builder()
            .tool("get_document", Requirements.builder().requiredScopes("documents:read")
                    .requireDelegation(true).requireChainContains("app_orchestrator").maxHopCount(2).build())
            .tool("admin_report", Requirements.builder().requiredScopes("admin").build())
            .build();

    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private URI base;
    private URI mcp;

    private void start(TestIssuer issuer, McpBoundary.Builder options) {
        start(issuer, options, ScopeHierarchy.NONE);
    }

    private void start(TestIssuer issuer, McpBoundary.Builder options, ScopeHierarchy hierarchy) {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp").contextExtractor(CaracalMcp.contextExtractor()).sessionSweepInterval(null).build();
        McpServer.SyncSpecification<?> spec = McpServer.sync(transport)
                .serverInfo("policy-test", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build());
        for (String name : List.of("search", "get_document", "admin_report")) {
            Tool tool = Tool.builder().name(name).inputSchema(McpSchema.JsonSchema.builder().type("object").build()).build();
            spec.toolCall(tool, (exchange, request) -> {
                runs.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                return CallToolResult.builder().addTextContent(name + " for " + CaracalMcp.claims(exchange).map(Claims::sub).orElse("?")).build();
            });
        }
        McpSyncServer server = spec.build();
        toClose.add(server::close);
        base = null;
        JettyForTests jetty = new JettyForTests();
        toClose.add(0, jetty);
        // The resource URL needs the port, which is known after start: metadata on a fixed relative form.
        CaracalFilter caracal = CaracalFilter.builder()
                .verifier(issuer.verifier().requiredScopes("tool:call").scopeHierarchy(hierarchy).build())
                .resourceMetadata(ProtectedResourceMetadata.forResource("https://mcp.test/mcp"))
                .build();
        McpBoundary boundary = options.policy(POLICY, caracal.boundary()).build();
        jetty.filter(caracal, "/mcp").filter(boundary, "/mcp").servlet(transport, "/mcp");
        base = jetty.start();
        mcp = base.resolve("/mcp");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private int runs(String tool) {
        return runs.getOrDefault(tool, new AtomicInteger()).get();
    }

    private static String agent(TestIssuer issuer, String... scopes) {
        return issuer.mint().sub("alice").clientId("app-1").scope(scopes).agentSession().sign();
    }

    private static String delegated(TestIssuer issuer, String... scopes) {
        return issuer.mint().sub("alice").clientId("app-1").scope(scopes).agentSession().delegationEdge()
                .chain("app_orchestrator", "app-1").hopCount(1).sign();
    }

    private static String text(CallToolResult result) {
        return ((TextContent) result.content().get(0)).text();
    }

    // --- M9 step-up and policy answers ---------------------------------------------------------------

    @Test
    @DisplayName("M9 step-up: the SDK client gets the 403 challenge naming every scope, obtains such a mandate, and its retry succeeds")
    void sdkClientStepsUp(TestIssuer issuer) {
        start(issuer, McpBoundary.builder());
        AtomicReference<String> token = new AtomicReference<>(agent(issuer, "tool:call"));
        List<String> challenges = new ArrayList<>();
        McpHttpClientTransportAuthorizationErrorHandler stepUp = McpHttpClientTransportAuthorizationErrorHandler.fromSync(
                (request, response, context) -> {
                    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
                    challenges.add(response.statusCode() + " " + challenge);
                    Matcher scope = SCOPE.matcher(challenge);
                    if (response.statusCode() != 403 || !challenge.contains("error=\"insufficient_scope\"") || !scope.find()) {
                        return false;
                    }
                    token.set(delegated(issuer, scope.group(1).split(" ")));
                    return true;
                });
        McpSyncClient client = client(token::get, stepUp);
        client.initialize();
        assertThat(client.listTools().tools()).extracting(Tool::name).containsExactly("search");

        CallToolResult result = client.callTool(new CallToolRequest("get_document", Map.of()));

        assertThat(text(result)).isEqualTo("get_document for alice");
        assertThat(challenges).containsExactly("403 Bearer error=\"insufficient_scope\", error_description=\"Mandate lacks scope: "
                + "documents:read\", scope=\"tool:call documents:read\", resource_metadata=\"https://mcp.test/.well-known/oauth-protected-resource/mcp\"");
        assertThat(runs("get_document")).isEqualTo(1);
        assertThat(client.listTools().tools()).extracting(Tool::name).containsExactly("search", "get_document");
    }

    @Test
    @DisplayName("M9 a client that does not step up gets the 403 and the tool never runs")
    void withoutStepUpTheToolNeverRuns(TestIssuer issuer) {
        start(issuer, McpBoundary.builder());
        McpSyncClient client = client(() -> agent(issuer, "tool:call"), McpHttpClientTransportAuthorizationErrorHandler.NOOP);
        client.initialize();
        Throwable thrown = catchThrowable(() -> client.callTool(new CallToolRequest("get_document", Map.of())));
        assertThat(thrown).isNotNull();
        assertThat(runs("get_document")).isZero();
    }

    @Test
    @DisplayName("M9 a non-delegated mandate with the scope: HTTP 403 delegation_required before the tool runs, no scope in the challenge")
    void nonDelegatedIsForbiddenAtTheBoundary(TestIssuer issuer) {
        start(issuer, McpBoundary.builder());
        String token = agent(issuer, "tool:call", "documents:read");
        String session = openSession(token);

        HttpResponse<String> call = post(token, session, call("get_document"), Map.of());

        assertThat(call.statusCode()).isEqualTo(403);
        assertThat(call.body()).startsWith("{\"error\":\"delegation_required\"");
        assertThat(call.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"insufficient_scope\", "
                + "error_description=\"Delegated mandate required\", resource_metadata=\"https://mcp.test/.well-known/oauth-protected-resource/mcp\"");
        assertThat(call.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(runs("get_document")).isZero();
    }

    @Test
    @DisplayName("M9 an operation without rules passes on the boundary rule alone; one that meets its rules runs")
    void operationsWithoutOrMeetingRulesRun(TestIssuer issuer) {
        start(issuer, McpBoundary.builder());
        String token = delegated(issuer, "tool:call", "documents:read");
        String session = openSession(token);
        assertThat(post(token, session, call("search"), Map.of()).body()).contains("search for alice");
        assertThat(post(token, session, call("get_document"), Map.of()).body()).contains("get_document for alice");
        assertThat(post(token, session, call("admin_report"), Map.of()).statusCode()).isEqualTo(403);
        assertThat(runs("admin_report")).isZero();
    }

    @Test
    @DisplayName("M11 the verifier's scope hierarchy applies to the policy: documents:admin implies documents:read")
    void hierarchyAppliesToThePolicy(TestIssuer issuer) {
        start(issuer, McpBoundary.builder(), ScopeHierarchy.builder().implies("documents:admin", "documents:read").build());
        String token = delegated(issuer, "tool:call", "documents:admin");
        String session = openSession(token);
        assertThat(post(token, session, call("get_document"), Map.of()).body()).contains("get_document for alice");
        assertThat(listed(token, session)).contains("\"name\":\"get_document\"");
    }

    // --- M10 listings --------------------------------------------------------------------------------

    @Test
    @DisplayName("M10 tools/list over SSE lists only what the mandate may call")
    void listingIsFiltered(TestIssuer issuer) {
        start(issuer, McpBoundary.builder());
        String plain = agent(issuer, "tool:call");
        String admin = agent(issuer, "tool:call", "admin");
        String plainList = listed(plain, openSession(plain));
        String adminList = listed(admin, openSession(admin));

        assertThat(plainList).contains("\"name\":\"search\"").doesNotContain("get_document").doesNotContain("admin_report");
        assertThat(adminList).contains("\"name\":\"search\"").contains("\"name\":\"admin_report\"").doesNotContain("get_document");
        assertThat(plainList).startsWith("id:").contains("event:").contains("\"id\":3");
    }

    @Test
    @DisplayName("M9/M10 on the stateless transport (JSON answers): the listing is filtered with a new length, the policy holds")
    void statelessTransportIsCovered(TestIssuer issuer) {
        HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
                .messageEndpoint("/mcp").contextExtractor(CaracalMcp.contextExtractor()).build();
        List<McpStatelessServerFeatures.SyncToolSpecification> tools = new ArrayList<>();
        for (String name : List.of("search", "get_document", "admin_report")) {
            tools.add(McpStatelessServerFeatures.SyncToolSpecification.builder()
                    .tool(Tool.builder().name(name).inputSchema(McpSchema.JsonSchema.builder().type("object").build()).build())
                    .callHandler((context, request) -> {
                        runs.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                        return CallToolResult.builder().addTextContent(name).build();
                    })
                    .build());
        }
        McpStatelessSyncServer server = McpServer.sync(transport).serverInfo("stateless-policy-test", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build()).tools(tools).build();
        toClose.add(server::close);
        CaracalFilter caracal = CaracalFilter.builder().verifier(issuer.verifier().requiredScopes("tool:call").build()).build();
        JettyForTests jetty = new JettyForTests();
        toClose.add(0, jetty);
        jetty.filter(caracal, "/mcp").filter(McpBoundary.builder().policy(POLICY, caracal.boundary()).build(), "/mcp")
                .servlet(transport, "/mcp");
        base = jetty.start();
        mcp = base.resolve("/mcp");
        String token = agent(issuer, "tool:call", "admin");

        HttpResponse<String> list = post(token, null, LIST, Map.of());
        HttpResponse<String> forbidden = post(token, null, call("get_document"), Map.of());
        HttpResponse<String> allowed = post(token, null, call("admin_report"), Map.of());

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(list.body()).startsWith("{").contains("\"name\":\"search\"", "\"name\":\"admin_report\"").doesNotContain("get_document");
        assertThat(list.headers().firstValue("Content-Length")).hasValue(String.valueOf(list.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(allowed.body()).contains("admin_report");
        assertThat(runs("get_document")).isZero();
        assertThat(runs("admin_report")).isEqualTo(1);
    }

    private String listed(String token, String session) {
        HttpResponse<String> list = post(token, session, LIST, Map.of());
        assertThat(list.statusCode()).isEqualTo(200);
        return list.body();
    }

    // --- M9 headers against the body -----------------------------------------------------------------

    static String call(String tool) {
        return "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{}}}";
    }

    private static String base64(String value) {
        return "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    static Stream<Arguments> mismatchedHeaders() {
        return Stream.of(
                Arguments.of("Mcp-Method of another method", call("search"), Map.of("Mcp-Method", "tools/list")),
                Arguments.of("Mcp-Name of another tool", call("search"), Map.of("Mcp-Name", "get_document")),
                Arguments.of("Mcp-Name in base64 of another tool", call("search"), Map.of("Mcp-Name", base64("get_document"))),
                Arguments.of("Mcp-Name doubly base64-encoded", call("search"), Map.of("Mcp-Name", base64(base64("search")))),
                Arguments.of("Mcp-Name with malformed base64", call("search"), Map.of("Mcp-Name", "=?base64?c2Vhcm*h?=")),
                Arguments.of("Mcp-Name base64 without padding", call("search"), Map.of("Mcp-Name", "=?base64?c2VhcmNoX?=")),
                Arguments.of("Mcp-Name base64 of invalid UTF-8", call("search"), Map.of("Mcp-Name", "=?base64?/w==?=")),
                Arguments.of("Mcp-Name base64 without its end", call("search"), Map.of("Mcp-Name", "=?base64?c2VhcmNo")),
                Arguments.of("Mcp-Name on a method that names nothing", LIST, Map.of("Mcp-Name", "search")),
                Arguments.of("Mcp-Method on a response", "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{}}", Map.of("Mcp-Method", "tools/call")),
                Arguments.of("Mcp-Method in another case", call("search"), Map.of("Mcp-Method", "Tools/Call")));
    }

    @ParameterizedTest(name = "{0}: 400 HeaderMismatch (-32020), no tool runs")
    @MethodSource("mismatchedHeaders")
    void headersThatDisagreeWithTheBodyAreRefused(String name, String body, Map<String, String> headers, TestIssuer issuer) {
        start(issuer, McpBoundary.builder());
        String token = delegated(issuer, "tool:call", "documents:read");
        String session = openSession(token);

        HttpResponse<String> response = post(token, session, body, headers);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).matches("\\{\"jsonrpc\":\"2\\.0\",\"id\":(2|3|9),\"error\":\\{\"code\":-32020,\"message\":\"Header mismatch: [^\"]*\"}}");
        assertThat(runs).isEmpty();
    }

    @Test
    @DisplayName("M9 headers that agree pass, the base64 form decoded once; non-ASCII names travel base64-encoded")
    void agreeingHeadersPass(TestIssuer issuer) {
        start(issuer, McpBoundary.builder());
        String token = delegated(issuer, "tool:call", "documents:read");
        String session = openSession(token);
        assertThat(post(token, session, call("search"), Map.of("Mcp-Method", "tools/call", "Mcp-Name", "search")).body())
                .contains("search for alice");
        assertThat(post(token, session, call("get_document"), Map.of("Mcp-Name", base64("get_document"))).body())
                .contains("get_document for alice");
        HttpResponse<String> unknownTool = post(token, session, call("café"), Map.of("Mcp-Name", base64("café")));
        assertThat(unknownTool.statusCode()).as(unknownTool.body()).isEqualTo(200);
    }

    @Test
    @DisplayName("M9 the header names the allowed tool, the body the forbidden one: the body decides, 403 (and with the header: 400)")
    void bodyDecidesNotTheHeader(TestIssuer issuer) {
        start(issuer, McpBoundary.builder());
        String token = agent(issuer, "tool:call");
        String session = openSession(token);
        assertThat(post(token, session, call("get_document"), Map.of()).statusCode()).isEqualTo(403);
        assertThat(post(token, session, call("get_document"), Map.of("Mcp-Name", "search")).statusCode()).isEqualTo(400);
        assertThat(runs).isEmpty();
    }

    @Test
    @DisplayName("M9 Mcp-Method on a request without a body (GET, DELETE), or twice: 400")
    void mcpMethodWithoutBodyIsRefused(TestIssuer issuer) {
        start(issuer, McpBoundary.builder());
        String token = agent(issuer, "tool:call");
        String session = openSession(token);
        HttpResponse<String> get = send(request(token, session).header("Accept", "text/event-stream")
                .header("Mcp-Method", "tools/call").GET());
        HttpResponse<String> delete = send(request(token, session).header("Mcp-Method", "tools/call").DELETE());
        HttpResponse<String> twice = send(request(token, session).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Mcp-Method", "tools/call")
                .header("Mcp-Method", "tools/call").POST(HttpRequest.BodyPublishers.ofString(call("search"))));
        assertThat(get.statusCode()).isEqualTo(400);
        assertThat(get.body()).contains("\"code\":-32020");
        assertThat(delete.statusCode()).isEqualTo(400);
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(post(token, session, call("search"), Map.of()).statusCode()).as("the session lives on").isEqualTo(200);
    }

    @Test
    @DisplayName("M9 a non-ASCII Mcp-Name byte (raw, not base64) is 400, never 500")
    void nonAsciiHeaderIsRefused(TestIssuer issuer) throws IOException {
        start(issuer, McpBoundary.builder());
        String token = agent(issuer, "tool:call");
        String session = openSession(token);
        String status = raw("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nMcp-Session-Id: " + session
                + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nMcp-Name: caf\u00e9\r\n"
                + "Content-Length: " + call("café").getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n", call("café"));
        assertThat(status).startsWith("HTTP/1.1 400");
        assertThat(runs).isEmpty();
    }

    // --- bad bodies ----------------------------------------------------------------------------------

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("not JSON", "tools/call get_document", -32700),
                Arguments.of("empty", "", -32700),
                Arguments.of("truncated", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\"", -32700),
                Arguments.of("a batch", "[" + call("get_document") + "]", -32600),
                Arguments.of("a string", "\"tools/call\"", -32600),
                Arguments.of("duplicate tool names", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"search\","
                        + "\"name\":\"get_document\"}}", -32700),
                Arguments.of("duplicate methods", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"get_document\"}}", -32700),
                Arguments.of("two messages", call("search") + call("get_document"), -32600),
                Arguments.of("no jsonrpc member", "{\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"get_document\"}}", -32600),
                Arguments.of("a tool name that is not a string", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":[\"get_document\"]}}", -32600),
                Arguments.of("params that are not an object", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":[\"get_document\"]}", -32600),
                Arguments.of("nested 2000 deep", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"search\",\"arguments\":"
                        + "[".repeat(2000) + "]".repeat(2000) + "}}", -32700));
    }

    @ParameterizedTest(name = "{0}: 400 ({2}), no tool runs, no stack trace")
    @MethodSource("badBodies")
    void badBodiesAreRefused(String name, String body, int code, TestIssuer issuer) {
        start(issuer, McpBoundary.builder());
        String token = delegated(issuer, "tool:call");
        String session = openSession(token);

        HttpResponse<String> response = post(token, session, body, Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":" + code + ",")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(runs).isEmpty();
    }

    static Stream<Arguments> invalidParams() {
        return Stream.of(
                Arguments.of("arguments that are a string", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"search\",\"arguments\":\"q\"}}",
                        "params.arguments must be an object"),
                Arguments.of("arguments that are an array", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"search\",\"arguments\":[1]}}",
                        "params.arguments must be an object"),
                Arguments.of("no tool name", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"arguments\":{}}}",
                        "params.name is required"),
                Arguments.of("no params at all", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\"}",
                        "params.name is required"));
    }

    @ParameterizedTest(name = "{0}: a JSON-RPC -32602 answer to request 7, not an empty stream; no tool runs")
    @MethodSource("invalidParams")
    void paramsTheMethodCannotTakeGetAJsonRpcError(String name, String body, String message, TestIssuer issuer) {
        start(issuer, McpBoundary.builder());
        String token = delegated(issuer, "tool:call");
        String session = openSession(token);

        HttpResponse<String> response = post(token, session, body, Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32602,\"message\":\"Invalid params: "
                + message + "\"}}");
        assertThat(runs).isEmpty();
    }

    @Test
    @DisplayName("M9 params the tool cannot take: a caller the policy refuses still gets its 403 first, not -32602")
    void policyComesBeforeTheParamsAnswer(TestIssuer issuer) {
        start(issuer, McpBoundary.builder());
        String token = agent(issuer, "tool:call");
        String session = openSession(token);

        HttpResponse<String> response = post(token, session,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"get_document\",\"arguments\":\"x\"}}", Map.of());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(runs).isEmpty();
    }

    @Test
    @DisplayName("M9 a body in another charset is 400")
    void nonUtf8CharsetIsRefused(TestIssuer issuer) {
        start(issuer, McpBoundary.builder());
        String token = agent(issuer, "tool:call");
        String session = openSession(token);
        HttpResponse<String> response = send(request(token, session).header("Content-Type", "application/json; charset=ISO-8859-1")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(call("search"))));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(runs).isEmpty();
    }

    @Test
    @DisplayName("§10.3 a body announced larger than maxRequestBytes: 413 as an early answer (flushed, then the body drained), announced or chunked")
    void bodyOverTheLimitIsRefused(TestIssuer issuer) throws IOException {
        start(issuer, McpBoundary.builder().maxRequestBytes(1024));
        String token = agent(issuer, "tool:call");
        String session = openSession(token);
        String big = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"search\",\"arguments\":{\"q\":\""
                + "x".repeat(2000) + "\"}}}";

        HttpResponse<String> announced = post(token, session, big, Map.of());
        String chunked = raw("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nMcp-Session-Id: " + session
                + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + Integer.toHexString(big.length()) + "\r\n", big + "\r\n0\r\n\r\n");

        assertThat(announced.statusCode()).isEqualTo(413);
        assertThat(announced.body()).contains("\"code\":-32600");
        // §10.3: the 413 is flushed first and the rest of the body drained, so the client reads the answer.
        assertThat(chunked).startsWith("HTTP/1.1 413").contains("\"code\":-32600");
        assertThat(runs).isEmpty();
        assertThat(post(token, session, call("search"), Map.of()).statusCode()).isEqualTo(200);
    }

    // --- helpers -------------------------------------------------------------------------------------

    private McpSyncClient client(java.util.function.Supplier<String> token, McpHttpClientTransportAuthorizationErrorHandler onRejection) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base.toString())
                .endpoint("/mcp")
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token.get()))
                .authorizationErrorHandler(onRejection)
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(TIMEOUT).initializationTimeout(TIMEOUT).build();
        toClose.add(0, client::close);
        return client;
    }

    private String openSession(String token) {
        HttpResponse<String> init = post(token, null, INITIALIZE, Map.of());
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(post(token, session, INITIALIZED, Map.of()).statusCode()).isEqualTo(202);
        return session;
    }

    private HttpResponse<String> post(String token, String session, String body, Map<String, String> headers) {
        HttpRequest.Builder request = request(token, session).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream");
        headers.forEach(request::header);
        return send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String token, String session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
        if (session != null) {
            request.header("Mcp-Session-Id", session);
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

    /** Sends a head (ISO-8859-1, so one byte per char) and a UTF-8 body over a socket; returns the whole answer. */
    private String raw(String head, String body) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            try {
                while ((n = in.read(buffer)) >= 0) {
                    answer.write(buffer, 0, n);
                }
            } catch (IOException closed) {
                // the answer is what arrived before the connection closed
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
