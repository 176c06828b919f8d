package ai.caracal.spring;

import ai.caracal.servlet.ServletResponses;
import ai.caracal.servlet.CaracalRequests;
import ai.caracal.verify.AuthError;
import ai.caracal.verify.Claims;
import ai.caracal.verify.http.HttpBoundary;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Enforces {@link CaracalRequires} on Spring MVC handlers: the method's annotation, else its type's,
 * checked with {@link ai.caracal.verify.Requirements#check(Claims)} on the claims the filter attached. A failure is
 * written with {@link HttpBoundary#rejection} of the filter's boundary, so status, headers and body are
 * the filter's; the handler does not run. A request without claims gets 401 {@code missing_token}. Like
 * the filter, it answers before the handler read the request body, and drains that body afterwards
 * (connectors.md §10.3).
 *
 * <p>Thread-safe; the annotation lookup is cached per handler method.
 */
public final class CaracalRequiresInterceptor implements HandlerInterceptor {

    private final HttpBoundary boundary;
    private final CaracalDemands demands = new CaracalDemands();

    /**
     * @param boundary the filter's boundary ({@code CaracalFilter.boundary()}), whose challenge settings
     *                 the rejections use
     */
    public CaracalRequiresInterceptor(HttpBoundary boundary) {
        this.boundary = Objects.requireNonNull(boundary, "boundary");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        Optional<CaracalDemands.Demand> demand = demands.of(method);
        if (demand.isEmpty()) {
            return true;
        }
        Optional<AuthError> failure = CaracalDemands.failure(demand.get(), CaracalRequests.claims(request),
                boundary.verifier().options().scopeHierarchy());
        if (failure.isEmpty()) {
            return true;
        }
        ServletResponses.answer(boundary.rejection(failure.get(), demand.get().scopes(), request.getMethod()), request, response,
                boundary.drainLimit());
        return false;
    }
}
