package ai.caracal.devsts;

import java.util.List;
import java.util.Objects;

/**
 * One zone of {@code GET /dev/zones} (devtools.md §1.8). Immutable.
 *
 * @param zoneId the zone
 * @param kids   the published key IDs, newest (the signing key) first; empty for a zone that has only
 *               an epoch
 * @param epoch  the zone's delegation graph epoch, 0 when never raised
 */
public record ZoneInfo(String zoneId, List<String> kids, long epoch) {

    /**
     * Copies the list.
     *
     * @param zoneId see the record description
     * @param kids   see the record description
     * @param epoch  see the record description
     * @throws NullPointerException for a {@code null} component
     */
    public ZoneInfo {
        Objects.requireNonNull(zoneId, "zoneId");
        kids = List.copyOf(kids);
    }
}
