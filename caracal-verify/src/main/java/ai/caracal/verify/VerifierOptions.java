package ai.caracal.verify;

import ai.caracal.revocation.RevocationStore;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The validated, immutable configuration of a {@link MandateVerifier}, as returned by
 * {@link MandateVerifier#options()}. For a verifier made by {@code require(...)}, the requirement
 * fields show the merged values.
 */
public final class VerifierOptions {

    private final String issuer;
    private final String audience;
    private final String zoneId;
    private final URI jwksUri;
    private final Demands demands;
    private final RevocationStore revocations;
    private final Clock clock;
    private final JwksCache jwksCache;
    private final List<Consumer<Claims>> onVerified;
    private final List<VerificationListener> listeners;
    private final boolean verifiedTokenCache;
    private final Tracing tracing;

    VerifierOptions(String issuer, String audience, String zoneId, Demands demands, RevocationStore revocations,
                    Clock clock, JwksCache jwksCache, List<Consumer<Claims>> onVerified,
                    List<VerificationListener> listeners, boolean verifiedTokenCache, Tracing tracing) {
        this.issuer = issuer;
        this.audience = audience;
        this.zoneId = zoneId;
        this.jwksUri = IssuerUrl.jwksUri(issuer, zoneId);
        this.demands = demands;
        this.revocations = revocations;
        this.clock = clock;
        this.jwksCache = jwksCache;
        this.onVerified = List.copyOf(onVerified);
        this.listeners = List.copyOf(listeners);
        this.verifiedTokenCache = verifiedTokenCache;
        this.tracing = tracing;
    }

    VerifierOptions withDemands(Demands merged) {
        return new VerifierOptions(issuer, audience, zoneId, merged, revocations, clock, jwksCache, onVerified,
                listeners, verifiedTokenCache, tracing);
    }

    /** @return where spans go; {@link Tracing#NONE} unless an observation was configured */
    Tracing tracing() {
        return tracing;
    }

    /** @return the issuer exactly as configured; {@code iss} must equal it */
    public String issuer() {
        return issuer;
    }

    /** @return the audience that {@code aud} must contain */
    public String audience() {
        return audience;
    }

    /** @return the zone that {@code zone_id} must equal, or empty when none is configured */
    public Optional<String> zoneId() {
        return Optional.ofNullable(zoneId);
    }

    /** @return the JWKS URL of the configured issuer and zone */
    public URI jwksUri() {
        return jwksUri;
    }

    /** @return scopes that must all be granted */
    public List<String> requiredScopes() {
        return demands.scopes;
    }

    /** @return how granted scopes imply narrower ones; {@link ScopeHierarchy#NONE} for exact matching */
    public ScopeHierarchy scopeHierarchy() {
        return demands.hierarchy;
    }

    /** @return resources that must all be in {@code target} */
    public List<String> requiredTargets() {
        return demands.targets;
    }

    /** @return whether {@code agent_session_id} must be present */
    public boolean requireAgent() {
        return demands.agent;
    }

    /** @return whether {@code delegation_edge_id} must be present */
    public boolean requireDelegation() {
        return demands.delegation;
    }

    /** @return application IDs that must all appear in {@code delegation_chain} */
    public List<String> requireChainContains() {
        return demands.chain;
    }

    /** @return the effective hop limit (10 unless configured) */
    public int maxHopCount() {
        return demands.maxHops;
    }

    /** @return the required {@code use} class: {@code resource} or {@code session} */
    public String requiredUse() {
        return demands.use.wire();
    }

    /** @return the revocation store consulted for every mandate that passes all other checks */
    public RevocationStore revocations() {
        return revocations;
    }

    /** @return the clock for {@code exp}, {@code nbf} and {@code iat} */
    public Clock clock() {
        return clock;
    }

    /** @return the key set cache */
    public JwksCache jwksCache() {
        return jwksCache;
    }

    /** @return whether repeated tokens skip parsing and the signature check */
    public boolean verifiedTokenCache() {
        return verifiedTokenCache;
    }

    Demands demands() {
        return demands;
    }

    List<Consumer<Claims>> onVerified() {
        return onVerified;
    }

    /** @return the listeners that observe this verifier's outcomes, in registration order */
    public List<VerificationListener> listeners() {
        return listeners;
    }
}
