package ai.caracal.revocation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Shared revocation state: revoked anchors and per-zone delegation graph epochs.
 *
 * <p>Anchors ({@code sid}, {@code root_sid}, {@code agent_session_id}, {@code delegation_edge_id})
 * live in one flat namespace with no type tag: an ID revoked through any field matches any claim that
 * holds it. The epoch of a zone is monotonic: writes can raise it, never lower it. Stores hold only
 * anchor IDs and epochs, never tokens or claims.
 *
 * <p><b>Reserved anchors.</b> An anchor that starts with one of {@link #RESERVED_ANCHOR_PREFIXES}
 * ({@code delegation-epoch:} or {@code consumer-policy:}) can never be revoked: a store keeps its own
 * records (a zone's epoch, a consumer group's signature policy) under those names next to the anchors,
 * and a revocation must never overwrite them (state.md §10, S66). Every implementation's
 * {@link #revoke(String, Duration)} throws {@link IllegalArgumentException} for them, before any write.
 * Looking one up is allowed; a Redis store then reads its own record and answers "revoked", which
 * fails closed.
 *
 * <p><b>Failures.</b> Lookups either fail closed inside the store (a fail-closed store answers
 * "revoked") or throw an unchecked {@link RevocationStoreException}, which the verifier turns into
 * {@code invalid_token}. Writes throw {@link RevocationStoreException} and never swallow errors.
 *
 * <p><b>Thread safety.</b> Every implementation is safe for concurrent use.
 */
public interface RevocationStore {

    /**
     * The prefixes no anchor may start with: {@code delegation-epoch:} (a zone's epoch) and
     * {@code consumer-policy:} (a consumer group's signature policy). Unmodifiable.
     */
    List<String> RESERVED_ANCHOR_PREFIXES = List.of("delegation-epoch:", "consumer-policy:");

    /**
     * Whether the anchor names one of the store's own records rather than a revocable ID.
     *
     * @param anchor an anchor ID; {@code null} gives {@code false}
     * @return {@code true} if it starts with one of {@link #RESERVED_ANCHOR_PREFIXES}
     */
    static boolean isReservedAnchor(String anchor) {
        return reservedPrefixOf(anchor) != null;
    }

    /**
     * Throws for a reserved anchor; for implementations, as the first step of
     * {@link #revoke(String, Duration)}. The message names the reserved prefix, never the anchor.
     *
     * @param anchor an anchor ID, possibly {@code null}
     * @throws IllegalArgumentException if {@link #isReservedAnchor(String)}
     */
    static void requireRevocable(String anchor) {
        String prefix = reservedPrefixOf(anchor);
        if (prefix != null) {
            throw new IllegalArgumentException("an anchor starting with '" + prefix + "' cannot be revoked: the"
                    + " name is reserved for the store's own records (state.md S66)");
        }
    }

    private static String reservedPrefixOf(String anchor) {
        if (anchor != null) {
            for (String prefix : RESERVED_ANCHOR_PREFIXES) {
                if (anchor.startsWith(prefix)) {
                    return prefix;
                }
            }
        }
        return null;
    }

    /**
     * Whether a live revocation exists for the anchor.
     *
     * @param anchor an anchor ID; {@code null} or {@code ""} gives {@code false} without I/O
     * @return {@code true} while the anchor is revoked
     */
    boolean isRevoked(String anchor);

    /**
     * Records the anchor as revoked. Revoking an anchor again re-arms its expiry.
     *
     * @param anchor an anchor ID; {@code null} or {@code ""} is a no-op
     * @param ttl    how long the revocation lives; {@code null}, zero or negative means the store's
     *               default (24 h unless configured otherwise)
     * @throws IllegalArgumentException  when the anchor is reserved ({@link #isReservedAnchor(String)});
     *                                   nothing is written
     * @throws RevocationStoreException when the write could not be recorded
     */
    void revoke(String anchor, Duration ttl);

    /**
     * Records the anchor as revoked for the store's default TTL.
     *
     * @param anchor an anchor ID; {@code null} or {@code ""} is a no-op
     * @throws IllegalArgumentException  when the anchor is reserved ({@link #isReservedAnchor(String)})
     * @throws RevocationStoreException when the write could not be recorded
     */
    default void revoke(String anchor) {
        revoke(anchor, null);
    }

    /**
     * The newest delegation graph epoch seen for the zone.
     *
     * @param zoneId a zone ID
     * @return the epoch, or {@code 0} when unknown or expired
     */
    long currentDelegationEpoch(String zoneId);

    /**
     * Raises the zone's epoch to {@code epoch} if that is greater than the current one. An equal or
     * lower epoch changes nothing, not even the TTL.
     *
     * @param zoneId a zone ID; blank gives {@code false} with no write
     * @param epoch  the candidate epoch; negative gives {@code false} with no write
     * @param ttl    how long the epoch lives; {@code null}, zero or negative means the default
     * @return {@code true} if the epoch was raised
     * @throws RevocationStoreException when the write could not be recorded
     */
    boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl);

    /**
     * {@link #advanceDelegationEpoch(String, long, Duration)} with the default TTL.
     *
     * @param zoneId a zone ID; blank gives {@code false} with no write
     * @param epoch  the candidate epoch; negative gives {@code false} with no write
     * @return {@code true} if the epoch was raised
     */
    default boolean advanceDelegationEpoch(String zoneId, long epoch) {
        return advanceDelegationEpoch(zoneId, epoch, null);
    }

    /**
     * The single call the verifier makes per mandate: are any of these anchors revoked, and what is
     * the zone's current epoch. Implementations backed by a network store should answer in one round
     * trip; this default calls the single-item methods and stops at the first revoked anchor.
     *
     * @param anchors the mandate's anchors, already de-duplicated; never {@code null}
     * @param zoneId  the mandate's zone; blank gives an epoch of {@code 0}
     * @return the combined answer
     */
    default RevocationCheck check(List<String> anchors, String zoneId) {
        boolean revoked = false;
        for (String anchor : anchors) {
            if (isRevoked(anchor)) {
                revoked = true;
                break;
            }
        }
        long epoch = isBlank(zoneId) ? 0L : currentDelegationEpoch(zoneId);
        return new RevocationCheck(revoked, epoch);
    }

    /**
     * {@link #check(List, String)} for non-blocking callers (reactive connectors, event loops): the same
     * answer, as a stage. This default runs the blocking {@code check} on the calling thread and returns
     * a completed stage, which is right for in-memory stores. <b>A store that does I/O must override it</b>
     * with a truly asynchronous implementation (the Redis store does, in one round trip); otherwise a
     * reactive connector would block its event loop on every request.
     *
     * @param anchors the mandate's anchors, already de-duplicated; never {@code null}
     * @param zoneId  the mandate's zone; blank gives an epoch of {@code 0}
     * @return the combined answer; a stage that fails means the store could not answer (the verifier
     *         then rejects the mandate, as when {@code check} throws)
     */
    default CompletionStage<RevocationCheck> checkAsync(List<String> anchors, String zoneId) {
        try {
            return CompletableFuture.completedFuture(check(anchors, zoneId));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Many {@link #check(List, String)} calls at once, for connectors that re-check their open
     * connections (connectors.md §10.4): answer {@code i} is the answer to query {@code i}. A store backed
     * by a network should answer the whole batch in one round trip (the Redis store sends one
     * {@code MGET} of the distinct keys); this default calls {@link #check(List, String)} once per query,
     * which is right for in-memory stores.
     *
     * <p>A fail-closed store that cannot read its state answers {@link RevocationCheck#FAILED_CLOSED} for
     * every query; a store may also throw {@link RevocationStoreException}, like {@code check}.
     *
     * @param queries the queries; never {@code null}, possibly empty
     * @return one answer per query, in the same order; never {@code null}
     */
    default List<RevocationCheck> checkEach(List<RevocationQuery> queries) {
        RevocationCheck[] answers = new RevocationCheck[queries.size()];
        for (int i = 0; i < answers.length; i++) {
            RevocationQuery query = queries.get(i);
            answers[i] = check(query.anchors(), query.zoneId());
        }
        return List.of(answers);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
