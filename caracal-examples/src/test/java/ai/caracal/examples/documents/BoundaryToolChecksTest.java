package ai.caracal.examples.documents;

import static ai.caracal.examples.documents.McpHttp.INITIALIZE;
import static ai.caracal.examples.documents.McpHttp.json;
import static ai.caracal.examples.documents.McpHttp.openSession;
import static ai.caracal.examples.documents.McpHttp.post;
import static ai.caracal.examples.documents.McpHttp.send;
import static ai.caracal.examples.documents.McpHttp.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code documents-mcp} in its default form ({@code caracal serve}, {@code --tool-checks boundary};
 * connectors.md §10.2 M8–M10, devtools.md §3.7): {@code get_document}'s rule, with {@code documents:read},
 * is checked at the boundary, listings follow the mandate, foreign origins and disagreeing routing headers
 * are refused. The seed form is {@link McpChecksTest}.
 */
@Tag("integration")
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class BoundaryToolChecksTest {

    private static final Pattern SCOPE = Pattern.compile("scope=\"([^\"]*)\"");

    private TestIssuer issuer;
    private DocumentsMcpServer server;
    private URI mcp;
    private String metadataUrl;

    @BeforeEach
    void start(TestIssuer issuer) {
        issuer.clock().set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        this.issuer = issuer;
        server = DocumentsMcpServer.builder().port(0).issuer(issuer.url()).zoneId("zone_dev")
                .revocations(issuer.revocations()).build().start();
        mcp = server.mcpUrl();
        metadataUrl = server.baseUrl() + "/.well-known/oauth-protected-resource/mcp";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MandateBuilder agent() {
        return issuer.mint().scope("tool:call").agentSession("agent-1");
    }

    private static MandateBuilder delegated(MandateBuilder mandate) {
        return mandate.delegationEdge().chain("app_orchestrator", "app_dev").delegationPath("edge-1").hopCount(1);
    }

    @Test
    @DisplayName("step-up: the SDK client without documents:read gets the 403 challenge naming it, obtains a mandate with it and retries successfully")
    void stepUpToDocumentsRead() {
        AtomicReference<String> token = new AtomicReference<>(delegated(agent()).sign());
        List<String> challenges = new CopyOnWriteArrayList<>();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(mcp.resolve("/").toString())
                .endpoint(mcp.getPath())
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token.get()))
                .authorizationErrorHandler(McpHttpClientTransportAuthorizationErrorHandler.fromSync((request, response, context) -> {
                    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
                    challenges.add(response.statusCode() + " " + challenge);
                    Matcher scope = SCOPE.matcher(challenge);
                    if (response.statusCode() != 403 || !scope.find()) {
                        return false;
                    }
                    token.set(delegated(issuer.mint().agentSession("agent-1")).scope(scope.group(1).split(" ")).sign());
                    return true;
                }))
                .build();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(McpHttp.TIMEOUT).initializationTimeout(McpHttp.TIMEOUT).build()) {
            client.initialize();
            assertThat(client.listTools().tools()).extracting(Tool::name).containsExactly("search", "whoami");

            CallToolResult document = client.callTool(new CallToolRequest("get_document", Map.of("doc_id", "doc-7")));

            assertThat(((TextContent) document.content().get(0)).text()).isEqualTo("{\"id\":\"doc-7\",\"content\":\"Document content here\"}");
            assertThat(challenges).containsExactly("403 Bearer error=\"insufficient_scope\", error_description=\"Mandate lacks scope: "
                    + "documents:read\", scope=\"tool:call documents:read\", resource_metadata=\"" + metadataUrl + "\"");
            assertThat(client.listTools().tools()).extracting(Tool::name).containsExactly("search", "get_document", "whoami");
        }
    }

    static Stream<Arguments> unmetRules() {
        return Stream.of(
                Arguments.of("non-delegated", (UnaryOperator<MandateBuilder>) m -> m, "delegation_required"),
                Arguments.of("chain lacks app_orchestrator", (UnaryOperator<MandateBuilder>) m -> m.delegationEdge()
                        .chain("app_other", "app_dev").delegationPath("edge-1").hopCount(1), "chain_mismatch"),
                Arguments.of("three hops", (UnaryOperator<MandateBuilder>) m -> m.delegationEdge()
                        .chain("app_orchestrator", "app_dev").delegationPath("e1", "e2", "e3").hopCount(3), "hop_count_exceeded"));
    }

    @ParameterizedTest(name = "{0} with documents:read: HTTP 403 {2} before the tool runs")
    @MethodSource("unmetRules")
    void unmetRulesAreForbiddenAtTheBoundary(String name, UnaryOperator<MandateBuilder> mandate, String code) {
        String token = mandate.apply(agent().scope("tool:call", "documents:read")).sign();
        String session = openSession(mcp, token);

        HttpResponse<String> call = post(mcp, "Bearer " + token, session, toolCall(2, "get_document", "{\"doc_id\":\"doc-7\"}"));

        assertThat(call.statusCode()).isEqualTo(403);
        assertThat(json(call.body())).containsEntry("error", code).containsOnlyKeys("error", "error_description", "error_hint");
        assertThat(call.body()).doesNotContain("Document content here");
        assertThat(call.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                assertThat(challenge).startsWith("Bearer error=\"insufficient_scope\"").doesNotContain("scope=\""));
    }

    @Test
    @DisplayName("the metadata document advertises documents:read")
    void metadataAdvertisesDocumentsRead() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(metadataUrl)).GET());
        assertThat(json(response.body())).containsEntry("scopes_supported", List.of("tool:call", "documents:read"));
    }

    @Test
    @DisplayName("M8: an Origin other than the server's own is 403; the server's own origin passes")
    void foreignOriginIsForbidden() {
        String token = agent().sign();
        HttpResponse<String> foreign = send(HttpRequest.newBuilder(mcp).header("Authorization", "Bearer " + token)
                .header("Origin", "http://evil.example").header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)));
        HttpResponse<String> own = send(HttpRequest.newBuilder(mcp).header("Authorization", "Bearer " + token)
                .header("Origin", server.baseUrl().toString()).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)));

        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Origin not allowed\"}}");
        assertThat(own.statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("M9: an Mcp-Name that disagrees with the body is 400 -32020; one that agrees passes")
    void headerMismatchIsRefused() {
        String token = delegated(agent().scope("tool:call", "documents:read")).sign();
        String session = openSession(mcp, token);
        String call = toolCall(2, "get_document", "{\"doc_id\":\"doc-7\"}");

        HttpResponse<String> mismatch = send(McpHttp.with(HttpRequest.newBuilder(mcp), "Bearer " + token, session)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Mcp-Name", "search").POST(HttpRequest.BodyPublishers.ofString(call)));
        HttpResponse<String> agreeing = send(McpHttp.with(HttpRequest.newBuilder(mcp), "Bearer " + token, session)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Mcp-Method", "tools/call").header("Mcp-Name", "get_document").POST(HttpRequest.BodyPublishers.ofString(call)));

        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(mismatch.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32020,"
                + "\"message\":\"Header mismatch: Mcp-Name does not match the body\"}}");
        assertThat(agreeing.body()).contains("Document content here");
    }
}
