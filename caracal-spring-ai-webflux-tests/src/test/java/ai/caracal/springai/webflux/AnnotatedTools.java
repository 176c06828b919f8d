package ai.caracal.springai.webflux;

import ai.caracal.mcp.CaracalMcp;
import ai.caracal.verify.Claims;
import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.context.McpSyncRequestContext;

/** Tools written with Spring AI's {@code @McpTool}: the request context carries the transport context. */
class AnnotatedTools {

    @McpTool(name = "whoami", description = "The verified subject of the caller's mandate")
    String whoami(McpSyncRequestContext context) {
        Claims claims = CaracalMcp.claims(context.transportContext())
                .orElseThrow(() -> new IllegalStateException("no verified claims in the transport context"));
        return claims.sub();
    }
}
