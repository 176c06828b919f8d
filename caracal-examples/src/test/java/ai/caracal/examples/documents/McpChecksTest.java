package ai.caracal.examples.documents;

import static ai.caracal.examples.documents.McpHttp.INITIALIZE;
import static ai.caracal.examples.documents.McpHttp.authorizationFailure;
import static ai.caracal.examples.documents.McpHttp.json;
import static ai.caracal.examples.documents.McpHttp.openSession;
import static ai.caracal.examples.documents.McpHttp.post;
import static ai.caracal.examples.documents.McpHttp.sdkClient;
import static ai.caracal.examples.documents.McpHttp.send;
import static ai.caracal.examples.documents.McpHttp.toolCall;
import static ai.caracal.examples.documents.McpHttp.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.AuthError;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.http.AuthErrorBody;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
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
import java.util.UUID;
import java.util.function.UnaryOperator;
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
 * connectors.md §7.2 (M1–M7) and devtools.md §3.7 against the running {@code documents-mcp} server in its
 * seed form ({@code --tool-checks in-tool}; the boundary form is {@link BoundaryToolChecksTest}), with
 * the MCP Java SDK client over Streamable HTTP where a client session is involved and raw HTTP where the
 * exact status, headers and body matter. Revocation through real Redis streams: {@link RevocationOverRedisTest}.
 */
