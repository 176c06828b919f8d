package ai.caracal.spring;

import ai.caracal.verify.AuthError;
import ai.caracal.verify.http.HttpBoundary;
import ai.caracal.webflux.CaracalExchanges;
import ai.caracal.webflux.WebFluxResponses;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.HandlerAdapter;
import org.springframework.web.reactive.HandlerResult;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Enforces {@link CaracalRequires} on annotated WebFlux handlers, before the handler (and its argument
 * resolution) runs. WebFlux has no handler interceptors, so this is the first {@link HandlerAdapter} the
 * {@code DispatcherHandler} asks: it claims only handler methods with a {@code @CaracalRequires} (on the
 * method, else on its type), checks {@code Requirements.check(claims)} on the claims the filter attached,
 * answers a failure with the filter's boundary ({@link HttpBoundary#rejection}: same status, headers and
 * body) and otherwise hands the handler to Spring's own {@link RequestMappingHandlerAdapter}. A request
 * without claims gets 401 {@code missing_token}. Never blocks. Thread-safe.
 */
final class CaracalRequiresHandlerAdapter implements HandlerAdapter, Ordered {

    private final HttpBoundary boundary;
    private final ObjectProvider<RequestMappingHandlerAdapter> annotated;
    private final CaracalDemands demands = new CaracalDemands();

    CaracalRequiresHandlerAdapter(HttpBoundary boundary, ObjectProvider<RequestMappingHandlerAdapter> annotated) {
        this.boundary = boundary;
        this.annotated = annotated;
    }

    @Override
    public boolean supports(Object handler) {
        return handler instanceof HandlerMethod method && demands.of(method).isPresent();
    }

    @Override
    public Mono<HandlerResult> handle(ServerWebExchange exchange, Object handler) {
        CaracalDemands.Demand demand = demands.of((HandlerMethod) handler).orElseThrow();
        Optional<AuthError> failure = CaracalDemands.failure(demand, CaracalExchanges.claims(exchange),
                boundary.verifier().options().scopeHierarchy());
        if (failure.isPresent()) {
            return WebFluxResponses.write(boundary.rejection(failure.get(), demand.scopes(),
                    exchange.getRequest().getMethod().name()), exchange).then(Mono.empty());
        }
        return annotated.getObject().handle(exchange, handler);
    }

    /** First among handler adapters, so it sees annotated handlers before Spring's own adapter does. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
