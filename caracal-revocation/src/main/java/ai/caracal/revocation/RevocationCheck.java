package ai.caracal.revocation;

/**
 * The answer to one {@link RevocationStore#check(java.util.List, String)} call.
 *
 * @param revoked      {@code true} when at least one of the anchors is revoked (or the store failed
 *                     closed)
 * @param currentEpoch the newest delegation graph epoch the store knows for the zone; {@code 0} when
 *                     unknown, {@link Long#MAX_VALUE} when a store failed closed
 */
public record RevocationCheck(boolean revoked, long currentEpoch) {

    /** Nothing revoked and no epoch known. */
    public static final RevocationCheck CLEAR = new RevocationCheck(false, 0L);
}
