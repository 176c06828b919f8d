package ai.caracal.devsts;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a delegation invalidation (devtools.md §1.7). Immutable.
 *
 * @param zoneId         the zone
 * @param epoch          the zone's new delegation graph epoch
 * @param appliedToStore whether the attached {@code RevocationStore} was written
 * @param published      whether an event was added to {@link #STREAM}
 * @param streamId       the stream entry ID when published, otherwise empty
 */
public record InvalidateResult(String zoneId, long epoch, boolean appliedToStore, boolean published,
        Optional<String> streamId) {

    /** The stream invalidations are published to: {@code caracal.delegations.invalidate}. */
    public static final String STREAM = "caracal.delegations.invalidate";

    /**
     * @param zoneId         see the record description
     * @param epoch          see the record description
     * @param appliedToStore see the record description
     * @param published      see the record description
     * @param streamId       see the record description
     * @throws NullPointerException for a {@code null} component
     */
    public InvalidateResult {
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(streamId, "streamId");
    }
}
