package ai.caracal.webflux;

import ai.caracal.verify.http.BoundaryResponse;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Writes a {@link BoundaryResponse} to a WebFlux exchange: status, headers in order,
 * {@code Content-Length}, and the body unless the request was {@code HEAD}. For integrations that find a
 * failure outside {@link CaracalWebFilter} (per-handler annotations, for example) and must answer exactly
 * as the filter does.
 */
public final class WebFluxResponses {

    private static final HttpStatusCode BAD_REQUEST = HttpStatusCode.valueOf(400);

    private WebFluxResponses() {
    }

    /**
     * @param response what the boundary wants written; never {@code null}
     * @param exchange the exchange to answer; never {@code null}
     * @return completes when the response is written; status and headers are set at once, the body
     *         is written on subscription
     */
    public static Mono<Void> write(BoundaryResponse response, ServerWebExchange exchange) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(exchange, "exchange");
        ServerHttpResponse out = exchange.getResponse();
        out.setStatusCode(HttpStatusCode.valueOf(response.status()));
        HttpHeaders headers = out.getHeaders();
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            headers.set(header.getKey(), header.getValue());
        }
        headers.setContentLength(response.bodyLength());
        if (response.includeBody()) {
            return out.writeWith(Mono.just(out.bufferFactory().wrap(response.body())));
        }
        return out.setComplete();
    }

    /** 400, no body: a path WebFlux routing would read differently from the boundary (connectors.md §3.5). */
    static Mono<Void> ambiguousPath(ServerWebExchange exchange) {
        ServerHttpResponse out = exchange.getResponse();
        out.setStatusCode(BAD_REQUEST);
        out.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
        out.getHeaders().setContentLength(0);
        return out.setComplete();
    }
}
