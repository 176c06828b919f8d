package ai.caracal.revocation;

/**
 * The answer to one {@link RevocationStore#check(java.util.List, String)} call.
 *
 * @param revoked      {@code true} when at least one of the anchors is revoked (or the store failed
 *                     closed)
 * @param currentEpoch the newest delegation graph epoch the store knows for the zone; {@code 0} when
 *                     unknown, {@link Long#MAX_VALUE} when a store failed closed
 * @param unavailable  {@code true} when the store could not read its state and answered
 *                     {@link #FAILED_CLOSED} instead: the mandate is still rejected as revoked, but
 *                     verifiers, metrics and logs report an outage, not a revocation
 */
public record RevocationCheck(boolean revoked, long currentEpoch, boolean unavailable) {

    /** Nothing revoked and no epoch known. */
    public static final RevocationCheck CLEAR = new RevocationCheck(false, 0L);

    /** The answer of a fail-closed store that could not read its state: revoked, and an unbeatable epoch. */
    public static final RevocationCheck FAILED_CLOSED = new RevocationCheck(true, Long.MAX_VALUE, true);

    /**
     * An answer read from the store.
     *
     * @param revoked      whether at least one of the anchors is revoked
     * @param currentEpoch the zone's epoch; {@code 0} when unknown
     */
    public RevocationCheck(boolean revoked, long currentEpoch) {
        this(revoked, currentEpoch, false);
    }
}
