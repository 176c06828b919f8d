package ai.caracal.mcp;

import ai.caracal.verify.Claims;
import java.util.Optional;

/**
 * Who an MCP session belongs to (connectors.md §10.2 M12): the ({@code zone_id}, {@code sub},
 * {@code client_id}) of the verified mandate, or {@link #NOBODY} for a request that reached the transport
 * without claims (an excluded path, or no {@code CaracalFilter} in front). Immutable.
 */
record SessionOwner(String zoneId, String sub, String clientId, boolean nobody) {

    /** The owner of sessions created without verified claims; only requests without claims match it. */
    static final SessionOwner NOBODY = new SessionOwner(null, null, null, true);

    SessionOwner {
        if (nobody && (zoneId != null || sub != null || clientId != null)) {
            throw new IllegalArgumentException("the nobody owner has no zone_id, sub or client_id");
        }
    }

    SessionOwner(String zoneId, String sub, String clientId) {
        this(zoneId, sub, clientId, false);
    }

    /** @return the owner a request acts as: its claims' principal, or {@link #NOBODY} without claims */
    static SessionOwner of(Optional<Claims> claims) {
        return claims.map(SessionOwner::of).orElse(NOBODY);
    }

    static SessionOwner of(Claims claims) {
        return new SessionOwner(claims.zoneId(), claims.sub(), claims.clientId());
    }

    @Override
    public String toString() {
        return nobody ? "SessionOwner[nobody]" : "SessionOwner[zone_id=" + zoneId + ", sub=" + sub + ", client_id=" + clientId + "]";
    }
}
