package ai.caracal.mcp;

import ai.caracal.verify.http.BoundaryResponse;
import java.nio.charset.StandardCharsets;

/**
 * The boundary's own JSON-RPC error answers (connectors.md §10.2 M9): HTTP 400 for a body that is not
 * one JSON-RPC message and for routing headers that disagree with it ({@code -32020} HeaderMismatch),
 * 413 for a body over the limit. The body is {@code {"jsonrpc":"2.0","id":…,"error":{"code":…,"message":…}}}
 * with the request's id when it could be read, else {@code null}. Messages are fixed texts: nothing of
 * the request is echoed but its id.
 */
final class JsonRpcAnswers {

    /** MCP 2026-07-28: routing headers missing, malformed, or disagreeing with the body. */
    static final int HEADER_MISMATCH = -32020;

    private JsonRpcAnswers() {
    }

    /**
     * @param status  the HTTP status (400 or 413; 200 for a request whose params the method cannot take)
     * @param id      the request id as JSON text, or {@code null}
     * @param code    the JSON-RPC error code
     * @param message a fixed message
     * @param method  the HTTP method ({@code HEAD} gets no body)
     */
    static BoundaryResponse error(int status, String id, int code, String message, String method) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + (id == null ? "null" : id) + ",\"error\":{\"code\":" + code
                + ",\"message\":" + quote(message) + "}}";
        return BoundaryResponse.json(status, body.getBytes(StandardCharsets.UTF_8), !"HEAD".equals(method));
    }

    /** @return {@code text} as a JSON string literal, ASCII only */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
