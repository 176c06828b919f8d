package ai.caracal.springai.webflux;

import ai.caracal.mcp.CaracalMcp;
import ai.caracal.verify.Claims;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.mcp.McpToolUtils;
import org.springframework.ai.tool.annotation.Tool;

/**
 * Tools written with Spring AI's {@code @Tool}, served over MCP as tool callbacks: the
 * {@link ToolContext} carries the MCP exchange, and the exchange the transport context.
 */
class CallbackTools {

    @Tool(name = "whoami_callback", description = "The verified subject of the caller's mandate")
    String whoamiCallback(ToolContext context) {
        Claims claims = McpToolUtils.getMcpExchange(context)
                .flatMap(CaracalMcp::claims)
                .orElseThrow(() -> new IllegalStateException("no verified claims in the MCP exchange"));
        return claims.sub();
    }
}
