package ai.caracal.revocation;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link RevocationStore} held in this process's memory, for development and tests.
 *
 * <p>State is per process, so replicas do not share it: production uses the Redis store
 * ({@code caracal-revocation-redis}). Entries expire lazily: an expired entry is removed when a read
 * finds it, or when a write needs room. The store holds at most {@code maxEntries} anchors (epochs are
 * not counted); revoking a new anchor into a full store first reaps expired entries and then throws
 * {@link RevocationStoreFullException}, keeping every existing entry. Re-revoking an existing anchor is
 * always allowed and re-arms its expiry. Reserved anchors ({@link RevocationStore#isReservedAnchor})
 * are refused with {@link IllegalArgumentException}, as by every store.
 *
 * <p>Thread-safe. Reads take no lock; writes of new anchors are serialised so the capacity bound is
 * exact.
 */
public final class InMemoryRevocationStore implements RevocationStore {

    /** Default lifetime of a revocation and of an epoch: 24 h. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    /** Default capacity: 100 000 anchors. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private final ConcurrentMap<String, Long> revokedUntil = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ZoneEpoch> epochs = new ConcurrentHashMap<>();
    private final Object admission = new Object();
    private final long defaultTtlMillis;
    private final int maxEntries;
    private final Clock clock;

    /** A store with the defaults: 24 h TTL, 100 000 entries, the system UTC clock. */
    public InMemoryRevocationStore() {
        this(builder());
    }

    private InMemoryRevocationStore(Builder builder) {
        this.defaultTtlMillis = builder.defaultTtl.toMillis();
        this.maxEntries = builder.maxEntries;
        this.clock = builder.clock;
    }

    /**
     * @return a builder for a store with non-default TTL, capacity or clock
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean isRevoked(String anchor) {
        if (anchor == null || anchor.isEmpty()) {
            return false;
        }
        Long until = revokedUntil.get(anchor);
        if (until == null) {
            return false;
        }
        if (until <= clock.millis()) {
            revokedUntil.remove(anchor, until);
            return false;
        }
        return true;
    }

    @Override
    public void revoke(String anchor, Duration ttl) {
        if (anchor == null || anchor.isEmpty()) {
            return;
        }
        // Epochs live in their own map here, but every store refuses the same names (S66).
        RevocationStore.requireRevocable(anchor);
        long now = clock.millis();
        long until = now + ttlMillis(ttl);
        if (revokedUntil.replace(anchor, until) != null) {
            return;
        }
        synchronized (admission) {
            if (!revokedUntil.containsKey(anchor) && revokedUntil.size() >= maxEntries) {
                revokedUntil.values().removeIf(expiresAt -> expiresAt <= now);
                if (revokedUntil.size() >= maxEntries) {
                    throw new RevocationStoreFullException(maxEntries);
                }
            }
            revokedUntil.put(anchor, until);
        }
    }

    @Override
    public long currentDelegationEpoch(String zoneId) {
        if (zoneId == null || zoneId.isBlank()) {
            return 0L;
        }
        ZoneEpoch current = epochs.get(zoneId);
        if (current == null) {
            return 0L;
        }
        if (current.expiresAt <= clock.millis()) {
            epochs.remove(zoneId, current);
            return 0L;
        }
        return current.epoch;
    }

    @Override
    public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
        if (zoneId == null || zoneId.isBlank() || epoch < 0) {
            return false;
        }
        long now = clock.millis();
        ZoneEpoch candidate = new ZoneEpoch(epoch, now + ttlMillis(ttl));
        ZoneEpoch stored = epochs.merge(zoneId, candidate,
                (current, proposed) -> current.expiresAt <= now || proposed.epoch > current.epoch ? proposed : current);
        return stored == candidate;
    }

    /**
     * @return the number of anchor entries, expired ones included until they are reaped
     */
    public int size() {
        return revokedUntil.size();
    }

    private long ttlMillis(Duration ttl) {
        return ttl == null || ttl.isZero() || ttl.isNegative() ? defaultTtlMillis : ttl.toMillis();
    }

    private record ZoneEpoch(long epoch, long expiresAt) {
    }

    /** Builder for {@link InMemoryRevocationStore}. Not thread-safe; the store it builds is. */
    public static final class Builder {

        private Duration defaultTtl = DEFAULT_TTL;
        private int maxEntries = DEFAULT_MAX_ENTRIES;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param defaultTtl the lifetime used when a write passes no TTL; must be positive
         * @return this builder
         */
        public Builder defaultTtl(Duration defaultTtl) {
            Objects.requireNonNull(defaultTtl, "defaultTtl");
            if (defaultTtl.isZero() || defaultTtl.isNegative()) {
                throw new IllegalArgumentException("defaultTtl must be positive");
            }
            this.defaultTtl = defaultTtl;
            return this;
        }

        /**
         * @param maxEntries the maximum number of anchors held; must be positive
         * @return this builder
         */
        public Builder maxEntries(int maxEntries) {
            if (maxEntries <= 0) {
                throw new IllegalArgumentException("maxEntries must be positive");
            }
            this.maxEntries = maxEntries;
            return this;
        }

        /**
         * @param clock the clock used for expiry
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return a new, empty store
         */
        public InMemoryRevocationStore build() {
            return new InMemoryRevocationStore(this);
        }
    }
}
