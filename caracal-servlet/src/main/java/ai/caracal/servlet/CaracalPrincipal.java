package ai.caracal.servlet;

import ai.caracal.verify.Claims;
import ai.caracal.verify.http.LiveConnections;
import java.security.Principal;

/**
 * The user principal of a WebSocket upgrade request that {@link CaracalFilter} verified: it carries the
 * verified claims and the filter's {@link LiveConnections} to the WebSocket session, since a Jakarta
 * WebSocket handshake exposes the request's principal but not its attributes. Its name is the mandate's
 * {@code sub}.
 */
final class CaracalPrincipal implements Principal {

    private final Claims claims;
    private final LiveConnections liveConnections;

    CaracalPrincipal(Claims claims, LiveConnections liveConnections) {
        this.claims = claims;
        this.liveConnections = liveConnections;
    }

    Claims claims() {
        return claims;
    }

    LiveConnections liveConnections() {
        return liveConnections;
    }

    @Override
    public String getName() {
        return claims.sub();
    }

    @Override
    public String toString() {
        return "CaracalPrincipal[" + claims.sub() + "]";
    }
}
