package ai.caracal.examples.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Raw HTTP and MCP Java SDK clients for the example server's tests. */
final class McpHttp {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private McpHttp() {
    }

    /** @return {@code {"jsonrpc":"2.0","id":<id>,"method":"tools/call","params":{"name":<tool>,"arguments":<json>}}} */
    static String toolCall(int id, String tool, String argumentsJson) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + argumentsJson + "}}";
    }

    /**
     * @param authorization the whole Authorization value, or {@code null} for none
     * @param session       the Mcp-Session-Id, or {@code null} for none
     */
    static HttpResponse<String> post(URI mcp, String authorization, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(with(request, authorization, session));
    }

    static HttpRequest.Builder with(HttpRequest.Builder request, String authorization, String session) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request;
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs initialize and notifications/initialized; returns the new Mcp-Session-Id. */
    static String openSession(URI mcp, String token) {
        HttpResponse<String> init = post(mcp, "Bearer " + token, null, INITIALIZE);
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(post(mcp, "Bearer " + token, session, INITIALIZED).statusCode()).isEqualTo(202);
        return session;
    }

    /** An MCP Java SDK client over Streamable HTTP sending {@code Authorization: Bearer <token>} (none when null). */
    static McpSyncClient sdkClient(URI mcp, String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder(mcp.resolve("/").toString())
                .endpoint(mcp.getPath())
                .httpRequestCustomizer((request, method, uri, body, context) -> {
                    if (token != null) {
                        request.header("Authorization", "Bearer " + token);
                    }
                })
                .build();
        return McpClient.sync(transport).requestTimeout(TIMEOUT).initializationTimeout(TIMEOUT).build();
    }

    /** @return the transport's authorization failure somewhere in the cause chain of {@code thrown} */
    static McpHttpClientTransportAuthorizationException authorizationFailure(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof McpHttpClientTransportAuthorizationException) {
                return (McpHttpClientTransportAuthorizationException) t;
            }
        }
        throw new AssertionError("no McpHttpClientTransportAuthorizationException in the cause chain", thrown);
    }

    static Map<String, Object> json(String body) {
        try {
            return McpJsonDefaults.getMapper().readValue(body, new TypeRef<Map<String, Object>>() {
            });
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + body, e);
        }
    }
}
