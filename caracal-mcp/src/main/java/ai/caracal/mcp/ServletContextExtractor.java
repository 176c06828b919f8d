package ai.caracal.mcp;

import ai.caracal.servlet.CaracalRequests;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;

/**
 * The extractor behind {@link CaracalMcp#contextExtractor()}, in a class of its own so that
 * {@link CaracalMcp} loads without the Servlet API on the class path (WebFlux servers).
 */
final class ServletContextExtractor {

    static final McpTransportContextExtractor<HttpServletRequest> INSTANCE = request ->
            CaracalRequests.claims(request)
                    .map(claims -> McpTransportContext.create(Map.of(CaracalMcp.CLAIMS_KEY, claims)))
                    .orElse(McpTransportContext.EMPTY);

    private ServletContextExtractor() {
    }
}
