package ai.caracal.examples.documents;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SDK's JSON mapper, except that an {@link McpError} is written as a JSON-RPC error response
 * ({@code {"jsonrpc":"2.0","id":null,"error":{"code":…,"message":…}}}).
 *
 * <p>Why: the servlet transports of MCP Java SDK 2.1.0 and 2.2.0 answer a malformed body, a JSON-RPC batch or an
 * unknown session by serialising the {@code McpError} exception itself, which puts its Java stack trace
 * into the HTTP response. Those requests carry a verified mandate (the boundary rejected the others
 * before the transport saw them), but a stack trace is never a response. {@code SdkWorkaroundsTest} fails
 * once the SDK stops doing it.
 */
final class JsonRpcErrorMapper implements McpJsonMapper {

    private final McpJsonMapper delegate;

    JsonRpcErrorMapper(McpJsonMapper delegate) {
        this.delegate = delegate;
    }

    @Override
    public String writeValueAsString(Object value) throws IOException {
        return delegate.writeValueAsString(replaceError(value));
    }

    @Override
    public byte[] writeValueAsBytes(Object value) throws IOException {
        return delegate.writeValueAsBytes(replaceError(value));
    }

    private static Object replaceError(Object value) {
        if (!(value instanceof McpError mcpError)) {
            return value;
        }
        McpSchema.JSONRPCResponse.JSONRPCError error = mcpError.getJsonRpcError();
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("code", error == null ? McpSchema.ErrorCodes.INTERNAL_ERROR : error.code());
        members.put("message", error == null ? "Internal error" : error.message());
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        response.put("id", null);
        response.put("error", members);
        return response;
    }

    @Override
    public <T> T readValue(String content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(String content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T convertValue(Object fromValue, Class<T> type) {
        return delegate.convertValue(fromValue, type);
    }

    @Override
    public <T> T convertValue(Object fromValue, TypeRef<T> type) {
        return delegate.convertValue(fromValue, type);
    }
}
