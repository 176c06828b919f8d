package ai.caracal.tokenstate.postgres;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code mcp_token_state}: what was last recorded for a subject in a zone.
 *
 * <p>Immutable and thread-safe. Every component is non-null ({@code scope} may be {@code ""});
 * the constructor throws {@link NullPointerException} naming the missing component. Instants carry
 * PostgreSQL's precision (microseconds).
 *
 * @param zoneId    {@code zone_id}: the zone
 * @param sub       {@code sub}: the subject
 * @param scope     {@code scope}: the space-delimited scope last recorded, possibly {@code ""}
 * @param expiresAt {@code expires_at}: when the recorded mandate expires
 * @param updatedAt {@code updated_at}: when the row was last written, by the database clock
 */
public record TokenState(String zoneId, String sub, String scope, Instant expiresAt, Instant updatedAt) {

    /** Checks that no component is {@code null}. */
    public TokenState {
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(sub, "sub");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * Rows are returned whether or not they have expired; this is the check.
     *
     * @param clock the clock to compare with; not {@code null}
     * @return {@code true} when {@code expiresAt <= clock.instant()}
     */
    public boolean isExpired(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return !expiresAt.isAfter(clock.instant());
    }
}