@Tag("integration")
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class McpChecksTest {

    private static final CallToolRequest SEARCH = new CallToolRequest("search", Map.of("query", "quarterly report"));

    private TestIssuer issuer;
    private DocumentsMcpServer server;
    private URI mcp;
    private String metadataUrl;

    @BeforeEach
    void start(TestIssuer issuer) {
        issuer.clock().set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        this.issuer = issuer;
        server = DocumentsMcpServer.builder()
                .port(0)
                .issuer(issuer.url())
                .zoneId("zone_dev")
                .revocations(issuer.revocations())
                .toolChecks(DocumentsMcpServer.ToolChecks.IN_TOOL)
                .build()
                .start();
        mcp = server.mcpUrl();
        metadataUrl = server.baseUrl() + "/.well-known/oauth-protected-resource/mcp";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A valid agent mandate for this server: scope tool:call, a fresh agent session. */
    private MandateBuilder agentMandate() {
        return issuer.mint().scope("tool:call").agentSession();
    }

    private static String body(ErrorCode code) {
        return AuthErrorBody.json(AuthError.of(code));
    }

    private static String firstText(CallToolResult result) {
        return ((TextContent) result.content().get(0)).text();
    }

    private static void assertRejected(HttpResponse<String> response, int status, String expectedBody) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(expectedBody);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    @DisplayName("M1: initialize without a token is 401 missing_token with Bearer resource_metadata=\"<metadata URL>\"")
    void m1InitializeWithoutToken() {
        HttpResponse<String> response = post(mcp, null, null, INITIALIZE);

        assertRejected(response, 401, body(ErrorCode.MISSING_TOKEN));
        assertThat(response.headers().allValues("WWW-Authenticate"))
                .containsExactly("Bearer resource_metadata=\"" + metadataUrl + "\"");

        try (McpSyncClient client = sdkClient(mcp, null)) {
            McpHttpClientTransportAuthorizationException failure = authorizationFailure(catchThrowable(client::initialize));
            assertThat(failure.getResponseInfo().statusCode()).isEqualTo(401);
        }
    }

    @Test
    @DisplayName("M2: the RFC 9728 document is served without a token; resource is the MCP endpoint URL")
    void m2MetadataDocument() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(metadataUrl)).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        assertThat(json(response.body())).containsExactly(
                Map.entry("resource", server.mcpUrl().toString()),
                Map.entry("authorization_servers", List.of(issuer.url())),
                Map.entry("bearer_methods_supported", List.of("header")),
                Map.entry("scopes_supported", List.of("tool:call")));
        assertThat(server.resource()).isEqualTo(server.mcpUrl().toString());
        assertThat(send(HttpRequest.newBuilder(URI.create(metadataUrl)).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(405);
    }

    @Test
    @DisplayName("M3: a valid agent mandate: initialize, tools/list, search answers Result for: <query>, whoami echoes the claims")
    void m3ValidAgentMandate() {
        String agent = "agent-" + UUID.randomUUID();
        try (McpSyncClient client = sdkClient(mcp, agentMandate().agentSession(agent).sub("user-42").sign())) {
            client.initialize();

            assertThat(client.listTools().tools()).extracting(Tool::name).containsExactly("search", "get_document", "whoami");
            CallToolResult search = client.callTool(SEARCH);
            assertThat(search.isError()).isFalse();
            assertThat(firstText(search)).isEqualTo("[{\"id\":\"1\",\"title\":\"Result for: quarterly report\"}]");

            CallToolResult whoami = client.callTool(new CallToolRequest("whoami", Map.of()));
            assertThat(whoami.isError()).isFalse();
            Map<String, Object> expected = Map.of("sub", "user-42", "zone_id", "zone_dev", "client_id", "app-1", "scope", "tool:call");
            assertThat(whoami.structuredContent()).isEqualTo(expected);
            assertThat(json(firstText(whoami))).containsExactly(Map.entry("sub", "user-42"), Map.entry("zone_id", "zone_dev"),
                    Map.entry("client_id", "app-1"), Map.entry("scope", "tool:call"));
        }
    }

    static Stream<Arguments> getDocumentCases() {
        return Stream.of(
                Arguments.of("M4: non-delegated mandate", (UnaryOperator<MandateBuilder>) m -> m, "delegation_required"),
                Arguments.of("chain lacks app_orchestrator", (UnaryOperator<MandateBuilder>) m -> m.delegationEdge()
                        .chain("app_other", "app_dev").delegationPath("edge-1").hopCount(1), "chain_mismatch"),
                Arguments.of("three hops with maxHopCount 2", (UnaryOperator<MandateBuilder>) m -> m.delegationEdge()
                        .chain("app_orchestrator", "app_dev").delegationPath("e1", "e2", "e3").hopCount(3), "hop_count_exceeded"));
    }

    @ParameterizedTest(name = "{0}: get_document -> isError {2}, the body does not run")
    @MethodSource("getDocumentCases")
    void m4GetDocumentRequirements(String name, UnaryOperator<MandateBuilder> mandate, String expectedError) {
        try (McpSyncClient client = sdkClient(mcp, mandate.apply(agentMandate()).sign())) {
            client.initialize();

            CallToolResult result = client.callTool(new CallToolRequest("get_document", Map.of("doc_id", "doc-7")));

            assertThat(result.isError()).isTrue();
            assertThat(((Map<?, ?>) result.structuredContent()).get("error")).isEqualTo(expectedError);
            assertThat(json(firstText(result))).containsOnlyKeys("error", "error_description", "error_hint");
            assertThat(firstText(result)).doesNotContain("Document content here");
        }
    }

    @Test
    @DisplayName("get_document with a delegated mandate through app_orchestrator (1 hop) returns the document")
    void getDocumentDelegated() {
        String token = agentMandate().delegationEdge().chain("app_orchestrator", "app_dev").delegationPath("edge-1").hopCount(1).sign();
        try (McpSyncClient client = sdkClient(mcp, token)) {
            client.initialize();

            CallToolResult result = client.callTool(new CallToolRequest("get_document", Map.of("doc_id", "doc-7")));

            assertThat(result.isError()).isFalse();
            assertThat(firstText(result)).isEqualTo("{\"id\":\"doc-7\",\"content\":\"Document content here\"}");
            assertThat(result.structuredContent()).isEqualTo(Map.of("id", "doc-7", "content", "Document content here"));
        }
    }

    @Test
    @DisplayName("M5 (in-memory store): after revocation, the live session's next tools/call is HTTP 401 session_revoked")
    void m5RevokedSession() {
        String agent = "agent-" + UUID.randomUUID();
        String token = agentMandate().agentSession(agent).sign();
        String session = openSession(mcp, token);
        assertThat(post(mcp, "Bearer " + token, session, toolCall(2, "search", "{\"query\":\"q\"}")).body())
                .contains("Result for: q");

        try (McpSyncClient client = sdkClient(mcp, token)) {
            client.initialize();
            assertThat(client.callTool(SEARCH).isError()).isFalse();

            issuer.revoke(agent);

            McpHttpClientTransportAuthorizationException failure = authorizationFailure(catchThrowable(() -> client.callTool(SEARCH)));
            assertThat(failure.getResponseInfo().statusCode()).isEqualTo(401);
            assertThat(failure.getRequestSnapshot().headers().firstValue("Mcp-Session-Id")).isPresent();
            assertThat(failure.getResponseInfo().headers().firstValue("WWW-Authenticate")).hasValue(
                    "Bearer error=\"invalid_token\", error_description=\"Mandate authority revoked\", resource_metadata=\""
                            + metadataUrl + "\"");
        }
        assertRejected(post(mcp, "Bearer " + token, session, toolCall(3, "search", "{\"query\":\"q\"}")), 401,
                body(ErrorCode.SESSION_REVOKED));
    }

    @Test
    @DisplayName("M6: GET /mcp (SSE) and DELETE /mcp without a token are 401 missing_token, with or without a live session ID")
    void m6GetAndDeleteWithoutToken() {
        String session = openSession(mcp, agentMandate().sign());
        for (String sessionId : new String[] {null, session}) {
            HttpResponse<String> get = send(with(HttpRequest.newBuilder(mcp).header("Accept", "text/event-stream").GET(),
                    null, sessionId));
            HttpResponse<String> delete = send(with(HttpRequest.newBuilder(mcp).DELETE(), null, sessionId));

            assertRejected(get, 401, body(ErrorCode.MISSING_TOKEN));
            assertRejected(delete, 401, body(ErrorCode.MISSING_TOKEN));
            assertThat(get.headers().firstValue("WWW-Authenticate")).hasValue("Bearer resource_metadata=\"" + metadataUrl + "\"");
        }
    }

    @Test
    @DisplayName("M7: initialize with a mandate lacking tool:call is 403 insufficient_scope with scope=\"tool:call\"")
    void m7MissingScope() {
        HttpResponse<String> response = post(mcp, "Bearer " + issuer.mint().scope("tool:list").agentSession().sign(), null, INITIALIZE);

        assertRejected(response, 403, "{\"error\":\"insufficient_scope\",\"error_description\":\"Mandate lacks scope: tool:call\","
                + "\"error_hint\":\"" + ErrorCode.INSUFFICIENT_SCOPE.hint() + "\"}");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"insufficient_scope\", "
                + "error_description=\"Mandate lacks scope: tool:call\", scope=\"tool:call\", resource_metadata=\"" + metadataUrl + "\"");
    }

    @Test
    @DisplayName("M12: another principal naming a live session: tools/call, GET and DELETE are 404 exactly as for an unknown session; the owner's session carries on")
    void m12SessionBelongsToItsPrincipal() {
        String owner = "Bearer " + agentMandate().sub("user-a").sign();
        String stranger = "Bearer " + agentMandate().sub("user-b").sign();
        String session = openSession(mcp, owner.substring("Bearer ".length()));
        String unknown = UUID.randomUUID().toString();
        List<UnaryOperator<String>> requests = List.of(
                id -> describe(post(mcp, stranger, id, toolCall(2, "whoami", "{}"))),
                id -> describe(send(with(HttpRequest.newBuilder(mcp).header("Accept", "text/event-stream").GET(), stranger, id))),
                id -> describe(send(with(HttpRequest.newBuilder(mcp).DELETE(), stranger, id))));

        for (UnaryOperator<String> request : requests) {
            String foreign = request.apply(session);
            assertThat(foreign).startsWith("404 ").isEqualTo(request.apply(unknown).replace(unknown, session));
        }
        assertThat(post(mcp, stranger, session, toolCall(3, "whoami", "{}")).body())
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,\"message\":\"Session not found: " + session + "\"}}");

        HttpResponse<String> ownCall = post(mcp, owner, session, toolCall(4, "whoami", "{}"));
        assertThat(ownCall.statusCode()).isEqualTo(200);
        assertThat(ownCall.body()).contains("user-a").doesNotContain("user-b");
        assertThat(send(with(HttpRequest.newBuilder(mcp).DELETE(), owner, session)).statusCode()).isEqualTo(200);
    }

    private static String describe(HttpResponse<String> response) {
        return response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("") + " " + response.body();
    }

    @Test
    @DisplayName("requireAgent is on: a mandate without agent_session_id is 403 agent_required")
    void nonAgentMandate() {
        HttpResponse<String> response = post(mcp, "Bearer " + issuer.mint().scope("tool:call").sign(), null, INITIALIZE);

        assertRejected(response, 403, body(ErrorCode.AGENT_REQUIRED));
    }

    @Test
    @DisplayName("a mandate for another audience is 401 invalid_token")
    void wrongAudience() {
        HttpResponse<String> response = post(mcp, "Bearer " + agentMandate().audience("resource://other").sign(), null, INITIALIZE);

        assertRejected(response, 401, body(ErrorCode.INVALID_TOKEN));
    }

    @Test
    @DisplayName("/healthz is excluded: 200 {\"status\":\"ok\"} with no token, and with a bad one")
    void healthz() {
        URI healthz = server.baseUrl().resolve("/healthz");
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(healthz).GET());
        HttpResponse<String> badToken = send(HttpRequest.newBuilder(healthz).header("Authorization", "Bearer not.a.jwt").GET());

        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(badToken.statusCode()).isEqualTo(200);
    }
}
