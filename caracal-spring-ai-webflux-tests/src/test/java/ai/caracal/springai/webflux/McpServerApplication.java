package ai.caracal.springai.webflux;

import ai.caracal.mcp.CaracalMcp;
import ai.caracal.mcp.McpPolicy;
import ai.caracal.mcp.McpWebFilter;
import ai.caracal.verify.Requirements;
import ai.caracal.webflux.CaracalWebFilter;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.List;
import java.util.Map;
import org.springframework.ai.mcp.server.common.autoconfigure.properties.McpServerStreamableHttpProperties;
import org.springframework.ai.mcp.server.webflux.transport.WebFluxStreamableServerTransportProvider;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Spring AI MCP server (Streamable HTTP on Spring WebFlux) behind the Caracal starter's web filter:
 * Spring AI's transport, with Caracal's claims in every request's {@code McpTransportContext}, and three
 * tools that read them, one per way Spring AI offers to write a tool.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class McpServerApplication {

    /**
     * Replaces Spring AI's transport bean (it backs off for one of ours) to add the one thing it lacks:
     * the context extractor. The rest is what Spring AI's auto-configuration builds.
     */
    @Bean
    WebFluxStreamableServerTransportProvider webFluxStreamableServerTransportProvider(
            @Qualifier("mcpServerJsonMapper") JsonMapper jsonMapper, McpServerStreamableHttpProperties properties) {
        return WebFluxStreamableServerTransportProvider.builder()
                .jsonMapper(new JacksonMcpJsonMapper(jsonMapper))
                .messageEndpoint(properties.getMcpEndpoint())
                .keepAliveInterval(properties.getKeepAliveInterval())
                .disallowDelete(properties.isDisallowDelete())
                .contextExtractor(CaracalMcp.webFluxContextExtractor())
                .build();
    }

    /**
     * Sessions belong to the principal that initialized them (M12), and the policy applies at the
     * boundary (M9, M10): the WebFlux form of {@code McpBoundary}, ordered right after the starter's filter.
     */
    @Bean
    McpWebFilter mcpBoundary(CaracalWebFilter caracalFilter) {
        return McpWebFilter.builder().policy(POLICY, caracalFilter.boundary()).build();
    }

    /** M9/M10: {@code admin_report} needs the scope {@code admin} at the boundary, and is listed only to such mandates. */
    static final McpPolicy POLICY = McpPolicy.builder()
            .tool("admin_report", Requirements.builder().requiredScopes("admin").build())
            .build();

    /** {@code whoami}: an {@code @McpTool} method. */
    @Bean
    AnnotatedTools annotatedTools() {
        return new AnnotatedTools();
    }

    /** {@code whoami_callback}: a Spring AI {@code @Tool} method, served as a tool callback. */
    @Bean
    ToolCallbackProvider callbackTools() {
        return MethodToolCallbackProvider.builder().toolObjects(new CallbackTools()).build();
    }

    /** {@code payout_status}: an MCP SDK tool specification with per-tool requirements. */
    @Bean
    List<SyncToolSpecification> guardedTools() {
        Tool payoutStatus = Tool.builder()
                .name("payout_status")
                .description("Status of the caller's payouts; needs a delegated mandate")
                .inputSchema(Map.of("type", "object"))
                .build();
        Tool adminReport = Tool.builder().name("admin_report").description("Needs the scope admin (McpPolicy)")
                .inputSchema(Map.of("type", "object")).build();
        return List.of(SyncToolSpecification.builder()
                .tool(payoutStatus)
                .callHandler(CaracalMcp.guard(Requirements.builder().requireDelegation(true).build(),
                        (exchange, request, claims) -> CallToolResult.builder()
                                .addTextContent("payouts of " + claims.sub() + ": none pending")
                                .build()))
                .build(),
                SyncToolSpecification.builder().tool(adminReport)
                        .callHandler((exchange, request) -> CallToolResult.builder()
                                .addTextContent("report for " + CaracalMcp.claims(exchange).orElseThrow().sub()).build())
                        .build());
    }
}
