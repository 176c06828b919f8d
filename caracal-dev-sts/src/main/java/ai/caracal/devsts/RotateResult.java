package ai.caracal.devsts;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a key rotation (devtools.md §1.8). Immutable.
 *
 * @param zoneId      the zone
 * @param kid         the new signing key's {@code kid}
 * @param previousKid the key it replaces, which stays in the JWKS for 24 h; empty for a zone's first key
 */
public record RotateResult(String zoneId, String kid, Optional<String> previousKid) {

    /**
     * @param zoneId      see the record description
     * @param kid         see the record description
     * @param previousKid see the record description
     * @throws NullPointerException for a {@code null} component
     */
    public RotateResult {
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(previousKid, "previousKid");
    }
}
