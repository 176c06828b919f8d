package ai.caracal.devsts;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a revocation (devtools.md §1.6). Immutable.
 *
 * @param revoked        the distinct anchors revoked, in wire order
 * @param appliedToStore whether the attached {@code RevocationStore} was written
 * @param published      whether an event was added to {@link #STREAM}
 * @param streamId       the stream entry ID when published, otherwise empty
 */
public record RevokeResult(List<String> revoked, boolean appliedToStore, boolean published, Optional<String> streamId) {

    /** The stream revocations are published to: {@code caracal.sessions.revoke}. */
    public static final String STREAM = "caracal.sessions.revoke";

    /**
     * Copies the list.
     *
     * @param revoked        see the record description
     * @param appliedToStore see the record description
     * @param published      see the record description
     * @param streamId       see the record description
     * @throws NullPointerException for a {@code null} component
     */
    public RevokeResult {
        revoked = List.copyOf(revoked);
        Objects.requireNonNull(streamId, "streamId");
    }

    /** @return {@value #STREAM} */
    public String stream() {
        return STREAM;
    }
}
