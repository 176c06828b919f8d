package ai.caracal.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.servlet.CaracalFilter;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.jetty.JettyForTests;
import ai.caracal.verify.Requirements;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
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
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * connectors.md §7 on real servers: CaracalFilter in front of the SDK's servlet transports (Streamable
 * HTTP with an async server, and the stateless transport), the same context extractor for both, the
 * guards, and the MCP Java SDK client over HTTP.
 */
@Tag("integration")
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class ServletTransportsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Requirements DELEGATED = Requirements.builder()
            .requireDelegation(true).requireChainContains("app_orchestrator").maxHopCount(2).build();

    private final AtomicInteger delegatedBodyRuns = new AtomicInteger();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private TestIssuer issuer;
    private URI base;

    /** Writes what the extractor yields for this request: the claims' sub, or EMPTY. */
    static final class ExtractorEcho extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            McpTransportContext context = CaracalMcp.contextExtractor().extract(request);
            response.getWriter().write(context == McpTransportContext.EMPTY ? "EMPTY"
                    : CaracalMcp.claims(context).orElseThrow().sub());
        }
    }

    private static Tool tool(String name) {
        return Tool.builder().name(name).inputSchema(McpSchema.JsonSchema.builder().type("object").build()).build();
    }

    private static CallToolResult text(String text) {
        return CallToolResult.builder().addTextContent(text).build();
    }

    @BeforeEach
    void start(TestIssuer issuer) {
        this.issuer = issuer;
        CaracalFilter filter = CaracalFilter.builder()
                .verifier(issuer.verifier().requiredScopes("tool:call").build())
                .exclude("/open")
                .build();

        HttpServletStreamableServerTransportProvider streamable = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp").contextExtractor(CaracalMcp.contextExtractor()).build();
        McpAsyncServer asyncServer = McpServer.async(streamable)
                .serverInfo("async-test", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(McpServerFeatures.AsyncToolSpecification.builder().tool(tool("whoami"))
                                .callHandler(CaracalMcp.guardAsync(Requirements.NONE,
                                        (exchange, request, claims) -> Mono.just(text(claims.sub()))))
                                .build(),
                        McpServerFeatures.AsyncToolSpecification.builder().tool(tool("delegated"))
                                .callHandler(CaracalMcp.guardAsync(DELEGATED, (exchange, request, claims) -> {
                                    delegatedBodyRuns.incrementAndGet();
                                    return Mono.just(text("delegated " + claims.sub()));
                                }))
                                .build())
                .build();
        toClose.add(asyncServer::close);

        HttpServletStreamableServerTransportProvider syncTransport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/sync").contextExtractor(CaracalMcp.contextExtractor()).build();
        McpSyncServer syncServer = McpServer.sync(syncTransport)
                .serverInfo("sync-test", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .toolCall(tool("whoami"), (exchange, request) -> text(Thread.currentThread().getName() + " "
                        + CaracalMcp.claims(exchange).map(claims -> claims.sub()).orElse("none")))
                .build();
        toClose.add(syncServer::close);

        HttpServletStatelessServerTransport stateless = statelessTransport("/stateless");
        HttpServletStatelessServerTransport open = statelessTransport("/open");

        JettyForTests jetty = new JettyForTests()
                .filter(filter, "/*")
                .servlet(streamable, "/mcp")
                .servlet(syncTransport, "/sync")
                .servlet(stateless, "/stateless")
                .servlet(open, "/open")
                .servlet(new ExtractorEcho(), "/echo")
                .servlet(new ExtractorEcho(), "/open/echo");
        toClose.add(0, jetty);
        base = jetty.start();
    }

    private HttpServletStatelessServerTransport statelessTransport(String endpoint) {
        HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
                .messageEndpoint(endpoint).contextExtractor(CaracalMcp.contextExtractor()).build();
        McpStatelessSyncServer server = McpServer.sync(transport)
                .serverInfo("stateless-test", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(McpStatelessServerFeatures.SyncToolSpecification.builder().tool(tool("whoami"))
                                .callHandler(CaracalMcp.guardStateless(Requirements.NONE,
                                        (context, request, claims) -> text(claims.sub())))
                                .build(),
                        McpStatelessServerFeatures.SyncToolSpecification.builder().tool(tool("delegated"))
                                .callHandler(CaracalMcp.guardStateless(DELEGATED, (context, request, claims) -> {
                                    delegatedBodyRuns.incrementAndGet();
                                    return text("delegated " + claims.sub());
                                }))
                                .build())
                .build();
        toClose.add(server::close);
        return transport;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private McpSyncClient client(String endpoint, String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base.toString())
                .endpoint(endpoint)
                .httpRequestCustomizer((request, method, uri, body, context) -> {
                    if (token != null) {
                        request.header("Authorization", "Bearer " + token);
                    }
                })
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(10))
                .initializationTimeout(Duration.ofSeconds(10))
                .build();
        toClose.add(0, client::close);
        return client;
    }

    private static String firstText(CallToolResult result) {
        return ((TextContent) result.content().get(0)).text();
    }

    private static Object structuredError(CallToolResult result) {
        return ((Map<?, ?>) result.structuredContent()).get("error");
    }

    @Test
    @DisplayName("Streamable HTTP, async server: guardAsync hands the verified claims to the tool")
    void streamableAsyncServerSeesClaims() {
        McpSyncClient client = client("/mcp", issuer.mint().scope("tool:call").sub("user-42").sign());
        client.initialize();

        CallToolResult result = client.callTool(new CallToolRequest("whoami", Map.of()));

        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(firstText(result)).isEqualTo("user-42");
    }

    @Test
    @DisplayName("Streamable HTTP, sync server: the handler runs on boundedElastic and reads the claims from the exchange")
    void syncHandlerReadsClaimsOnBoundedElastic() {
        McpSyncClient client = client("/sync", issuer.mint().scope("tool:call").sub("user-3").sign());
        client.initialize();

        String answer = firstText(client.callTool(new CallToolRequest("whoami", Map.of())));

        assertThat(answer).startsWith("boundedElastic-").endsWith(" user-3");
    }

    @Test
    @DisplayName("Streamable HTTP, async server: an unmet per-tool requirement is an isError result, body not run")
    void streamableAsyncServerGuardFails() {
        McpSyncClient client = client("/mcp", issuer.mint().scope("tool:call").agentSession().sign());
        client.initialize();

        CallToolResult result = client.callTool(new CallToolRequest("delegated", Map.of()));

        assertThat(result.isError()).isTrue();
        assertThat(structuredError(result)).isEqualTo("delegation_required");
        assertThat(delegatedBodyRuns).hasValue(0);
    }

    @Test
    @DisplayName("stateless transport with the same extractor: guardStateless sees the claims and enforces requirements")
    void statelessServer() {
        McpSyncClient client = client("/stateless", issuer.mint().scope("tool:call").sub("user-7").sign());
        client.initialize();

        assertThat(firstText(client.callTool(new CallToolRequest("whoami", Map.of())))).isEqualTo("user-7");
        CallToolResult denied = client.callTool(new CallToolRequest("delegated", Map.of()));
        assertThat(denied.isError()).isTrue();
        assertThat(structuredError(denied)).isEqualTo("delegation_required");
        assertThat(delegatedBodyRuns).hasValue(0);

        McpSyncClient delegatedClient = client("/stateless", issuer.mint().scope("tool:call").delegationEdge()
                .chain("app_orchestrator", "app-1").hopCount(2).sign());
        delegatedClient.initialize();
        assertThat(firstText(delegatedClient.callTool(new CallToolRequest("delegated", Map.of())))).isEqualTo("delegated user-1");
        assertThat(delegatedBodyRuns).hasValue(1);
    }

    @Test
    @DisplayName("stateless transport: no token is HTTP 401 missing_token at the filter, before JSON-RPC parsing")
    void statelessServerWithoutToken() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/stateless"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("not json at all")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).startsWith("{\"error\":\"missing_token\"");
        assertThatThrownBy(() -> client("/stateless", null).initialize())
                .hasRootCauseInstanceOf(McpHttpClientTransportAuthorizationException.class);
    }

    @Test
    @DisplayName("without the filter in front (excluded path) a guarded tool answers missing_token")
    void guardWithoutBoundaryAnswersMissingToken() {
        McpSyncClient client = client("/open", null);
        client.initialize();

        CallToolResult result = client.callTool(new CallToolRequest("whoami", Map.of()));

        assertThat(result.isError()).isTrue();
        assertThat(structuredError(result)).isEqualTo("missing_token");
    }

    @Test
    @DisplayName("the extractor yields the filter's claims, and McpTransportContext.EMPTY where the filter did not verify")
    void extractorFollowsTheFilter() throws Exception {
        String token = issuer.mint().scope("tool:call").sub("user-9").sign();
        HttpResponse<String> verified = HTTP.send(HttpRequest.newBuilder(base.resolve("/echo"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> excluded = HTTP.send(HttpRequest.newBuilder(base.resolve("/open/echo"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(verified.body()).isEqualTo("user-9");
        assertThat(excluded.body()).isEqualTo("EMPTY");
    }
}
