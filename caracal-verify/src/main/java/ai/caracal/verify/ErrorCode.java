package ai.caracal.verify;

import java.util.Optional;

/**
 * The ten verification error codes. The wire strings ({@link #wire()}) are part of the contract and
 * never change; clients key off them, not off descriptions.
 */
public enum ErrorCode {

    /** No bearer mandate was presented. */
    MISSING_TOKEN("missing_token", "Bearer mandate missing",
            "Send the mandate as Authorization: Bearer <mandate>."),
    /** The mandate is malformed, badly signed, expired, or not meant for this server. */
    INVALID_TOKEN("invalid_token", "Mandate rejected",
            "Check the mandate's signature, issuer, audience, lifetime, use and targets."),
    /** The mandate's {@code zone_id} is missing or not the configured zone. */
    INVALID_ZONE("invalid_zone", "Mandate zone not accepted",
            "Make the mandate's zone_id match the verifier's zoneId."),
    /** One of the mandate's anchors has been revoked. */
    SESSION_REVOKED("session_revoked", "Mandate authority revoked",
            "Obtain a new mandate or start a new authorized session."),
    /** The zone's delegation graph changed after the mandate was minted. */
    DELEGATION_STALE("delegation_stale", "Delegation graph has changed",
            "Mint a fresh mandate so the current delegation graph applies."),
    /** A required scope is missing. */
    INSUFFICIENT_SCOPE("insufficient_scope", "Mandate lacks scope",
            "Obtain a mandate granting every scope this route requires."),
    /** An agent session is required but the mandate has none. */
    AGENT_REQUIRED("agent_required", "Agent session required",
            "Use a resource mandate issued to a governed agent session."),
    /** A delegated mandate is required but the mandate has no delegation edge. */
    DELEGATION_REQUIRED("delegation_required", "Delegated mandate required",
            "Use a mandate obtained through a delegated grant."),
    /** A required application is not in the delegation chain. */
    CHAIN_MISMATCH("chain_mismatch", "Delegation chain lacks application",
            "Compare requireChainContains with the mandate's delegation_chain."),
    /** The delegation hop count is above the limit. */
    HOP_COUNT_EXCEEDED("hop_count_exceeded", "Delegation hop limit exceeded",
            "Shorten the delegation path or raise maxHopCount deliberately.");

    private static final ErrorCode[] VALUES = values();

    private final String wire;
    private final String defaultDescription;
    private final String hint;

    ErrorCode(String wire, String defaultDescription, String hint) {
        this.wire = wire;
        this.defaultDescription = defaultDescription;
        this.hint = hint;
    }

    /**
     * @return the wire string, for example {@code insufficient_scope}
     */
    public String wire() {
        return wire;
    }

    /**
     * @return the description used when there is no configured value to name (for
     *         {@link #INSUFFICIENT_SCOPE} and {@link #CHAIN_MISMATCH}, the text before the colon)
     */
    public String defaultDescription() {
        return defaultDescription;
    }

    /**
     * @return the hint that every error with this code carries
     */
    public String hint() {
        return hint;
    }

    /**
     * @param wire a wire string; may be {@code null}
     * @return the matching code, or empty for {@code null} and unknown strings
     */
    public static Optional<ErrorCode> fromWire(String wire) {
        if (wire != null) {
            for (ErrorCode code : VALUES) {
                if (code.wire.equals(wire)) {
                    return Optional.of(code);
                }
            }
        }
        return Optional.empty();
    }

    /** @return the wire string */
    @Override
    public String toString() {
        return wire;
    }
}
