package ai.caracal.jaxrs;

import ai.caracal.verify.Claims;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/**
 * The security context of a verified request: the {@link CaracalPrincipal}, scheme {@code Bearer}, no
 * roles, and the transport's {@code isSecure()}.
 */
final class CaracalSecurityContext implements SecurityContext {

    private final CaracalPrincipal principal;
    private final boolean secure;

    CaracalSecurityContext(Claims claims, boolean secure) {
        this.principal = new CaracalPrincipal(claims);
        this.secure = secure;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    /** Mandates carry scopes, not roles: scope checks belong to routes and requirements. */
    @Override
    public boolean isUserInRole(String role) {
        return false;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return "Bearer";
    }
}
