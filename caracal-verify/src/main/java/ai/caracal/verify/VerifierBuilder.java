package ai.caracal.verify;

import ai.caracal.revocation.RevocationStore;
import java.security.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The options shared by {@link MandateVerifier.Builder} and {@link CaracalAuth.Builder}. Setters
 * reject {@code null} with a {@link NullPointerException} naming the option (except
 * {@code zoneId(null)}, which means "no zone"); {@link #options()} validates the combination.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class VerifierBuilder<B extends VerifierBuilder<B>> {

    private static final Logger log = LoggerFactory.getLogger(MandateVerifier.class);

    private String issuer;
    private String audience;
    private String zoneId;
    /** The requirement options, merged onto {@link Demands#verifierDefaults} by {@link #options()}. */
    private final Requirements.Builder requirements = Requirements.builder();
    private ScopeHierarchy scopeHierarchy = ScopeHierarchy.NONE;
    private RevocationStore revocations;
    private Clock clock = Clock.systemUTC();
    private JwksCache jwksCache;
    private final List<Consumer<Claims>> onVerified = new ArrayList<>();
    private final List<VerificationListener> listeners = new ArrayList<>();
    private CaracalObservation observation;
    private boolean verifiedTokenCache = true;
    private final JwksCache.Builder privateCache = JwksCache.builder();
    private boolean privateCacheWanted;

    VerifierBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * @param issuer the STS base URL: {@code https://}, or {@code http://} on a loopback host; also the
     *               exact {@code iss} value
     * @return this builder
     */
    public B issuer(String issuer) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        return self();
    }

    /**
     * @param audience the value {@code aud} must contain, for example {@code resource://documents}
     * @return this builder
     */
    public B audience(String audience) {
        this.audience = Objects.requireNonNull(audience, "audience");
        return self();
    }

    /**
     * @param zoneId the zone {@code zone_id} must equal, also used in the JWKS URL; {@code null} means
     *               no zone (accept any zone, use the zone-less JWKS URL)
     * @return this builder
     */
    public B zoneId(String zoneId) {
        this.zoneId = zoneId;
        return self();
    }

    /**
     * @param scopes scopes that must all be granted (exact, case-sensitive)
     * @return this builder
     */
    public B requiredScopes(String... scopes) {
        requirements.requiredScopes(scopes);
        return self();
    }

    /**
     * @param scopes scopes that must all be granted (exact, case-sensitive)
     * @return this builder
     */
    public B requiredScopes(Collection<String> scopes) {
        requirements.requiredScopes(scopes);
        return self();
    }

    /**
     * @param targets resources that must all be in the mandate's {@code target}
     * @return this builder
     */
    public B requiredTargets(String... targets) {
        requirements.requiredTargets(targets);
        return self();
    }

    /**
     * @param targets resources that must all be in the mandate's {@code target}
     * @return this builder
     */
    public B requiredTargets(Collection<String> targets) {
        requirements.requiredTargets(targets);
        return self();
    }

    /**
     * @param requireAgent whether {@code agent_session_id} must be present
     * @return this builder
     */
    public B requireAgent(boolean requireAgent) {
        requirements.requireAgent(requireAgent);
        return self();
    }

    /**
     * @param requireDelegation whether {@code delegation_edge_id} must be present
     * @return this builder
     */
    public B requireDelegation(boolean requireDelegation) {
        requirements.requireDelegation(requireDelegation);
        return self();
    }

    /**
     * @param applicationIds IDs that must each equal some {@code delegation_chain[i].application_id}
     *                       ({@code client_id} does not count)
     * @return this builder
     */
    public B requireChainContains(String... applicationIds) {
        requirements.requireChainContains(applicationIds);
        return self();
    }

    /**
     * @param applicationIds IDs that must each equal some {@code delegation_chain[i].application_id}
     * @return this builder
     */
    public B requireChainContains(Collection<String> applicationIds) {
        requirements.requireChainContains(applicationIds);
        return self();
    }

    /**
     * @param maxHopCount the largest accepted {@code hop_count}; a value ≤ 0 means the default, 10
     * @return this builder
     */
    public B maxHopCount(int maxHopCount) {
        requirements.maxHopCount(maxHopCount);
        return self();
    }

    /**
     * @param requiredUse {@code resource} (default) or {@code session}; {@code gateway} is never accepted
     * @return this builder
     */
    public B requiredUse(String requiredUse) {
        requirements.requiredUse(requiredUse);
        return self();
    }

    /**
     * @param scopeHierarchy how a granted scope implies narrower ones (connectors.md §10.2 M11), for every
     *                       scope check of this verifier and of those {@code require(...)} derives from it;
     *                       default {@link ScopeHierarchy#NONE} (exact matching)
     * @return this builder
     */
    public B scopeHierarchy(ScopeHierarchy scopeHierarchy) {
        this.scopeHierarchy = Objects.requireNonNull(scopeHierarchy, "scopeHierarchy");
        return self();
    }

    /**
     * @param revocations the store consulted once per mandate (required; in-memory for development,
     *                    Redis in production). The verifier never closes it.
     * @return this builder
     */
    public B revocations(RevocationStore revocations) {
        this.revocations = Objects.requireNonNull(revocations, "revocations");
        return self();
    }

    /**
     * @param clock the clock for {@code exp}, {@code nbf} and {@code iat} (and for a private key cache)
     * @return this builder
     */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * @param jwksCache the key set cache to use instead of {@link JwksCache#shared()}
     * @return this builder
     */
    public B jwksCache(JwksCache jwksCache) {
        this.jwksCache = Objects.requireNonNull(jwksCache, "jwksCache");
        return self();
    }

    /**
     * Shortcut: gives this verifier a private key cache with this freshness (default 5 min).
     *
     * @param ttl positive
     * @return this builder
     */
    public B jwksTtl(Duration ttl) {
        privateCache.ttl(ttl);
        privateCacheWanted = true;
        return self();
    }

    /**
     * Shortcut: gives this verifier a private key cache with this stale limit (default 10 min).
     *
     * @param maxStale at least the TTL
     * @return this builder
     */
    public B jwksMaxStale(Duration maxStale) {
        privateCache.maxStale(maxStale);
        privateCacheWanted = true;
        return self();
    }

    /**
     * Shortcut: gives this verifier a private key cache with this fetch deadline (default 5 s).
     *
     * @param fetchTimeout positive
     * @return this builder
     */
    public B jwksFetchTimeout(Duration fetchTimeout) {
        privateCache.fetchTimeout(fetchTimeout);
        privateCacheWanted = true;
        return self();
    }

    /**
     * Shortcut: gives this verifier a private key cache with this refetch cooldown (default 30 s).
     *
     * @param cooldown zero or positive
     * @return this builder
     */
    public B jwksRefetchCooldown(Duration cooldown) {
        privateCache.refetchCooldown(cooldown);
        privateCacheWanted = true;
        return self();
    }

    /**
     * Shortcut: gives this verifier a private key cache with this body limit (default 262 144 bytes).
     *
     * @param maxBytes positive
     * @return this builder
     */
    public B jwksMaxBytes(int maxBytes) {
        privateCache.maxBytes(maxBytes);
        privateCacheWanted = true;
        return self();
    }

    /**
     * Shortcut: gives this verifier a private key cache whose key sets are fetched by {@code fetcher}
     * (your own HTTP client: proxy, private CA, mutual TLS). By default the JDK {@code HttpClient}.
     *
     * @param fetcher a non-blocking fetcher, see {@link JwksFetcher}
     * @return this builder
     */
    public B jwksFetcher(JwksFetcher fetcher) {
        privateCache.fetcher(fetcher);
        privateCacheWanted = true;
        return self();
    }

    /**
     * Shortcut: gives this verifier a private key cache that verifies every signature with this plain
     * provider (used by instance, never registered globally; no precomputed key tables). By default the
     * way signatures are checked is chosen once per process (see {@code caracal.crypto.provider}).
     *
     * @param provider a JCA provider implementing {@code SHA256withECDSA}
     * @return this builder
     */
    public B signatureProvider(Provider provider) {
        privateCache.signatureProvider(provider);
        privateCacheWanted = true;
        return self();
    }

    /**
     * Adds a listener called after each successful verification, in registration order. A listener
     * that throws is logged at WARN and never changes the result.
     *
     * @param listener the listener
     * @return this builder
     */
    public B onVerified(Consumer<Claims> listener) {
        onVerified.add(Objects.requireNonNull(listener, "onVerified"));
        return self();
    }

    /**
     * Adds an observer of every outcome of this verifier (and of the key set fetches of a private key
     * cache created by the {@code jwks*} shortcuts), for metrics. Zero cost when none is added.
     *
     * @param listener the listener
     * @return this builder
     */
    public B listener(VerificationListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return self();
    }

    /**
     * Records spans for each verification, the key set fetches it starts and its revocation-store check
     * through Micrometer Observation (see {@link CaracalObservation} for names and keys). Off by default;
     * a misbehaving registry never changes a result.
     *
     * @param observation made with {@link CaracalObservation#of}
     * @return this builder
     */
    public B observation(CaracalObservation observation) {
        this.observation = Objects.requireNonNull(observation, "observation");
        return self();
    }

    /**
     * @param enabled whether a repeated token may skip parsing and the signature check (default
     *                {@code true}); expiry, requirements, revocation and the epoch are always checked
     * @return this builder
     */
    public B verifiedTokenCache(boolean enabled) {
        this.verifiedTokenCache = enabled;
        return self();
    }

    /**
     * Validates the options: issuer, audience and the revocation store first, in that order.
     *
     * @throws IllegalArgumentException naming what to set or fix
     * @throws NullPointerException     when no revocation store is set
     */
    VerifierOptions options() {
        String validIssuer = IssuerUrl.validate(issuer);
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("audience is required (set audience(...) to this resource server's identifier)");
        }
        Objects.requireNonNull(revocations, "Caracal revocation store missing: set revocations");
        if (zoneId != null && zoneId.isBlank()) {
            throw new IllegalArgumentException("zoneId must not be blank (use zoneId(null) for no zone)");
        }
        if (jwksCache != null && privateCacheWanted) {
            throw new IllegalArgumentException("set either jwksCache(...) or the jwks*/signatureProvider shortcuts, not both");
        }
        if (privateCacheWanted) {
            listeners.forEach(privateCache::listener);
        }
        JwksCache cache = jwksCache != null ? jwksCache
                : privateCacheWanted ? privateCache.clock(clock).build()
                : JwksCache.shared();
        if (zoneId == null) {
            log.warn("No zoneId configured for issuer {} (set CARACAL_ZONE_ID): mandates from every zone are accepted and"
                    + " the zone-less JWKS URL is used, which a Caracal STS refuses (400), so every mandate is then rejected",
                    validIssuer);
        }
        Demands demands = Demands.verifierDefaults(scopeHierarchy).with(requirements.build());
        return new VerifierOptions(validIssuer, audience, zoneId, demands, revocations, clock, cache, onVerified,
                listeners, verifiedTokenCache, observation == null ? Tracing.NONE : observation.tracing());
    }
}
