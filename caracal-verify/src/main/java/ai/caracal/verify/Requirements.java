package ai.caracal.verify;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-route or per-tool demands on a mandate. Each field is either unset or set.
 *
 * <ul>
 *   <li>In {@link MandateVerifier#require(Requirements)} (and the per-call
 *       {@code authenticate(token, requirements)}), set lists and {@code requiredUse} <b>replace</b> the
 *       verifier's defaults (a set empty list clears them), {@code requireAgent} and
 *       {@code requireDelegation} can only tighten, and {@code maxHopCount} replaces the default when
 *       positive.</li>
 *   <li>In {@link #check(Claims)}, used by annotations and tool guards on top of an already verified
 *       mandate, each set field is checked on its own.</li>
 * </ul>
 *
 * <p>Issuer, audience, zone, revocation store, clock and key cache are fixed per verifier and cannot
 * be overridden here. Immutable and thread-safe.
 */
public final class Requirements {

    /** No demands at all. */
    public static final Requirements NONE = builder().build();

    private final List<String> requiredScopes;
    private final List<String> requiredTargets;
    private final boolean requireAgent;
    private final boolean requireDelegation;
    private final List<String> requireChainContains;
    private final int maxHopCount;
    private final Builder.Use requiredUse;

    private Requirements(Builder b) {
        this.requiredScopes = b.requiredScopes;
        this.requiredTargets = b.requiredTargets;
        this.requireAgent = b.requireAgent;
        this.requireDelegation = b.requireDelegation;
        this.requireChainContains = b.requireChainContains;
        this.maxHopCount = b.maxHopCount;
        this.requiredUse = b.requiredUse;
    }

    /** @return a builder with every field unset */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the scopes that must all be granted, if set */
    public Optional<List<String>> requiredScopes() {
        return Optional.ofNullable(requiredScopes);
    }

    /** @return the targets that must all be in {@code target}, if set */
    public Optional<List<String>> requiredTargets() {
        return Optional.ofNullable(requiredTargets);
    }

    /** @return whether an agent session is demanded */
    public boolean requireAgent() {
        return requireAgent;
    }

    /** @return whether a delegation edge is demanded */
    public boolean requireDelegation() {
        return requireDelegation;
    }

    /** @return the application IDs that must all appear in {@code delegation_chain}, if set */
    public Optional<List<String>> requireChainContains() {
        return Optional.ofNullable(requireChainContains);
    }

    /** @return the hop limit, or 0 when unset */
    public int maxHopCount() {
        return maxHopCount;
    }

    /** @return the required {@code use} class, if set */
    public Optional<String> requiredUse() {
        return requiredUse == null ? Optional.empty() : Optional.of(requiredUse.wire());
    }

    /** @return the required {@code use} class, or {@code null} when unset */
    Builder.Use useOrNull() {
        return requiredUse;
    }

    /**
     * Checks already verified claims against the set fields only, in the canonical order ({@code use},
     * then targets, scopes, agent, delegation, chain, hop count). Never touches the JWKS or the
     * revocation store.
     *
     * @param claims verified claims; never {@code null}
     * @return the first failure, or empty when every set demand is met
     */
    public Optional<AuthError> check(Claims claims) {
        return check(claims, ScopeHierarchy.NONE);
    }

    /**
     * {@link #check(Claims)} with a scope hierarchy: a demanded scope is also met by a granted scope
     * that implies it (connectors.md §10.2 M11).
     *
     * @param claims    verified claims; never {@code null}
     * @param hierarchy for example the verifier's {@link VerifierOptions#scopeHierarchy()}; never {@code null}
     * @return the first failure, or empty when every set demand is met
     */
    public Optional<AuthError> check(Claims claims, ScopeHierarchy hierarchy) {
        Demands demands = Demands.none(Objects.requireNonNull(hierarchy, "hierarchy")).with(this);
        if (!demands.useMatches(claims)) {
            return Optional.of(AuthError.of(ErrorCode.INVALID_TOKEN));
        }
        AuthResult unmet = demands.firstUnmet(claims);
        return unmet == null ? Optional.empty() : Optional.of(unmet.error());
    }

    @Override
    public String toString() {
        return "Requirements[scopes=" + requiredScopes + ", targets=" + requiredTargets + ", agent=" + requireAgent
                + ", delegation=" + requireDelegation + ", chain=" + requireChainContains + ", maxHopCount=" + maxHopCount
                + ", use=" + (requiredUse == null ? null : requiredUse.wire()) + "]";
    }

    /**
     * Builder for {@link Requirements}. Setters reject {@code null}. Not thread-safe. The verifier
     * builders hold one for their requirement options, so both accept exactly the same values.
     */
    public static final class Builder {

        /** The {@code use} classes a resource server may require; {@code gateway} is never one of them. */
        enum Use {
            RESOURCE("resource"),
            SESSION("session");

            private final String wire;

            Use(String wire) {
                this.wire = wire;
            }

            /** @return the {@code use} claim value */
            String wire() {
                return wire;
            }

            /**
             * @throws NullPointerException     naming the option when {@code use} is null
             * @throws IllegalArgumentException unless {@code use} is exactly {@code resource} or {@code session}
             */
            static Use of(String use) {
                Objects.requireNonNull(use, "requiredUse");
                for (Use candidate : values()) {
                    if (candidate.wire.equals(use)) {
                        return candidate;
                    }
                }
                throw new IllegalArgumentException("requiredUse must be \"resource\" or \"session\"");
            }
        }

        private List<String> requiredScopes;
        private List<String> requiredTargets;
        private boolean requireAgent;
        private boolean requireDelegation;
        private List<String> requireChainContains;
        private int maxHopCount;
        private Use requiredUse;

        private Builder() {
        }

        /**
         * @param scopes scopes that must all be granted (exact, case-sensitive); none clears the default
         * @return this builder
         */
        public Builder requiredScopes(String... scopes) {
            return requiredScopes(Arrays.asList(notNull(scopes, "requiredScopes")));
        }

        /**
         * @param scopes scopes that must all be granted (exact, case-sensitive); empty clears the default
         * @return this builder
         */
        public Builder requiredScopes(Collection<String> scopes) {
            this.requiredScopes = Demands.names("requiredScopes", scopes);
            return this;
        }

        /**
         * @param targets resources that must all be in the mandate's {@code target}
         * @return this builder
         */
        public Builder requiredTargets(String... targets) {
            return requiredTargets(Arrays.asList(notNull(targets, "requiredTargets")));
        }

        /**
         * @param targets resources that must all be in the mandate's {@code target}
         * @return this builder
         */
        public Builder requiredTargets(Collection<String> targets) {
            this.requiredTargets = Demands.names("requiredTargets", targets);
            return this;
        }

        /**
         * @param requireAgent whether {@code agent_session_id} must be present (only {@code true} has an
         *                     effect in {@code require()})
         * @return this builder
         */
        public Builder requireAgent(boolean requireAgent) {
            this.requireAgent = requireAgent;
            return this;
        }

        /**
         * @param requireDelegation whether {@code delegation_edge_id} must be present (only {@code true}
         *                          has an effect in {@code require()})
         * @return this builder
         */
        public Builder requireDelegation(boolean requireDelegation) {
            this.requireDelegation = requireDelegation;
            return this;
        }

        /**
         * @param applicationIds IDs that must each equal some {@code delegation_chain[i].application_id}
         * @return this builder
         */
        public Builder requireChainContains(String... applicationIds) {
            return requireChainContains(Arrays.asList(notNull(applicationIds, "requireChainContains")));
        }

        /**
         * @param applicationIds IDs that must each equal some {@code delegation_chain[i].application_id}
         * @return this builder
         */
        public Builder requireChainContains(Collection<String> applicationIds) {
            this.requireChainContains = Demands.names("requireChainContains", applicationIds);
            return this;
        }

        /**
         * @param maxHopCount the largest accepted {@code hop_count}; a value ≤ 0 leaves it unset
         * @return this builder
         */
        public Builder maxHopCount(int maxHopCount) {
            this.maxHopCount = Math.max(0, maxHopCount);
            return this;
        }

        /**
         * @param requiredUse {@code resource} or {@code session}
         * @return this builder
         */
        public Builder requiredUse(String requiredUse) {
            this.requiredUse = Use.of(requiredUse);
            return this;
        }

        /** @return the requirements */
        public Requirements build() {
            return new Requirements(this);
        }

        private static String[] notNull(String[] values, String option) {
            return Objects.requireNonNull(values, option);
        }
    }
}
