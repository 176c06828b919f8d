package ai.caracal.examples.documents;

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
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.AuthError;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.http.AuthErrorBody;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
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
 * Hostile and broken requests against the running {@code documents-mcp} server. Without a verified
 * mandate nothing gets past the boundary (401/403, whatever the body); with one, broken JSON-RPC gets a
 * JSON-RPC error. Never a 5xx, never a stack trace, and never a tool result that was not earned.
 */
@Tag("integration")
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class BadInputTest {

    private static final String SEARCH = toolCall(2, "search", "{\"query\":\"q\"}");
    private static final String BATCH = "[" + SEARCH + "," + toolCall(3, "get_document", "{\"doc_id\":\"1\"}") + "]";
    private static final String OVERSIZED = toolCall(4, "search",
            "{\"query\":\"" + "a".repeat(DocumentsMcpServer.MAX_REQUEST_BYTES + 1024) + "\"}");
    private static final Pattern STACK_FRAME = Pattern.compile("at [\\w.$]+\\([\\w$]+\\.java:\\d+\\)");

    private TestIssuer issuer;
    private DocumentsMcpServer server;
    private URI mcp;
    private String agent;
    private String token;
    private String session;

    @BeforeEach
    void start(TestIssuer issuer) {
        issuer.clock().set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        this.issuer = issuer;
        server = DocumentsMcpServer.builder().port(0).issuer(issuer.url()).zoneId("zone_dev")
                .revocations(issuer.revocations()).build().start();
        mcp = server.mcpUrl();
        agent = "agent-" + UUID.randomUUID();
        token = issuer.mint().scope("tool:call").agentSession(agent).sign();
        session = openSession(mcp, token);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static void assertNoLeak(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isLessThan(500);
        assertThat(response.body()).doesNotContain("stackTrace").doesNotContainPattern(STACK_FRAME)
                .doesNotContain("Result for:").doesNotContain("Document content here");
    }

    /** What a request without a verified mandate carries: the Authorization header (null for none) and the code. */
    static Stream<Arguments> unverifiedCredentials() {
        return Stream.of(
                Arguments.of("no Authorization", null, ErrorCode.MISSING_TOKEN),
                Arguments.of("Basic credentials", "Basic ZGV2OmRldg==", ErrorCode.MISSING_TOKEN),
                Arguments.of("not a JWT", "Bearer not.a.jwt", ErrorCode.INVALID_TOKEN),
                Arguments.of("revoked agent session", "REVOKED", ErrorCode.SESSION_REVOKED));
    }

    private String authorization(String spec) {
        if ("REVOKED".equals(spec)) {
            issuer.revoke(agent);
            return "Bearer " + token;
        }
        return spec;
    }

    private static void assertRejected(HttpResponse<String> response, ErrorCode code) {
        assertNoLeak(response);
        assertThat(response.statusCode()).isEqualTo(AuthError.of(code).httpStatus());
        assertThat(response.body()).isEqualTo(AuthErrorBody.json(AuthError.of(code)));
    }

    @ParameterizedTest(name = "{0} with a live Mcp-Session-Id: tools/call, batch, malformed JSON, GET and DELETE are all {2}")
    @MethodSource("unverifiedCredentials")
    void sessionIdIsNeverACredential(String name, String credential, ErrorCode code) {
        String authorization = authorization(credential);

        assertRejected(post(mcp, authorization, session, SEARCH), code);
        assertRejected(post(mcp, authorization, session, BATCH), code);
        assertRejected(post(mcp, authorization, session, "{\"jsonrpc\":\"2.0\",\"id\":"), code);
        assertRejected(send(with(HttpRequest.newBuilder(mcp).header("Accept", "text/event-stream").GET(), authorization, session)), code);
        assertRejected(send(with(HttpRequest.newBuilder(mcp).DELETE(), authorization, session)), code);
    }

    @Test
    @DisplayName("an oversized body without a token is 401 missing_token; the body is never parsed")
    void oversizedWithoutToken() {
        assertRejected(post(mcp, null, session, OVERSIZED), ErrorCode.MISSING_TOKEN);
    }

    @Test
    @DisplayName("two Authorization headers (a valid one first) are 401 invalid_token")
    void twoAuthorizationHeaders() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(mcp)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + token).header("Authorization", "Bearer junk")
                .header("Mcp-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString(SEARCH)));

        assertRejected(response, ErrorCode.INVALID_TOKEN);
    }

    static Stream<Arguments> brokenJsonRpc() {
        return Stream.of(
                Arguments.of("a JSON-RPC batch", BATCH),
                Arguments.of("truncated JSON", "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":"),
                Arguments.of("an empty body", ""),
                Arguments.of("a JSON number", "42"),
                Arguments.of("an object that is no JSON-RPC message", "{\"foo\":1}"),
                Arguments.of("an object id", "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"tools/list\"}"));
    }

    @ParameterizedTest(name = "with a verified mandate, {0} is 400 with a JSON-RPC error")
    @MethodSource("brokenJsonRpc")
    void brokenJsonRpcIsAJsonRpcError(String name, String body) {
        HttpResponse<String> response = post(mcp, "Bearer " + token, session, body);

        assertNoLeak(response);
        assertThat(response.statusCode()).isEqualTo(400);
        Map<String, Object> error = json(response.body());
        assertThat(error).containsEntry("jsonrpc", "2.0").containsKey("id").containsKey("error");
        @SuppressWarnings("unchecked")
        Map<String, Object> members = (Map<String, Object>) error.get("error");
        // The boundary's own parser answers: -32700 for what is not JSON, -32600 for what is no JSON-RPC message.
        assertThat(members.get("code")).isIn(-32600, -32700);
        assertThat(members).containsKey("message");
    }

    @Test
    @DisplayName("with a verified mandate, an oversized body is 413 and is not parsed")
    void oversizedWithMandate() {
        HttpResponse<String> response = post(mcp, "Bearer " + token, session, OVERSIZED);

        assertNoLeak(response);
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    @DisplayName("with a verified mandate, an unknown session ID is 404 with a JSON-RPC error")
    void unknownSession() {
        HttpResponse<String> response = post(mcp, "Bearer " + token, "no-such-session", SEARCH);

        assertNoLeak(response);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response.body())).containsKey("error");
    }

    @Test
    @DisplayName("with a verified mandate, unknown tools and methods get JSON-RPC errors -32602 and -32601")
    void unknownToolAndMethod() {
        HttpResponse<String> unknownTool = post(mcp, "Bearer " + token, session, toolCall(6, "delete_everything", "{}"));
        HttpResponse<String> unknownMethod = post(mcp, "Bearer " + token, session,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"documents/drop\"}");

        assertNoLeak(unknownTool);
        assertNoLeak(unknownMethod);
        assertThat(unknownTool.statusCode()).isEqualTo(200);
        assertThat(unknownTool.body()).contains("\"id\":6,\"error\":{\"code\":-32602");
        assertThat(unknownMethod.body()).contains("\"id\":7,\"error\":{\"code\":-32601");

        try (McpSyncClient client = sdkClient(mcp, token)) {
            client.initialize();
            Throwable thrown = catchThrowable(() -> client.callTool(new CallToolRequest("delete_everything", Map.of())));
            assertThat(thrown).isInstanceOf(McpError.class);
            assertThat(((McpError) thrown).getJsonRpcError().code()).isEqualTo(-32602);
        }
    }

    @Test
    @DisplayName("with a verified mandate, missing or mistyped tool arguments never produce a tool result")
    void badArguments() {
        String mayReadDocuments = issuer.mint().scope("tool:call", "documents:read").agentSession(agent).delegationEdge()
                .chain("app_orchestrator", "app_dev").hopCount(1).sign();
        HttpResponse<String> missing = post(mcp, "Bearer " + mayReadDocuments, session, toolCall(8, "get_document", "{}"));
        HttpResponse<String> notAnObject = post(mcp, "Bearer " + token, session, toolCall(9, "search", "\"q\""));
        HttpResponse<String> paramsNotAnObject = post(mcp, "Bearer " + token, session,
                "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/call\",\"params\":\"x\"}");

        assertNoLeak(missing);
        assertThat(missing.body()).contains("\"isError\":true");
        // SDK 2.2.0 answers a tools/call whose params it cannot read with an empty event stream; the
        // boundary answers first, with a JSON-RPC error for the request's id.
        assertNoLeak(notAnObject);
        assertThat(notAnObject.statusCode()).isEqualTo(200);
        assertThat(notAnObject.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":{\"code\":-32602,"
                + "\"message\":\"Invalid params: params.arguments must be an object\"}}");
        assertNoLeak(paramsNotAnObject);
        assertThat(paramsNotAnObject.statusCode()).isEqualTo(400);
        assertThat(paramsNotAnObject.body()).contains("\"code\":-32600");
    }
}
