package ai.caracal.verify;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * An effective set of per-request demands: the {@code use} class (check order step 11) and steps
 * 15–20 (targets, scopes, agent, delegation, chain, hop count). A verifier holds one with every field
 * decided; {@link Requirements#check(Claims)} builds one from its set fields only. Immutable.
 */
final class Demands {

    /** Hop limit that a verifier uses when none (or a value ≤ 0) is configured. */
    static final int DEFAULT_MAX_HOP_COUNT = 10;

    /** A required target is missing: {@code invalid_token} on the wire (verification.md §6), a requirement cause. */
    private static final AuthResult TARGET_MISSING =
            AuthResult.failure(AuthError.of(ErrorCode.INVALID_TOKEN), Cause.REQUIREMENT);
    private static final AuthResult AGENT_REQUIRED = AuthResult.failure(AuthError.of(ErrorCode.AGENT_REQUIRED));
    private static final AuthResult DELEGATION_REQUIRED = AuthResult.failure(AuthError.of(ErrorCode.DELEGATION_REQUIRED));
    private static final AuthResult HOP_COUNT_EXCEEDED = AuthResult.failure(AuthError.of(ErrorCode.HOP_COUNT_EXCEEDED));

    final Requirements.Builder.Use use;
    final List<String> targets;
    final List<String> scopes;
    final boolean agent;
    final boolean delegation;
    final List<String> chain;
    final int maxHops;
    final ScopeHierarchy hierarchy;

    /**
     * @param use       required {@code use}, or {@code null} for no check
     * @param maxHops   hop limit, or 0 for no check
     * @param hierarchy how granted scopes imply others ({@link ScopeHierarchy#NONE}: exact matching)
     */
    Demands(Requirements.Builder.Use use, List<String> targets, List<String> scopes, boolean agent, boolean delegation,
            List<String> chain, int maxHops, ScopeHierarchy hierarchy) {
        this.use = use;
        this.targets = targets;
        this.scopes = scopes;
        this.agent = agent;
        this.delegation = delegation;
        this.chain = chain;
        this.maxHops = maxHops;
        this.hierarchy = hierarchy;
    }

    /**
     * @param hierarchy how granted scopes imply others
     * @return a verifier's demands before any option is set: {@code use} must be {@code resource}, the
     *         hop limit is {@link #DEFAULT_MAX_HOP_COUNT}, nothing else is demanded
     */
    static Demands verifierDefaults(ScopeHierarchy hierarchy) {
        return new Demands(Requirements.Builder.Use.RESOURCE, List.of(), List.of(), false, false, List.of(),
                DEFAULT_MAX_HOP_COUNT, hierarchy);
    }

    /**
     * @param hierarchy how granted scopes imply others
     * @return no demands at all (no {@code use} check, no hop limit), for {@link Requirements#check}
     */
    static Demands none(ScopeHierarchy hierarchy) {
        return new Demands(null, List.of(), List.of(), false, false, List.of(), 0, hierarchy);
    }

    /**
     * Merges overrides onto these demands: lists and {@code use} are replaced when set, the two flags
     * can only tighten, and the hop limit is replaced when positive. The scope hierarchy stays.
     */
    Demands with(Requirements overrides) {
        if (overrides == null) {
            return this;
        }
        return new Demands(
                overrides.useOrNull() != null ? overrides.useOrNull() : use,
                overrides.requiredTargets().orElse(targets),
                overrides.requiredScopes().orElse(scopes),
                agent || overrides.requireAgent(),
                delegation || overrides.requireDelegation(),
                overrides.requireChainContains().orElse(chain),
                overrides.maxHopCount() > 0 ? overrides.maxHopCount() : maxHops,
                hierarchy);
    }

    /** @return whether the {@code use} check (step 11) passes */
    boolean useMatches(Claims claims) {
        return use == null || use.wire().equals(claims.use());
    }

    /**
     * Steps 15–20 in order.
     *
     * @return the first failure, or {@code null} when every demand is met
     */
    AuthResult firstUnmet(Claims claims) {
        List<String> granted = claims.targets();
        for (int i = 0; i < targets.size(); i++) {
            if (!granted.contains(targets.get(i))) {
                return TARGET_MISSING;
            }
        }
        for (int i = 0; i < scopes.size(); i++) {
            if (!hierarchy.grants(claims.scopes(), scopes.get(i))) {
                return AuthResult.failure(AuthError.insufficientScope(scopes.get(i)));
            }
        }
        if (agent && claims.agentSessionIdOrNull() == null) {
            return AGENT_REQUIRED;
        }
        if (delegation && claims.delegationEdgeIdOrNull() == null) {
            return DELEGATION_REQUIRED;
        }
        for (int i = 0; i < chain.size(); i++) {
            if (!inChain(claims, chain.get(i))) {
                return AuthResult.failure(AuthError.chainMismatch(chain.get(i)));
            }
        }
        if (maxHops > 0 && claims.hopCount() > maxHops) {
            return HOP_COUNT_EXCEEDED;
        }
        return null;
    }

    private static boolean inChain(Claims claims, String applicationId) {
        List<ChainHop> hops = claims.delegationChain();
        for (int i = 0; i < hops.size(); i++) {
            if (hops.get(i).applicationId().equals(applicationId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return an immutable copy of configured names (scopes, targets, application IDs)
     * @throws NullPointerException     naming the option when the collection or an entry is null
     * @throws IllegalArgumentException naming the option when an entry is blank
     */
    static List<String> names(String option, Collection<String> values) {
        Objects.requireNonNull(values, option);
        for (String value : values) {
            Objects.requireNonNull(value, () -> option + " must not contain null");
            if (value.isBlank()) {
                throw new IllegalArgumentException(option + " must not contain blank entries");
            }
        }
        return List.copyOf(values);
    }
}
