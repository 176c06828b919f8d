package ai.caracal.verify;

/**
 * Why a verification ended the way it did, finer than the wire {@link ErrorCode} and never sent to the
 * caller: the wire contract stays one code per failure, while results, listeners, metrics and logs carry
 * the cause, so an operator can tell an outage ({@link #outage()}: keys or store unavailable) from an
 * attack or a misconfigured client (verification.md §12.7).
 */
public enum Cause {

    /** The mandate was accepted. */
    NONE("none"),
    /** No bearer token was sent ({@code missing_token}). */
    MISSING("missing"),
    /** The token, its header or its payload broke the structure, encoding, header or claim-type rules. */
    MALFORMED("malformed"),
    /** The header {@code kid} is not in the issuer's key set (after the refetch the cooldown allows). */
    UNKNOWN_KID("unknown_kid"),
    /** No usable key set: the JWKS endpoint failed, timed out or is held back after failures. */
    KEYS_UNAVAILABLE("keys_unavailable"),
    /** The ES256 signature did not verify under the issuer's key. */
    BAD_SIGNATURE("bad_signature"),
    /** {@code iss} is not the configured issuer. */
    ISSUER("issuer"),
    /** {@code aud} lacks the configured audience. */
    AUDIENCE("audience"),
    /** {@code exp} has passed. */
    EXPIRED("expired"),
    /** {@code nbf} or {@code iat} lies in the future beyond the leeway. */
    NOT_YET_VALID("not_yet_valid"),
    /** {@code use} is not the required use class. */
    USE("use"),
    /** {@code zone_id} is missing or not the configured zone ({@code invalid_zone}). */
    ZONE("zone"),
    /** A requirement (scope, target, agent, delegation, chain, hops) is not met (a 403 code). */
    REQUIREMENT("requirement"),
    /** One of the mandate's anchors is revoked ({@code session_revoked}). */
    REVOKED("revoked"),
    /** The zone's delegation epoch is newer than the mandate's ({@code delegation_stale}). */
    STALE_EPOCH("stale_epoch"),
    /** The revocation store could not answer (it failed closed, threw, or answered nothing). */
    STORE_UNAVAILABLE("store_unavailable"),
    /** An unexpected error inside verification (a bug or a library surprise); the mandate was rejected. */
    INTERNAL("internal");

    private final String wire;

    Cause(String wire) {
        this.wire = wire;
    }

    /** @return the lower-case name used in metrics tags, logs and audit events, e.g. {@code keys_unavailable} */
    public String wire() {
        return wire;
    }

    /**
     * @return {@code true} when the verifier could not check the mandate ({@link #KEYS_UNAVAILABLE},
     *         {@link #STORE_UNAVAILABLE}, {@link #INTERNAL}): an outage to fix, not a bad mandate
     */
    public boolean outage() {
        return this == KEYS_UNAVAILABLE || this == STORE_UNAVAILABLE || this == INTERNAL;
    }

    /** @return the cause a failure with this code has when nothing finer is known */
    static Cause of(ErrorCode code) {
        return switch (code) {
            case MISSING_TOKEN -> MISSING;
            case INVALID_TOKEN -> MALFORMED;
            case INVALID_ZONE -> ZONE;
            case SESSION_REVOKED -> REVOKED;
            case DELEGATION_STALE -> STALE_EPOCH;
            default -> REQUIREMENT;
        };
    }
}
