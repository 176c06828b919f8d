package ai.caracal.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/**
 * A verified WebSocket upgrade request as the filter hands it on: its user principal is the
 * {@link CaracalPrincipal}, which the container's WebSocket implementation passes to the handshake and
 * the session ({@code HandshakeRequest.getUserPrincipal()}, {@code Session.getUserPrincipal()}).
 */
final class VerifiedUpgradeRequest extends HttpServletRequestWrapper {

    private final CaracalPrincipal principal;

    VerifiedUpgradeRequest(HttpServletRequest request, CaracalPrincipal principal) {
        super(request);
        this.principal = principal;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    /** @return whether the request asks for a WebSocket upgrade ({@code GET} with {@code Upgrade: websocket}) */
    static boolean isWebSocketUpgrade(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod())) {
            return false;
        }
        var upgrades = request.getHeaders("Upgrade");
        while (upgrades != null && upgrades.hasMoreElements()) {
            for (String token : upgrades.nextElement().split(",")) {
                if (token.trim().equalsIgnoreCase("websocket")) {
                    return true;
                }
            }
        }
        return false;
    }
}
