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

    /**
     * @return whether the request may open a WebSocket: {@code GET} with {@code Upgrade: websocket}, or an
     *         HTTP/2 {@code CONNECT} (RFC 8441 carries the protocol in a pseudo-header the servlet API does
     *         not show)
     */
    static boolean isWebSocketUpgrade(HttpServletRequest request) {
        String method = request.getMethod();
        if ("CONNECT".equals(method)) {
            return true;
        }
        if (!"GET".equals(method)) {
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
