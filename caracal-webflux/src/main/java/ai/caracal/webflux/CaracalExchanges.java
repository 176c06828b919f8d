package ai.caracal.webflux;

import ai.caracal.verify.Claims;
import java.util.Objects;
import java.util.Optional;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the claims that {@link CaracalWebFilter} attached to a request: from the exchange (annotated
 * controllers, filters), from a {@link ServerRequest} (functional endpoints), or from the Reactor
 * context of the request's pipeline.
 *
 * <pre>{@code
 * RouterFunction<ServerResponse> routes = RouterFunctions.route()
 *     .GET("/api/whoami", request -> ServerResponse.ok().bodyValue(CaracalExchanges.requireClaims(request).sub()))
 *     .build();
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class CaracalExchanges {

    private CaracalExchanges() {
    }

    /**
     * @param exchange an exchange
     * @return the verified claims, or empty when the filter did not verify this exchange (excluded
     *         path, permitted preflight, no filter)
     */
    public static Optional<Claims> claims(ServerWebExchange exchange) {
        return cast(Objects.requireNonNull(exchange, "exchange").getAttribute(CaracalWebFilter.CLAIMS_ATTRIBUTE));
    }

    /**
     * @param request a functional endpoint's request
     * @return the verified claims, or empty when the filter did not verify this request
     */
    public static Optional<Claims> claims(ServerRequest request) {
        return cast(Objects.requireNonNull(request, "request").attributes().get(CaracalWebFilter.CLAIMS_ATTRIBUTE));
    }

    /**
     * @param exchange an exchange
     * @return the verified claims
     * @throws IllegalStateException when the filter did not verify this exchange
     */
    public static Claims requireClaims(ServerWebExchange exchange) {
        return claims(exchange).orElseThrow(CaracalExchanges::noClaims);
    }

    /**
     * @param request a functional endpoint's request
     * @return the verified claims
     * @throws IllegalStateException when the filter did not verify this request
     */
    public static Claims requireClaims(ServerRequest request) {
        return claims(request).orElseThrow(CaracalExchanges::noClaims);
    }

    /**
     * The claims in the Reactor context of the current request's pipeline (the filter writes them under
     * {@code Claims.class}), for code that has neither the exchange nor the request at hand.
     *
     * @return a {@code Mono} of the claims, empty when the pipeline carries none
     */
    public static Mono<Claims> currentClaims() {
        return Mono.deferContextual(context -> Mono.justOrEmpty(context.<Claims>getOrEmpty(Claims.class)));
    }

    private static Optional<Claims> cast(Object claims) {
        return claims instanceof Claims verified ? Optional.of(verified) : Optional.empty();
    }

    private static IllegalStateException noClaims() {
        return new IllegalStateException(
                "No Caracal claims on this request: is CaracalWebFilter installed, and is the path excluded?");
    }
}
