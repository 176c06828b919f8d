package ai.caracal.jaxrs;

import ai.caracal.verify.Claims;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the claims that {@link CaracalRequestFilter} attached to a request. In a resource method, take
 * them from the injected security context:
 *
 * <pre>{@code
 * @GET
 * public String whoami(@Context SecurityContext security) {
 *     return CaracalClaims.require(security).sub();
 * }
 * }</pre>
 *
 * <p>Filters and interceptors that run later can read the request property
 * {@value CaracalRequestFilter#CLAIMS_PROPERTY} with {@link #from(ContainerRequestContext)}.
 */
public final class CaracalClaims {

    private CaracalClaims() {
    }

    /**
     * @param security the request's security context
     * @return the verified claims, or empty when the filter did not verify this request (excluded path,
     *         permitted preflight, or a principal set by something else)
     */
    public static Optional<Claims> from(SecurityContext security) {
        Principal principal = Objects.requireNonNull(security, "security").getUserPrincipal();
        return principal instanceof CaracalPrincipal caracal ? Optional.of(caracal.claims()) : Optional.empty();
    }

    /**
     * @param request the request context (in a filter or interceptor)
     * @return the verified claims, or empty when the filter did not verify this request
     */
    public static Optional<Claims> from(ContainerRequestContext request) {
        Object claims = Objects.requireNonNull(request, "request").getProperty(CaracalRequestFilter.CLAIMS_PROPERTY);
        return claims instanceof Claims verified ? Optional.of(verified) : Optional.empty();
    }

    /**
     * @param security the request's security context
     * @return the verified claims
     * @throws IllegalStateException when the filter did not verify this request
     */
    public static Claims require(SecurityContext security) {
        return from(security).orElseThrow(CaracalClaims::missing);
    }

    /**
     * @param request the request context (in a filter or interceptor)
     * @return the verified claims
     * @throws IllegalStateException when the filter did not verify this request
     */
    public static Claims require(ContainerRequestContext request) {
        return from(request).orElseThrow(CaracalClaims::missing);
    }

    private static IllegalStateException missing() {
        return new IllegalStateException(
                "No Caracal claims on this request: is CaracalRequestFilter registered, and is the path excluded?");
    }
}
