package ai.caracal.verify;

import java.net.URI;
import java.security.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Caches the public key sets of issuers, one {@code KeySource} per (issuer, zone) JWKS URL, with the
 * fetch and refresh rules of the specification: a fresh set is used for {@code ttl} (5 min); until
 * {@code maxStale} (10 min) a stale set is still used while one background refresh runs; an unknown
 * {@code kid} triggers one coalesced refetch at most once per {@code refetchCooldown} (30 s); after a
 * failed fetch the next one waits for the failure back-off (250 ms, doubling to 5 s, reset by a
 * success), and calls that need it meanwhile fail at once; concurrent callers share every fetch. Keys
 * come only from the URL of the configured issuer and zone, never from anything in a token.
 *
 * <p>Three parts, as in Nimbus's key sources: the settings are one immutable policy fixed by the
 * {@link Builder}; each key source answers a lookup as found, unknown {@code kid} or unavailable in one
 * call, complete at once when memory suffices; and the bytes come from a pluggable {@link JwksFetcher}
 * (by default the JDK {@code HttpClient}), so a proxy, a private CA or mutual TLS needs no JVM-wide
 * settings. Blocking and asynchronous verification share the same sources and fetches.
 *
 * <p>{@link #shared()} is used by every verifier that is not given another cache. A cache owns no
 * threads and no connections of its own (the default fetcher runs on a process-wide daemon executor,
 * {@code caracal-jwks-*}; a fetcher you supply stays yours), so it needs no closing. Thread-safe.
 */
public final class JwksCache {

    /** Default time a fetched set is fresh: 5 min. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    /** Default age after which a set is no longer used: 10 min. */
    public static final Duration DEFAULT_MAX_STALE = Duration.ofMinutes(10);
    /** Default deadline of one fetch, connect and body included: 5 s. */
    public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(5);
    /** Default minimum spacing of background refreshes and unknown-kid refetches: 30 s. */
    public static final Duration DEFAULT_REFETCH_COOLDOWN = Duration.ofSeconds(30);
    /** Default largest JWKS body accepted: 256 KiB. */
    public static final int DEFAULT_MAX_BYTES = 262_144;
    /** Default hold-back after a failed fetch: 250 ms, doubling with each further failure. */
    public static final Duration DEFAULT_FAILURE_BACKOFF = Duration.ofMillis(250);
    /** Default longest hold-back after repeated failed fetches: 5 s. */
    public static final Duration DEFAULT_MAX_FAILURE_BACKOFF = Duration.ofSeconds(5);

    private static final class SharedHolder {
        static final JwksCache SHARED = builder().build();
    }

    private final ConcurrentMap<URI, KeySource> sources = new ConcurrentHashMap<>();
    private final JwksPolicy policy;

    private JwksCache(JwksPolicy policy) {
        this.policy = policy;
    }

    /** @return the process-wide cache with the default settings */
    public static JwksCache shared() {
        return SharedHolder.SHARED;
    }

    /** @return a builder for a cache with its own entries and settings */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks only the signature of a token against the key set of an issuer and zone, through this
     * cache. For inspection tools: a valid signature says nothing about claims, lifetime or revocation.
     *
     * @param issuer the issuer base URL (validated as for a verifier)
     * @param zoneId the zone, or {@code null} for the zone-less JWKS URL
     * @param token  a compact JWS; never {@code null}
     * @return whether the signature verified, and why not
     * @throws JwksUnavailableException when no usable key set can be fetched
     * @throws IllegalArgumentException when the issuer is not an acceptable URL
     */
    public SignatureCheck checkSignature(String issuer, String zoneId, String token) {
        Objects.requireNonNull(token, "token");
        URI jwksUri = IssuerUrl.jwksUri(IssuerUrl.validate(issuer), zoneId);
        CompactJws jws;
        try {
            jws = CompactJws.parse(token);
        } catch (InvalidMandate e) {
            return SignatureCheck.invalid(null, e.reason());
        }
        KeySource source = source(jwksUri);
        KeyLookup lookup = source.lookupBlocking(jws.kid());
        if (lookup == KeyLookup.Missing.UNAVAILABLE) {
            throw new JwksUnavailableException(source.unavailable());
        }
        if (!(lookup instanceof VerificationKey key)) {
            return SignatureCheck.invalid(jws.kid(), "kid-unknown");
        }
        return key.verify(jws.bytes(), jws.signingInputLength(), jws.signature())
                ? SignatureCheck.valid(jws.kid())
                : SignatureCheck.invalid(jws.kid(), "bad-signature");
    }

    KeySource source(URI jwksUri) {
        return sources.computeIfAbsent(jwksUri, uri -> new KeySource(uri, policy));
    }

    /** Builder for {@link JwksCache}. Not thread-safe; the cache it builds is. */
    public static final class Builder {

        private Duration ttl = DEFAULT_TTL;
        private Duration maxStale = DEFAULT_MAX_STALE;
        private Duration fetchTimeout = DEFAULT_FETCH_TIMEOUT;
        private Duration refetchCooldown = DEFAULT_REFETCH_COOLDOWN;
        private int maxBytes = DEFAULT_MAX_BYTES;
        private Clock clock = Clock.systemUTC();
        private Provider signatureProvider;
        private SignatureEngine engine;
        private JwksFetcher fetcher = JwksFetcher.defaults();
        private Duration failureBackoff = DEFAULT_FAILURE_BACKOFF;
        private Duration maxFailureBackoff = DEFAULT_MAX_FAILURE_BACKOFF;
        private final List<VerificationListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param listener observes this cache's key set fetches ({@link VerificationListener#jwksFetched})
         * @return this builder
         */
        public Builder listener(VerificationListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param ttl how long a fetched set is fresh; positive
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            this.ttl = positive(ttl, "jwksTtl");
            return this;
        }

        /**
         * @param maxStale age after which a set is no longer used; at least {@code ttl}
         * @return this builder
         */
        public Builder maxStale(Duration maxStale) {
            this.maxStale = positive(maxStale, "jwksMaxStale");
            return this;
        }

        /**
         * @param fetchTimeout deadline of one fetch, connect and body included; positive
         * @return this builder
         */
        public Builder fetchTimeout(Duration fetchTimeout) {
            this.fetchTimeout = positive(fetchTimeout, "jwksFetchTimeout");
            return this;
        }

        /**
         * @param refetchCooldown minimum spacing of background refreshes and unknown-kid refetches; zero
         *                        or positive
         * @return this builder
         */
        public Builder refetchCooldown(Duration refetchCooldown) {
            Objects.requireNonNull(refetchCooldown, "jwksRefetchCooldown");
            if (refetchCooldown.isNegative()) {
                throw new IllegalArgumentException("jwksRefetchCooldown must not be negative");
            }
            this.refetchCooldown = refetchCooldown;
            return this;
        }

        /**
         * @param maxBytes largest JWKS body accepted, in bytes; positive
         * @return this builder
         */
        public Builder maxBytes(int maxBytes) {
            if (maxBytes <= 0) {
                throw new IllegalArgumentException("jwksMaxBytes must be positive");
            }
            this.maxBytes = maxBytes;
            return this;
        }

        /**
         * @param clock the clock that measures key set ages and cooldowns
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param provider the JCA provider that verifies every signature, used by instance and never
         *                 registered globally, with no precomputed tables; by default the process-wide
         *                 automatic choice (see {@code caracal.crypto.provider})
         * @return this builder
         */
        public Builder signatureProvider(Provider provider) {
            this.signatureProvider = Objects.requireNonNull(provider, "signatureProvider");
            return this;
        }

        /** Sets the engine itself (benchmarks compare engines whatever the class path holds). */
        Builder engine(SignatureEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * @param fetcher moves the bytes of each fetch (your own HTTP client, proxy, TLS settings); by
         *                default {@link JwksFetcher#defaults()}. It must not block the calling thread.
         * @return this builder
         */
        public Builder fetcher(JwksFetcher fetcher) {
            this.fetcher = Objects.requireNonNull(fetcher, "jwksFetcher");
            return this;
        }

        /**
         * @param initial how long the next fetch is held back after a failed one; positive (250 ms)
         * @param max     the longest hold-back, reached by doubling after further failures; at least
         *                {@code initial} (5 s)
         * @return this builder
         */
        public Builder failureBackoff(Duration initial, Duration max) {
            Duration first = positive(initial, "jwksFailureBackoff");
            Duration longest = positive(max, "jwksMaxFailureBackoff");
            if (longest.compareTo(first) < 0) {
                throw new IllegalArgumentException("jwksMaxFailureBackoff must not be shorter than jwksFailureBackoff");
            }
            this.failureBackoff = first;
            this.maxFailureBackoff = longest;
            return this;
        }

        /**
         * @return a new cache
         * @throws IllegalArgumentException when {@code maxStale} is shorter than {@code ttl}
         */
        public JwksCache build() {
            if (maxStale.compareTo(ttl) < 0) {
                throw new IllegalArgumentException("jwksMaxStale must not be shorter than jwksTtl");
            }
            SignatureEngine engine = this.engine != null ? this.engine
                    : signatureProvider != null ? SignatureEngine.plain(signatureProvider) : SignatureProviders.selected();
            return new JwksCache(new JwksPolicy(ttl.toMillis(), maxStale.toMillis(), fetchTimeout,
                    refetchCooldown.toMillis(), maxBytes, failureBackoff.toMillis(), maxFailureBackoff.toMillis(),
                    clock, engine, fetcher, listeners.toArray(new VerificationListener[0])));
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
