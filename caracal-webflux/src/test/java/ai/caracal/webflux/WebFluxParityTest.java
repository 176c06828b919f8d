package ai.caracal.webflux;

import ai.caracal.testkit.parity.ConnectorParityContract;
import ai.caracal.testkit.parity.ParityFixture;
import ai.caracal.verify.Claims;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * connectors.md §9 on a real Reactor Netty server with BlockHound watching every event loop: every row
 * P1–P45, none skipped. The echo handler reads the claims from the Reactor context and checks that the
 * exchange attribute holds the same ones, so both carriers are covered by every row (P44: under
 * concurrency). P30 is answered 400: WebFlux matches dot segments literally, so the filter refuses them
 * as a servlet container would.
 */
class WebFluxParityTest extends ConnectorParityContract {

    private NettyForTests server;

    @Override
    protected URI start(ParityFixture f) {
        CaracalWebFilter.Builder filter = CaracalWebFilter.builder()
                .verifier(f.verifier())
                .exclude(f.excludes().toArray(String[]::new))
                .permitPreflight(f.permitPreflight())
                .wwwAuthenticate(f.wwwAuthenticate());
        f.routes().forEach(filter::route);
        server = NettyForTests.start(NettyForTests.app(exchange -> echo(f, exchange), filter.build()));
        return server.uri();
    }

    @Override
    protected void stop() {
        server.close();
    }

    private static Mono<Void> echo(ParityFixture f, ServerWebExchange exchange) {
        f.countHandlerCall();
        Optional<Claims> attribute = CaracalExchanges.claims(exchange);
        return CaracalExchanges.currentClaims()
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(context -> {
                    ServerHttpResponse response = exchange.getResponse();
                    if (!context.equals(attribute)) {
                        response.setStatusCode(HttpStatus.INTERNAL_SERVER_ERROR);
                        return response.setComplete();
                    }
                    byte[] body = ParityFixture.echoBody(context.orElse(null)).getBytes(StandardCharsets.UTF_8);
                    response.setStatusCode(HttpStatus.OK);
                    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
                    response.getHeaders().setContentLength(body.length);
                    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
                });
    }
}
