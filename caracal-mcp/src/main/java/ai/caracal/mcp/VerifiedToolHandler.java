package ai.caracal.mcp;

import ai.caracal.verify.Claims;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;

/**
 * A tool body that runs only after its per-tool requirements were met, and receives the verified
 * claims. Wrap it with {@link CaracalMcp#guard}, {@link CaracalMcp#guardAsync} or
 * {@link CaracalMcp#guardStateless} to get the SDK's call handler.
 *
 * @param <X> what the SDK hands a call handler: {@code McpSyncServerExchange},
 *            {@code McpAsyncServerExchange} or {@code McpTransportContext}
 * @param <R> the result: {@code CallToolResult}, or {@code Mono<CallToolResult>} for async tools
 */
@FunctionalInterface
public interface VerifiedToolHandler<X, R> {

    /**
     * @param exchange the exchange (or, for stateless servers, the transport context) of this call
     * @param request  the tool call
     * @param claims   the verified claims of the HTTP request that carried the call; never {@code null}
     * @return the tool result
     */
    R call(X exchange, CallToolRequest request, Claims claims);
}
