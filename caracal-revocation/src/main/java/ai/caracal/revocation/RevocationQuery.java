package ai.caracal.revocation;

import java.util.List;
import java.util.Objects;

/**
 * One item of a batch check ({@link RevocationStore#checkEach(List)}): the anchors of one mandate and
 * its zone, the arguments {@link RevocationStore#check(List, String)} takes.
 *
 * @param anchors the mandate's anchors, already de-duplicated; never {@code null} (copied, unmodifiable)
 * @param zoneId  the mandate's zone; {@code null} or blank gives an epoch of {@code 0}
 */
public record RevocationQuery(List<String> anchors, String zoneId) {

    /**
     * @param anchors the mandate's anchors; never {@code null}
     * @param zoneId  the mandate's zone, possibly {@code null}
     */
    public RevocationQuery {
        anchors = List.copyOf(Objects.requireNonNull(anchors, "anchors"));
    }
}
