package ai.caracal.spring;

import ai.caracal.servlet.ServletResponses;
import ai.caracal.servlet.CaracalRequests;
import ai.caracal.verify.AuthError;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.http.HttpBoundary;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Enforces {@link CaracalRequires} on Spring MVC handlers: the method's annotation, else its type's,
 * checked with {@link Requirements#check(Claims)} on the claims the filter attached. A failure is
 * written with {@link HttpBoundary#rejection} of the filter's boundary, so status, headers and body are
 * the filter's; the handler does not run. A request without claims gets 401 {@code missing_token}. Like
 * the filter, it answers before the handler read the request body, and drains that body afterwards
 * (connectors.md §10.3).
 *
 * <p>Thread-safe; the annotation lookup is cached per handler method.
 */
public final class CaracalRequiresInterceptor implements HandlerInterceptor {

    private static final AuthError MISSING_TOKEN = AuthError.of(ErrorCode.MISSING_TOKEN);

    private final HttpBoundary boundary;
    private final ConcurrentMap<HandlerKey, Optional<Demand>> demands = new ConcurrentHashMap<>();

    /**
     * @param boundary the filter's boundary ({@code CaracalFilter.boundary()}), whose challenge settings
     *                 the rejections use
     */
    public CaracalRequiresInterceptor(HttpBoundary boundary) {
        this.boundary = Objects.requireNonNull(boundary, "boundary");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        if (!(handler instanceof HandlerMethod)) {
            return true;
        }
        HandlerMethod method = (HandlerMethod) handler;
        Optional<Demand> demand = demands.computeIfAbsent(new HandlerKey(method.getBeanType(), method.getMethod()),
                key -> Demand.of(method));
        if (demand.isEmpty()) {
            return true;
        }
        Optional<Claims> claims = CaracalRequests.claims(request);
        Optional<AuthError> failure = claims.isEmpty() ? Optional.of(MISSING_TOKEN)
                : demand.get().requirements.check(claims.get());
        if (failure.isEmpty()) {
            return true;
        }
        ServletResponses.answer(boundary.rejection(failure.get(), demand.get().scopes, request.getMethod()), request, response,
                boundary.drainLimit());
        return false;
    }

    /** A handler method as seen on one controller type (the type-level annotation depends on it). */
    private record HandlerKey(Class<?> type, Method method) {
    }

    /** The requirements of one annotation, and its scopes for the challenge. */
    private static final class Demand {
        final Requirements requirements;
        final List<String> scopes;

        private Demand(CaracalRequires annotation) {
            Requirements.Builder builder = Requirements.builder()
                    .requireAgent(annotation.agent())
                    .requireDelegation(annotation.delegation())
                    .maxHopCount(annotation.maxHopCount());
            if (annotation.scopes().length > 0) {
                builder.requiredScopes(annotation.scopes());
            }
            if (annotation.targets().length > 0) {
                builder.requiredTargets(annotation.targets());
            }
            if (annotation.chainContains().length > 0) {
                builder.requireChainContains(annotation.chainContains());
            }
            this.requirements = builder.build();
            this.scopes = List.copyOf(Arrays.asList(annotation.scopes()));
        }

        static Optional<Demand> of(HandlerMethod method) {
            CaracalRequires annotation = method.getMethodAnnotation(CaracalRequires.class);
            if (annotation == null) {
                annotation = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), CaracalRequires.class);
            }
            return annotation == null ? Optional.empty() : Optional.of(new Demand(annotation));
        }
    }
}
