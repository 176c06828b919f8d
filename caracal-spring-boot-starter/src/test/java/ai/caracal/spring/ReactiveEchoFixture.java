package ai.caracal.spring;

import ai.caracal.verify.Claims;
import ai.caracal.webflux.CaracalExchanges;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * The echo handler of reactive test applications: every path and method answers 200
 * {@code {"sub": <claims sub or null>}} and counts its calls. It is a web filter after the Caracal one
 * that ends the chain (ahead of WebFlux's dispatcher, which would answer CORS preflights itself), so the
 * Caracal filter's own behaviour is what is observed.
 */
@Configuration(proxyBeanMethods = false)
class ReactiveEchoFixture {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebFilter reactiveEcho(ObjectProvider<AtomicInteger> calls) {
        AtomicInteger counter = calls.getIfAvailable(AtomicInteger::new);
        return (exchange, chain) -> {
            counter.incrementAndGet();
            return echo(exchange, CaracalExchanges.claims(exchange).map(Claims::sub).orElse(null));
        };
    }

    /** Writes 200 {@code {"sub": …}} (the sub quoted, or {@code null}). */
    static Mono<Void> echo(ServerWebExchange exchange, String sub) {
        byte[] body = ("{\"sub\":" + (sub == null ? "null" : "\"" + sub + "\"") + "}").getBytes(StandardCharsets.UTF_8);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
