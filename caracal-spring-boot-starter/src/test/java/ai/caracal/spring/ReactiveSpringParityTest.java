package ai.caracal.spring;

import ai.caracal.testkit.parity.ConnectorParityContract;
import ai.caracal.testkit.parity.ParityFixture;
import ai.caracal.verify.Requirements;
import ai.caracal.webflux.CaracalExchanges;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * connectors.md §9 on a real Spring Boot WebFlux application (Reactor Netty), configured the way users
 * do: the fixture's verifier as a {@code MandateVerifier} bean, routes, exclusions and flags as
 * {@code caracal.*} properties; the starter configures {@code CaracalWebFilter}. Runs on Boot 3.5 here
 * and on Boot 4.1 in the boot4 test module. P30 is answered 400 (the WebFlux filter refuses dot segments).
 */
class ReactiveSpringParityTest extends ConnectorParityContract {

    private TestApp app;

    @Override
    protected URI start(ParityFixture f) {
        TestApp.Builder builder = TestApp.builder().reactive()
                .sources(ParityEcho.class)
                .bean("parityFixture", f)
                .bean("fixtureVerifier", f.verifier())
                .property("caracal.warmup-on-startup", "false")
                .property("caracal.permit-preflight", f.permitPreflight())
                .property("caracal.www-authenticate.enabled", f.wwwAuthenticate());
        for (int i = 0; i < f.excludes().size(); i++) {
            builder.property("caracal.exclude[" + i + "]", f.excludes().get(i));
        }
        int n = 0;
        for (Map.Entry<String, Requirements> route : f.routes().entrySet()) {
            String prefix = "caracal.routes[" + n++ + "].";
            Requirements r = route.getValue();
            builder.property(prefix + "prefix", route.getKey());
            r.requiredScopes().ifPresent(scopes -> builder.property(prefix + "required-scopes", String.join(",", scopes)));
            r.requireChainContains().ifPresent(ids -> builder.property(prefix + "require-chain-contains", String.join(",", ids)));
            builder.property(prefix + "require-agent", r.requireAgent());
            builder.property(prefix + "require-delegation", r.requireDelegation());
            if (r.maxHopCount() > 0) {
                builder.property(prefix + "max-hop-count", r.maxHopCount());
            }
        }
        app = builder.start();
        return app.uri("/");
    }

    @Override
    protected void stop() {
        app.close();
    }

    /** The fixture's echo handler, as the last web filter (ahead of WebFlux's dispatcher, which would answer CORS preflights itself). */
    @Configuration(proxyBeanMethods = false)
    static class ParityEcho {

        @Bean
        @Order(Ordered.LOWEST_PRECEDENCE)
        WebFilter parityEcho(ParityFixture fixture) {
            return (exchange, chain) -> {
                fixture.countHandlerCall();
                byte[] body = ParityFixture.echoBody(CaracalExchanges.claims(exchange).orElse(null)).getBytes(StandardCharsets.UTF_8);
                ServerHttpResponse response = exchange.getResponse();
                response.setStatusCode(HttpStatus.OK);
                response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
                response.getHeaders().setContentLength(body.length);
                return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
            };
        }
    }
}
