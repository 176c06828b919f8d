package ai.caracal.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.jetty.JettyForTests;
import ai.caracal.verify.Claims;
import ai.caracal.webflux.CaracalWebFilter;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServletHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

/**
 * connectors.md §7 for WebFlux transports: {@link CaracalMcp#webFluxContextExtractor()} turns the claims
 * {@link CaracalWebFilter} attached to a real WebFlux request into the SDK's transport context (WebFlux
 * on Jetty here; the Spring AI WebFlux server test drives it through the SDK end to end).
 */
@CaracalTest
class WebFluxContextExtractorTest {

    @Test
    @DisplayName("a verified WebFlux request gives the claims under ai.caracal.claims; an excluded one McpTransportContext.EMPTY")
    void claimsOfTheRequestGoIntoTheTransportContext(TestIssuer issuer) throws Exception {
        RouterFunction<ServerResponse> routes = RouterFunctions.route()
                .GET("/**", request -> {
                    McpTransportContext context = CaracalMcp.webFluxContextExtractor().extract(request);
                    String seen = context == McpTransportContext.EMPTY ? "EMPTY"
                            : CaracalMcp.claims(context).map(Claims::sub).orElse("none");
                    return ServerResponse.ok().bodyValue(seen);
                })
                .build();
        HttpHandler app = WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(routes))
                .filter(CaracalWebFilter.builder().verifier(issuer.verifier().build()).exclude("/open").build())
                .codecConfigurer(ServerCodecConfigurer.create())
                .build();
        try (JettyForTests jetty = new JettyForTests().servlet(new ServletHttpHandlerAdapter(app), "/*")) {
            URI base = jetty.start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

            assertThat(get(http, base.resolve("/mcp"), issuer.mint().sub("user-flux").sign())).isEqualTo("user-flux");
            assertThat(get(http, base.resolve("/open"), issuer.mint().sub("user-flux").sign())).isEqualTo("EMPTY");
        }
    }

    private static String get(HttpClient http, URI uri, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("status of %s", uri).isEqualTo(200);
        return response.body();
    }
}
