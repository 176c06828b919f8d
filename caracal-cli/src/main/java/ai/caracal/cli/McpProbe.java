package ai.caracal.cli;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Drives the MCP server the way an agent would: the MCP Java SDK client over Streamable HTTP runs
 * {@code initialize}, then one {@code tools/call}, every request carrying the given
 * {@code Authorization} header. A request the boundary rejects is observed as its HTTP status and JSON
 * body; a tool result as {@code ok} or its {@code structuredContent.error}.
 */
final class McpProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Something to do between {@code initialize} and {@code tools/call} (revoke, invalidate). */
    @FunctionalInterface
    interface Step {
        void run() throws InterruptedException;
    }

    private final URI mcp;

    McpProbe(URI mcp) {
        this.mcp = mcp;
    }

    /**
     * @param authorization the whole {@code Authorization} value, or {@code null} to send none
     * @param call          the tool call after {@code initialize}
     * @param afterInitialize run once {@code initialize} succeeded, before the call
     * @return what came back
     */
    DemoObservation run(String authorization, CallToolRequest call, Step afterInitialize) throws InterruptedException {
        RecordingHttpClient.Builder http = new RecordingHttpClient.Builder();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(mcp.resolve("/").toString())
                .endpoint(mcp.getPath())
                .clientBuilder(http)
                .httpRequestCustomizer((request, method, uri, body, context) -> {
                    if (authorization != null) {
                        request.header("Authorization", authorization);
                    }
                })
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("caracal-demo", "1.0.0"))
                .requestTimeout(TIMEOUT)
                .initializationTimeout(TIMEOUT)
                .build();
        try {
            try {
                client.initialize();
            } catch (RuntimeException e) {
                return failure(e, http.exchanges());
            }
            afterInitialize.run();
            CallToolResult result;
            try {
                result = client.callTool(call);
            } catch (RuntimeException e) {
                return failure(e, http.exchanges());
            }
            return toolResult(result, lastPostStatus(http.exchanges()));
        } finally {
            client.close();
        }
    }

    private static DemoObservation toolResult(CallToolResult result, OptionalInt http) {
        String body = json(result);
        if (!Boolean.TRUE.equals(result.isError())) {
            return new DemoObservation(result.content().isEmpty() ? "empty_result" : "ok", DemoObservation.TOOL, http, body);
        }
        Object error = result.structuredContent() instanceof Map ? ((Map<?, ?>) result.structuredContent()).get("error") : null;
        return new DemoObservation(error instanceof String ? (String) error : "tool_error", DemoObservation.TOOL, http, body);
    }

    private static DemoObservation failure(RuntimeException thrown, List<RecordingHttpClient.Exchange> exchanges) {
        Optional<McpHttpClientTransportAuthorizationException> rejection = rejection(thrown);
        if (rejection.isEmpty()) {
            return new DemoObservation("no_response", DemoObservation.NOWHERE, lastPostStatus(exchanges), String.valueOf(thrown.getMessage()));
        }
        int status = rejection.get().getResponseInfo().statusCode();
        String body = exchanges.stream()
                .filter(exchange -> "POST".equals(exchange.method()) && exchange.status() == status && exchange.body().isPresent())
                .reduce((first, second) -> second)
                .flatMap(RecordingHttpClient.Exchange::body)
                .orElse("");
        Object error = JsonText.readObject(body).map(object -> object.get("error")).orElse(null);
        return new DemoObservation(error instanceof String ? (String) error : "no_error_body", DemoObservation.BOUNDARY,
                OptionalInt.of(status), body);
    }

    private static Optional<McpHttpClientTransportAuthorizationException> rejection(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof McpHttpClientTransportAuthorizationException) {
                return Optional.of((McpHttpClientTransportAuthorizationException) t);
            }
        }
        return Optional.empty();
    }

    private static OptionalInt lastPostStatus(List<RecordingHttpClient.Exchange> exchanges) {
        return exchanges.stream().filter(exchange -> "POST".equals(exchange.method()))
                .reduce((first, second) -> second)
                .map(exchange -> OptionalInt.of(exchange.status()))
                .orElse(OptionalInt.empty());
    }

    private static String json(CallToolResult result) {
        try {
            return McpJsonDefaults.getMapper().writeValueAsString(result);
        } catch (IOException e) {
            return String.valueOf(result);
        }
    }
}
