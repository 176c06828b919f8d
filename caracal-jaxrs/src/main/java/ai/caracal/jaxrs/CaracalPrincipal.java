package ai.caracal.jaxrs;

import ai.caracal.verify.Claims;
import java.security.Principal;
import java.util.Objects;

/**
 * The principal of a request {@link CaracalRequestFilter} verified: its name is the mandate's
 * {@code sub}, and it carries the whole {@link Claims}. Reach it through the request's
 * {@link jakarta.ws.rs.core.SecurityContext#getUserPrincipal()} (for example with
 * {@code @Context SecurityContext}) or read the claims with {@link CaracalClaims}. Immutable.
 */
public final class CaracalPrincipal implements Principal {

    private final Claims claims;

    CaracalPrincipal(Claims claims) {
        this.claims = Objects.requireNonNull(claims, "claims");
    }

    /** @return the mandate's {@code sub}; never {@code null} */
    @Override
    public String getName() {
        return claims.sub();
    }

    /** @return the verified claims; never {@code null} */
    public Claims claims() {
        return claims;
    }

    @Override
    public String toString() {
        return "CaracalPrincipal[" + claims.sub() + "]";
    }
}
