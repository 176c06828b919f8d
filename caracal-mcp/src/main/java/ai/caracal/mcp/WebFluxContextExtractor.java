package ai.caracal.mcp;

import ai.caracal.webflux.CaracalExchanges;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import java.util.Map;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * The extractor behind {@link CaracalMcp#webFluxContextExtractor()}, in a class of its own so that
 * {@link CaracalMcp} loads without Spring WebFlux on the class path.
 */
final class WebFluxContextExtractor {

    static final McpTransportContextExtractor<ServerRequest> INSTANCE = request ->
            CaracalExchanges.claims(request)
                    .map(claims -> McpTransportContext.create(Map.of(CaracalMcp.CLAIMS_KEY, claims)))
                    .orElse(McpTransportContext.EMPTY);

    private WebFluxContextExtractor() {
    }
}
