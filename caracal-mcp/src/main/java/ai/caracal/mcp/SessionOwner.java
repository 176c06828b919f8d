package ai.caracal.mcp;

import ai.caracal.verify.Claims;
import java.util.Objects;
import java.util.Optional;

/**
 * Who an MCP session belongs to (connectors.md §10.2 M12): the ({@code zone_id}, {@code sub},
 * {@code client_id}) of the verified mandate, or {@link #NOBODY} for a request that reached the transport
 * without claims (an excluded path, or no {@code CaracalFilter} in front). Immutable.
 */
final class SessionOwner {

    /** The owner of sessions created without verified claims; only requests without claims match it. */
    static final SessionOwner NOBODY = new SessionOwner(null, null, null, true);

    private final String zoneId;
    private final String sub;
    private final String clientId;
    private final boolean nobody;

    SessionOwner(String zoneId, String sub, String clientId) {
        this(zoneId, sub, clientId, false);
    }

    private SessionOwner(String zoneId, String sub, String clientId, boolean nobody) {
        this.zoneId = zoneId;
        this.sub = sub;
        this.clientId = clientId;
        this.nobody = nobody;
    }

    /** @return the owner a request acts as: its claims' principal, or {@link #NOBODY} without claims */
    static SessionOwner of(Optional<Claims> claims) {
        return claims.map(SessionOwner::of).orElse(NOBODY);
    }

    static SessionOwner of(Claims claims) {
        return new SessionOwner(claims.zoneId(), claims.sub(), claims.clientId());
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof SessionOwner)) {
            return false;
        }
        SessionOwner that = (SessionOwner) other;
        return nobody == that.nobody && Objects.equals(zoneId, that.zoneId) && Objects.equals(sub, that.sub)
                && Objects.equals(clientId, that.clientId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(zoneId, sub, clientId, nobody);
    }

    @Override
    public String toString() {
        return nobody ? "SessionOwner[nobody]" : "SessionOwner[zone_id=" + zoneId + ", sub=" + sub + ", client_id=" + clientId + "]";
    }
}
