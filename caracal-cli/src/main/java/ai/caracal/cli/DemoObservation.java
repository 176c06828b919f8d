package ai.caracal.cli;

import java.util.OptionalInt;

/**
 * What one demo row received.
 *
 * @param got  {@code ok}, the error code of the rejection or of the tool result, or a short word for
 *             anything else ({@code no_error_body}, {@code tool_error}, {@code no_response})
 * @param at   {@code boundary} (the HTTP request was rejected), {@code tool} (a tool result came back),
 *             {@code stream} (an open SSE stream was watched) or {@code -} (neither)
 * @param http the HTTP status of the last MCP request, when one was received
 * @param body the received body (the rejection's JSON, or the tool result as JSON, or an error
 *             message), never containing the row's token
 */
record DemoObservation(String got, String at, OptionalInt http, String body) {

    static final String BOUNDARY = "boundary";
    static final String TOOL = "tool";
    static final String STREAM = "stream";
    static final String NOWHERE = "-";

    /** @return this observation with every occurrence of {@code token} in the body replaced */
    DemoObservation withoutToken(String token) {
        if (token == null || token.isEmpty() || !body.contains(token)) {
            return this;
        }
        return new DemoObservation(got, at, http, body.replace(token, "[token]"));
    }
}
