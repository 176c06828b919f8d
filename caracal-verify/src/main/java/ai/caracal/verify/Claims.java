package ai.caracal.verify;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The verified principal: the claims of an accepted mandate, parsed and typed.
 *
 * <p>Immutable and thread-safe. It never holds the token itself, and {@link #toString()} prints only
 * {@code sub}, {@code zone_id}, {@code client_id}, {@code sid} and {@code use}. Collections are
 * unmodifiable; optional claims that are absent come back as empty values, never {@code null}.
 */
public final class Claims {

    private static final BigDecimal INSTANT_MIN_SECONDS = BigDecimal.valueOf(Instant.MIN.getEpochSecond());
    private static final BigDecimal INSTANT_MAX_SECONDS = BigDecimal.valueOf(Instant.MAX.getEpochSecond());

    private final String issuer;
    private final List<String> audience;
    private final String sub;
    private final long expiresAt;
    private final long issuedAt;
    private final BigDecimal notBefore;
    private final String jti;
    private final String zoneId;
    private final String clientId;
    private final String sid;
    private final String rootSid;
    private final String use;
    private final String subType;
    private final String scope;
    private final Set<String> scopes;
    private final List<String> targets;
    private final String agentSessionId;
    private final String delegationEdgeId;
    private final String sourceSessionId;
    private final String targetSessionId;
    private final List<String> delegationPath;
    private final List<ChainHop> delegationChain;
    private final int hopCount;
    private final long delegationGraphEpoch;
    private final List<String> anchors;
    private final Map<String, Object> raw;

    private Claims(Builder b) {
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.sub = b.sub;
        this.expiresAt = b.expiresAt;
        this.issuedAt = b.issuedAt;
        this.notBefore = b.notBefore;
        this.jti = b.jti;
        this.zoneId = b.zoneId;
        this.clientId = b.clientId;
        this.sid = b.sid;
        this.rootSid = b.rootSid;
        this.use = b.use;
        this.subType = b.subType;
        this.scope = b.scope;
        this.scopes = Scopes.split(b.scope);
        this.targets = b.targets;
        this.agentSessionId = b.agentSessionId;
        this.delegationEdgeId = b.delegationEdgeId;
        this.sourceSessionId = b.sourceSessionId;
        this.targetSessionId = b.targetSessionId;
        this.delegationPath = b.delegationPath;
        this.delegationChain = b.delegationChain;
        this.hopCount = b.hopCount;
        this.delegationGraphEpoch = b.delegationGraphEpoch;
        this.anchors = anchorsOf(sid, rootSid, agentSessionId, delegationEdgeId);
        this.raw = b.raw;
    }

    /** @return {@code iss}: the issuer, equal to the verifier's configured issuer */
    public String issuer() {
        return issuer;
    }

    /** @return {@code aud}: the audiences (a single string in the token becomes a one-element list) */
    public List<String> audience() {
        return audience;
    }

    /** @return {@code sub}: the subject */
    public String sub() {
        return sub;
    }

    /** @return {@code exp} as an instant */
    public Instant expiresAt() {
        return Instant.ofEpochSecond(expiresAt);
    }

    /** @return {@code iat} as an instant */
    public Instant issuedAt() {
        return Instant.ofEpochSecond(issuedAt);
    }

    /**
     * @return {@code nbf} as an instant (fractions kept to the nanosecond, clamped to the
     *         {@link Instant} range), or empty when the token has none
     */
    public Optional<Instant> notBefore() {
        if (notBefore == null) {
            return Optional.empty();
        }
        if (notBefore.compareTo(INSTANT_MIN_SECONDS) < 0) {
            return Optional.of(Instant.MIN);
        }
        if (notBefore.compareTo(INSTANT_MAX_SECONDS) > 0) {
            return Optional.of(Instant.MAX);
        }
        // Below one nanosecond in magnitude (|nbf| < 10^(precision - scale) <= 10^-9): floors to 0 or -1 ns.
        // setScale would compute 10^scale, and an nbf such as 1E-999999999 has a scale near 10^9.
        if ((long) notBefore.precision() - notBefore.scale() <= -9) {
            return Optional.of(notBefore.signum() < 0 ? Instant.ofEpochSecond(-1, 999_999_999) : Instant.EPOCH);
        }
        BigDecimal seconds = notBefore.setScale(0, RoundingMode.FLOOR);
        long nanos = notBefore.subtract(seconds).movePointRight(9).setScale(0, RoundingMode.FLOOR).longValue();
        return Optional.of(Instant.ofEpochSecond(seconds.longValueExact(), nanos));
    }

    /** @return {@code jti}: the mandate ID (never checked for replay) */
    public String jti() {
        return jti;
    }

    /** @return {@code zone_id}: the zone */
    public String zoneId() {
        return zoneId;
    }

    /** @return {@code client_id}: the acting application */
    public String clientId() {
        return clientId;
    }

    /** @return {@code sid}: the authority record anchor */
    public String sid() {
        return sid;
    }

    /** @return {@code root_sid}: the root authority record anchor */
    public String rootSid() {
        return rootSid;
    }

    /** @return {@code use}: {@code resource} or {@code session} */
    public String use() {
        return use;
    }

    /** @return {@code sub_type}: {@code user} or {@code application} */
    public String subType() {
        return subType;
    }

    /** @return {@code scope} as sent, or {@code ""} when absent */
    public String scope() {
        return scope;
    }

    /** @return the scope tokens, split on whitespace, de-duplicated, in order of first appearance */
    public Set<String> scopes() {
        return scopes;
    }

    /** @return {@code target}: the granted resources, empty when absent */
    public List<String> targets() {
        return targets;
    }

    /** @return {@code agent_session_id}: the governed agent session anchor, if any */
    public Optional<String> agentSessionId() {
        return Optional.ofNullable(agentSessionId);
    }

    /** @return {@code delegation_edge_id}: the delegation edge anchor, if any */
    public Optional<String> delegationEdgeId() {
        return Optional.ofNullable(delegationEdgeId);
    }

    /** @return {@code source_session_id}, if any */
    public Optional<String> sourceSessionId() {
        return Optional.ofNullable(sourceSessionId);
    }

    /** @return {@code target_session_id}, if any */
    public Optional<String> targetSessionId() {
        return Optional.ofNullable(targetSessionId);
    }

    /** @return {@code delegation_path}: edge IDs, empty when absent */
    public List<String> delegationPath() {
        return delegationPath;
    }

    /** @return {@code delegation_chain}, empty when absent */
    public List<ChainHop> delegationChain() {
        return delegationChain;
    }

    /** @return {@code hop_count}, 0 when absent */
    public int hopCount() {
        return hopCount;
    }

    /** @return {@code delegation_graph_epoch}, empty when absent (the legacy {@code graph_epoch} is ignored) */
    public OptionalLong delegationGraphEpoch() {
        return delegationGraphEpoch < 0 ? OptionalLong.empty() : OptionalLong.of(delegationGraphEpoch);
    }

    /**
     * @return the revocable anchors in the order {@code sid}, {@code root_sid},
     *         {@code agent_session_id}, {@code delegation_edge_id}, absent ones left out, duplicates
     *         removed (first kept)
     */
    public List<String> anchors() {
        return anchors;
    }

    /**
     * @return the full payload as parsed: unmodifiable maps and lists, {@code String}, {@code Long}
     *         (or {@code BigInteger}), {@code BigDecimal} for numbers with a fraction or exponent,
     *         {@code Boolean} and {@code null}
     */
    public Map<String, Object> raw() {
        return raw;
    }

    long expiresAtEpochSecond() {
        return expiresAt;
    }

    long issuedAtEpochSecond() {
        return issuedAt;
    }

    BigDecimal notBeforeSeconds() {
        return notBefore;
    }

    String agentSessionIdOrNull() {
        return agentSessionId;
    }

    String delegationEdgeIdOrNull() {
        return delegationEdgeId;
    }

    long delegationGraphEpochOrMinusOne() {
        return delegationGraphEpoch;
    }

    /** @return {@code Claims[sub=…, zoneId=…, clientId=…, sid=…, use=…]} */
    @Override
    public String toString() {
        return "Claims[sub=" + sub + ", zoneId=" + zoneId + ", clientId=" + clientId + ", sid=" + sid + ", use=" + use + "]";
    }

    private static List<String> anchorsOf(String... candidates) {
        Set<String> unique = new LinkedHashSet<>(4);
        for (String anchor : candidates) {
            if (anchor != null) {
                unique.add(anchor);
            }
        }
        return List.copyOf(unique);
    }

    /** Filled in by {@link ClaimsParser}; not part of the public API. */
    static final class Builder {
        String issuer;
        List<String> audience;
        String sub;
        long expiresAt;
        long issuedAt;
        BigDecimal notBefore;
        String jti;
        String zoneId;
        String clientId;
        String sid;
        String rootSid;
        String use;
        String subType;
        String scope;
        List<String> targets;
        String agentSessionId;
        String delegationEdgeId;
        String sourceSessionId;
        String targetSessionId;
        List<String> delegationPath;
        List<ChainHop> delegationChain;
        int hopCount;
        long delegationGraphEpoch = -1;
        Map<String, Object> raw;

        Claims build() {
            return new Claims(this);
        }
    }
}
