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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caches the public key sets of issuers, one entry per (issuer, zone) JWKS URL, with the fetch and
 * refresh rules of the specification: a fresh set is used for {@code ttl} (5 min); until
 * {@code maxStale} (10 min) a stale set is still used while one background refresh runs; an unknown
 * {@code kid} triggers one coalesced refetch at most once per {@code refetchCooldown} (30 s);
 * concurrent callers share every fetch. Keys come only from the URL of the configured issuer and
 * zone, never from anything in a token.
 *
 * <p>{@link #shared()} is used by every verifier that is not given another cache. A cache owns no
 * threads and no connections of its own (fetches run on a process-wide daemon executor,
 * {@code caracal-jwks-*}), so it needs no closing. Thread-safe.
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

    private static final Logger log = LoggerFactory.getLogger(JwksCache.class);

    private static final class SharedHolder {
        static final JwksCache SHARED = builder().build();
    }

    private final ConcurrentMap<URI, JwksEntry> entries = new ConcurrentHashMap<>();
    private final long ttlMillis;
    private final long maxStaleMillis;
    private final long cooldownMillis;
    private final long awaitMillis;
    private final Clock clock;
    private final JwksFetcher fetcher;
    private final VerificationListener[] listeners;

    private JwksCache(Builder b) {
        this.ttlMillis = b.ttl.toMillis();
        this.maxStaleMillis = b.maxStale.toMillis();
        this.cooldownMillis = b.refetchCooldown.toMillis();
        // The fetch has its own deadline; waiting a little longer only guards against a lost completion.
        this.awaitMillis = b.fetchTimeout.toMillis() + 1_000;
        this.clock = b.clock;
        Provider provider = b.signatureProvider != null ? b.signatureProvider : SignatureProviders.selected().orElse(null);
        this.fetcher = new JwksFetcher(b.fetchTimeout, b.maxBytes, provider);
        this.listeners = b.listeners.toArray(new VerificationListener[0]);
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
        JwksEntry entry = entry(jwksUri);
        VerificationKey key = entry.find(jws.kid());
        if (key == null) {
            if (!entry.hasUsableKeys()) {
                throw new JwksUnavailableException(entry.unavailable());
            }
            return SignatureCheck.invalid(jws.kid(), "kid-unknown");
        }
        return key.verify(jws.bytes(), jws.signingInputLength(), jws.signature())
                ? SignatureCheck.valid(jws.kid())
                : SignatureCheck.invalid(jws.kid(), "bad-signature");
    }

    JwksEntry entry(URI jwksUri) {
        return entries.computeIfAbsent(jwksUri, uri -> new JwksEntry(uri, this));
    }

    Clock clock() {
        return clock;
    }

    long ttlMillis() {
        return ttlMillis;
    }

    long maxStaleMillis() {
        return maxStaleMillis;
    }

    long cooldownMillis() {
        return cooldownMillis;
    }

    long awaitMillis() {
        return awaitMillis;
    }

    JwksFetcher fetcher() {
        return fetcher;
    }

    void fetched(URI jwksUri, VerificationListener.JwksFetch outcome) {
        for (VerificationListener listener : listeners) {
            try {
                listener.jwksFetched(jwksUri, outcome);
            } catch (RuntimeException e) {
                log.warn("A VerificationListener threw; ignored", e);
            }
        }
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
         * @param provider the JCA provider that verifies signatures, used by instance and never
         *                 registered globally; by default the process-wide automatic choice
         * @return this builder
         */
        public Builder signatureProvider(Provider provider) {
            this.signatureProvider = Objects.requireNonNull(provider, "signatureProvider");
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
            return new JwksCache(this);
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
