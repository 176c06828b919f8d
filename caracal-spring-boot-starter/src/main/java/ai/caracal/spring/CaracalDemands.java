package ai.caracal.spring;

import ai.caracal.verify.AuthError;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.ScopeHierarchy;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * The {@link CaracalRequires} of handler methods, for Spring MVC and WebFlux alike: the method's
 * annotation, else its type's, built once per handler method into {@link Requirements}. Thread-safe.
 */
final class CaracalDemands {

    private static final AuthError MISSING_TOKEN = AuthError.of(ErrorCode.MISSING_TOKEN);

    private final ConcurrentMap<HandlerKey, Optional<Demand>> demands = new ConcurrentHashMap<>();

    /**
     * @param method a handler method
     * @return its demand, or empty when neither the method nor its type is annotated
     */
    Optional<Demand> of(HandlerMethod method) {
        return demands.computeIfAbsent(new HandlerKey(method.getBeanType(), method.getMethod()), key -> Demand.of(method));
    }

    /**
     * @param demand    the handler's demand
     * @param claims    the request's claims, empty when the filter did not verify it
     * @param hierarchy the verifier's scope hierarchy (caracal.scope-hierarchy)
     * @return the failure to answer with ({@code missing_token} without claims), or empty when met
     */
    static Optional<AuthError> failure(Demand demand, Optional<Claims> claims, ScopeHierarchy hierarchy) {
        return claims.isEmpty() ? Optional.of(MISSING_TOKEN) : demand.requirements().check(claims.get(), hierarchy);
    }

    /** A handler method as seen on one controller type (the type-level annotation depends on it). */
    private record HandlerKey(Class<?> type, Method method) {
    }

    /** The requirements of one annotation, and its scopes for the challenge. */
    record Demand(Requirements requirements, List<String> scopes) {

        private static Demand from(CaracalRequires annotation) {
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
            return new Demand(builder.build(), List.copyOf(Arrays.asList(annotation.scopes())));
        }

        static Optional<Demand> of(HandlerMethod method) {
            CaracalRequires annotation = method.getMethodAnnotation(CaracalRequires.class);
            if (annotation == null) {
                annotation = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), CaracalRequires.class);
            }
            return annotation == null ? Optional.empty() : Optional.of(from(annotation));
        }
    }
}
