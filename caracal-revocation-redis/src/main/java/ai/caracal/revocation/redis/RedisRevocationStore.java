package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationQuery;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.revocation.internal.RateLimitedWarning;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Why this file is long: it implements every RevocationStore operation (isRevoked, revoke, the zone
// epochs, and the blocking, asynchronous and batched checks) against one Redis key layout with one
// fail-closed/fail-open rule, and its class Javadoc is the operator's contract (data, failures, connection
// ownership). Connection handling already lives in RedisLink, epoch parsing in Epochs and the eviction
// check in EvictionGuard; the Builder stays nested because RedisRevocationStore.Builder is public API.

/**
 * A {@link RevocationStore} in Redis, shared by every replica of a resource server: an anchor revoked
 * once (by a stream consumer, the CLI or the dev STS) is rejected by all of them.
 *
 * <pre>{@code
 * // On every replica: the same Redis, the default fail-closed store.
 * RedisClient redis = RedisClient.create("redis://redis.internal:6379");
 * RedisRevocationStore revocations = RedisRevocationStore.builder().client(redis).build();
 * MandateVerifier verifier = MandateVerifier.builder()
 *     .issuer(stsUrl).audience("https://mcp.example.com").zoneId("zone_prod")
 *     .revocations(revocations).build();
 * // on shutdown:
 * revocations.close();   // closes the connection the store opened
 * redis.shutdown();      // the client is yours
 * }</pre>
 *
 * <p><b>Data.</b> A revoked anchor is the key {@code <keyPrefix><anchor>} (by default
 * {@code caracal:revoked:sessions:<anchor>}) holding {@code 1} with a TTL; a zone's epoch is
 * {@code <keyPrefix>delegation-epoch:<zoneId>} holding the epoch in decimal, with a TTL; only
 * {@link #advanceDelegationEpoch} writes it, and anchors starting with {@code delegation-epoch:} or
 * {@code consumer-policy:} are refused (state.md S66). {@link #check}
 * is one {@code MGET} of the anchors' keys and then the epoch key. Epochs are raised by one atomic
 * server-side script and never lowered. With a {@code RedisClusterClient} (or cluster connection) Lettuce
 * splits the {@code MGET} by slot and reassembles the replies; it is still one call here, though not
 * atomic across slots. Redis must run with {@code maxmemory-policy noeviction}: an evicted key un-revokes
 * an anchor. The store warns once at start-up otherwise.
 *
 * <p><b>Failures.</b> Each command waits at most {@code commandTimeout} (250 ms by default). A Redis
 * error, a timeout, no connection yet, or a dropped one all mean "Redis unavailable". Lookups then fail
 * closed by default: {@code isRevoked} answers {@code true}, {@code currentDelegationEpoch}
 * {@link Long#MAX_VALUE} and {@code check} {@link RevocationCheck#FAILED_CLOSED}, so the verifier
 * answers {@code session_revoked} to every mandate until Redis is back. With {@code failClosed(false)}
 * they fail open ({@code false}, {@code 0}, {@link RevocationCheck#CLEAR}); choose that only if
 * availability matters more than revocation in your threat model. Either way a WARN is logged, at most
 * once per 10 s. Lookups never throw for Redis failures. Writes ({@code revoke},
 * {@code advanceDelegationEpoch}) never fail open: they throw {@link RevocationStoreException}.
 *
 * <p><b>Connection and ownership.</b> The store uses one shared, multiplexed connection and never sends
 * blocking commands. Built from a client, it opens that connection on a background thread, so
 * construction never needs Redis up: a lookup made while a connect attempt is in flight waits for it
 * within its timeout, and until the connection is open every call behaves as if Redis were unavailable.
 * Failed attempts are retried after 100 ms, doubling up to every 2 s, and each is waited for at most
 * 5 s. Once open, Lettuce's auto-reconnect (on by default) restores the connection after an outage with
 * no action from you. A Redis that goes silent without closing the socket (host gone, packets dropped)
 * is noticed by the store itself: after three command time-outs in a row it drops the connection and
 * opens a new one (state.md S71), so it answers again within seconds of Redis being reachable. The
 * store owns that connection and closes it in {@link #close()}; the client stays yours. Built from a
 * connection, the connection stays yours and is never closed, not even when it goes silent (the store
 * then warns; reconnecting it is yours to do). Client and connection settings are never changed.
 *
 * <p><b>Thread safety.</b> Safe for concurrent use by any number of threads.
 */
public final class RedisRevocationStore implements RevocationStore, AutoCloseable {

    /** The default key prefix: {@code caracal:revoked:sessions:}. */
    public static final String DEFAULT_KEY_PREFIX = "caracal:revoked:sessions:";

    /** The default lifetime of a revocation and of an epoch: 24 h. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    /** The default wait for each Redis command: 250 ms. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(250);

    private static final Logger log = LoggerFactory.getLogger(RedisRevocationStore.class);
    private static final String EPOCH_KEY_INFIX = "delegation-epoch:";
    private static final CompletableFuture<RevocationCheck> CLEAR_NOW = CompletableFuture.completedFuture(RevocationCheck.CLEAR);
    private static final String REVOKED_VALUE = "1";

    private final RedisLink link;
    private final MgetBatches batches;
    private final String keyPrefix;
    private final String epochKeyPrefix;
    private final long defaultTtlMillis;
    private final boolean failClosed;
    private final RateLimitedWarning unavailableWarning = new RateLimitedWarning(Duration.ofSeconds(10));
    private final CompletableFuture<Void> evictionChecked = new CompletableFuture<>();
    /** The last zone's epoch key: a verifier asks about the same zone on every call. */
    private volatile ZoneKey lastZoneKey;

    private RedisRevocationStore(Builder builder, RedisLink link) {
        this.link = link;
        this.batches = new MgetBatches(link);
        this.keyPrefix = builder.keyPrefix;
        this.epochKeyPrefix = builder.keyPrefix + EPOCH_KEY_INFIX;
        this.defaultTtlMillis = Math.max(1L, saturatedMillis(positiveOr(builder.defaultTtl, DEFAULT_TTL)));
        this.failClosed = builder.failClosed;
        if (!builder.warnOnUnsafeEviction) {
            evictionChecked.complete(null);
        }
    }

    /** @return a builder; exactly one client or connection is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code GET <prefix><anchor>}: any value means revoked.
     *
     * @param anchor an anchor ID; {@code null} or {@code ""} gives {@code false} without I/O
     * @return {@code true} while revoked; when Redis is unavailable, {@code true} if failing closed,
     *         otherwise {@code false}
     */
    @Override
    public boolean isRevoked(String anchor) {
        if (anchor == null || anchor.isEmpty()) {
            return false;
        }
        long deadline = link.deadline();
        try {
            return link.await(link.commands(deadline).get(keyPrefix.concat(anchor)), "GET", deadline) != null;
        } catch (RuntimeException e) {
            unavailable(e);
            return failClosed;
        }
    }

    /**
     * {@code SET <prefix><anchor> 1 PX <ttl ms>}; re-revoking re-arms the TTL. A reserved anchor is
     * refused before any command: {@code SET} would otherwise overwrite the zone epoch key
     * {@code <prefix>delegation-epoch:<zone>} with {@code 1}, lowering the epoch (state.md S66), or a
     * consumer group's policy record.
     *
     * @param anchor an anchor ID; {@code null} or {@code ""} is a no-op
     * @param ttl    {@code null}, zero or negative means the default TTL
     * @throws IllegalArgumentException  when the anchor starts with {@code delegation-epoch:} or
     *                                   {@code consumer-policy:}
     * @throws RevocationStoreException when Redis is unavailable or refuses the write
     */
    @Override
    public void revoke(String anchor, Duration ttl) {
        if (anchor == null || anchor.isEmpty()) {
            return;
        }
        RevocationStore.requireRevocable(anchor);
        long deadline = link.deadline();
        try {
            String reply = link.await(link.commands(deadline).set(keyPrefix.concat(anchor), REVOKED_VALUE,
                    SetArgs.Builder.px(ttlMillis(ttl))), "SET", deadline);
            if (!"OK".equals(reply)) {
                throw new RevocationStoreException("SET replied " + reply + " instead of OK");
            }
        } catch (RuntimeException e) {
            throw writeFailed("the revocation", e);
        }
    }

    /**
     * {@code GET <prefix>delegation-epoch:<zoneId>}.
     *
     * @param zoneId a zone ID; blank gives {@code 0} without I/O
     * @return the epoch; {@code 0} when absent, expired, not all ASCII digits, {@code 0}, or beyond a
     *         signed 64-bit long; when Redis is unavailable, {@link Long#MAX_VALUE} if failing closed,
     *         otherwise {@code 0}
     */
    @Override
    public long currentDelegationEpoch(String zoneId) {
        if (isBlank(zoneId)) {
            return 0L;
        }
        long deadline = link.deadline();
        try {
            return Epochs.parse(link.await(link.commands(deadline).get(epochKey(zoneId)), "GET", deadline));
        } catch (RuntimeException e) {
            unavailable(e);
            return failClosed ? Long.MAX_VALUE : 0L;
        }
    }

    /**
     * Raises the zone's epoch atomically with one server-side script ({@code EVALSHA}, falling back to
     * {@code EVAL} when the server has not cached it). The stored value and the candidate are compared as
     * normalised arbitrary-precision integers; an equal or lower candidate changes nothing, not even the
     * TTL.
     *
     * @param zoneId a zone ID; blank gives {@code false} without I/O
     * @param epoch  the candidate; negative gives {@code false} without I/O
     * @param ttl    {@code null}, zero or negative means the default TTL
     * @return {@code true} if the epoch was raised
     * @throws RevocationStoreException when Redis is unavailable or the script fails
     */
    @Override
    public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
        if (isBlank(zoneId) || epoch < 0) {
            return false;
        }
        String[] keys = {epochKey(zoneId)};
        String candidate = Long.toString(epoch);
        String ttlArg = Long.toString(ttlMillis(ttl));
        long deadline = link.deadline();
        try {
            RedisClusterAsyncCommands<String, String> commands = link.commands(deadline);
            Object reply;
            try {
                reply = link.await(commands.evalsha(Epochs.SCRIPT_SHA1, ScriptOutputType.INTEGER, keys, candidate,
                        ttlArg), "EVALSHA", deadline);
            } catch (RevocationStoreException e) {
                if (!isNoScript(e.getCause())) {
                    throw e;
                }
                long evalDeadline = link.deadline();
                reply = link.await(commands.eval(Epochs.SCRIPT_BYTES, ScriptOutputType.INTEGER, keys, candidate,
                        ttlArg), "EVAL", evalDeadline);
            }
            if (reply instanceof Long value && (value == 0L || value == 1L)) {
                return value == 1L;
            }
            throw new RevocationStoreException("the epoch script replied " + reply + " instead of 0 or 1");
        } catch (RuntimeException e) {
            throw writeFailed("the delegation epoch", e);
        }
    }

    /**
     * One round trip: {@code MGET} of every anchor's key, then the zone's epoch key last (left out for a
     * blank zone). In Redis Cluster, Lettuce splits the {@code MGET} by slot and reassembles the replies;
     * it is still one call here, though not atomic across slots.
     *
     * @param anchors the mandate's anchors; {@code null} or {@code ""} elements are skipped; never
     *                {@code null}
     * @param zoneId  the mandate's zone; blank gives an epoch of {@code 0}
     * @return revoked if any anchor is, and the zone's epoch as {@link #currentDelegationEpoch} reads it;
     *         when Redis is unavailable, {@link RevocationCheck#FAILED_CLOSED} if failing closed,
     *         otherwise {@link RevocationCheck#CLEAR}
     */
    @Override
    public RevocationCheck check(List<String> anchors, String zoneId) {
        Lookup lookup = lookup(anchors, zoneId);
        if (lookup == null) {
            return RevocationCheck.CLEAR;
        }
        long deadline = link.deadline();
        try {
            return lookup.answer(link.await(link.commands(deadline).mget(lookup.keys), "MGET", deadline));
        } catch (RuntimeException e) {
            return failedLookup(e);
        }
    }

    /**
     * {@link #check(List, String)} without blocking: the same {@code MGET} through Lettuce's asynchronous
     * API, bounded by the same {@code commandTimeout} (a command not answered by then is cancelled).
     * Concurrent checks share a round trip (state.md S74): at most one such {@code MGET} is on the wire,
     * and the checks that arrive meanwhile go together in the next one, each reading its own keys; a
     * lone check is sent at once. The stage never fails: when Redis is unavailable it completes with
     * {@link RevocationCheck#FAILED_CLOSED} if failing closed, otherwise {@link RevocationCheck#CLEAR}.
     * It completes on Lettuce's I/O thread (or the JDK's delay scheduler on a time-out).
     *
     * @param anchors the mandate's anchors; {@code null} or {@code ""} elements are skipped; never
     *                {@code null}
     * @param zoneId  the mandate's zone; blank gives an epoch of {@code 0}
     * @return the answer, as {@link #check(List, String)} would give it
     */
    @Override
    public CompletionStage<RevocationCheck> checkAsync(List<String> anchors, String zoneId) {
        Lookup lookup = lookup(anchors, zoneId);
        if (lookup == null) {
            return CLEAR_NOW;
        }
        Pending pending = new Pending(lookup);
        batches.submit(pending);
        return pending.result.orTimeout(link.timeoutMillis(), TimeUnit.MILLISECONDS).exceptionally(failure -> {
            Throwable cause = unwrap(failure);
            if (cause instanceof TimeoutException) {
                return failedLookup(new RevocationStoreException("MGET got no reply within " + link.timeoutMillis()
                        + " ms"));
            }
            return failedLookup(cause);
        });
    }

    /** An asynchronous check waiting in {@link MgetBatches} for the values of its keys. */
    private static final class Pending implements MgetBatches.Waiting {
        final Lookup lookup;
        final CompletableFuture<RevocationCheck> result = new CompletableFuture<>();

        Pending(Lookup lookup) {
            this.lookup = lookup;
        }

        @Override
        public String[] keys() {
            return lookup.keys;
        }

        @Override
        public void answer(List<KeyValue<String, String>> values) {
            try {
                result.complete(lookup.answer(values));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        @Override
        public void fail(Throwable failure) {
            Throwable cause = unwrap(failure);
            result.completeExceptionally(cause instanceof TimeoutException ? cause
                    : new RevocationStoreException("MGET failed: " + cause.getMessage(), cause));
        }
    }

    /**
     * One round trip for the whole batch: one {@code MGET} of the distinct keys of every query (each
     * anchor's key once, then each zone's epoch key once), bounded by the same {@code commandTimeout};
     * each answer is then read as {@link #check(List, String)} reads its own keys. Connectors re-check
     * their open connections this way (connectors.md §10.4).
     *
     * @param queries the queries; never {@code null}; {@code null} or {@code ""} anchors are skipped
     * @return one answer per query, in order; when Redis is unavailable, every answer is
     *         {@link RevocationCheck#FAILED_CLOSED} if failing closed, otherwise {@link RevocationCheck#CLEAR}
     */
    @Override
    public List<RevocationCheck> checkEach(List<RevocationQuery> queries) {
        int count = Objects.requireNonNull(queries, "queries").size();
        Map<String, Integer> slots = new LinkedHashMap<>();
        int[][] anchorSlots = new int[count][];
        int[] zoneSlots = new int[count];
        for (int i = 0; i < count; i++) {
            RevocationQuery query = queries.get(i);
            List<String> anchors = query.anchors();
            int[] own = new int[anchors.size()];
            int used = 0;
            for (String anchor : anchors) {
                if (anchor != null && !anchor.isEmpty()) {
                    own[used++] = slots.computeIfAbsent(keyPrefix.concat(anchor), key -> slots.size());
                }
            }
            anchorSlots[i] = used == own.length ? own : Arrays.copyOf(own, used);
            zoneSlots[i] = isBlank(query.zoneId()) ? -1
                    : slots.computeIfAbsent(epochKeyPrefix.concat(query.zoneId()), key -> slots.size());
        }
        if (slots.isEmpty()) {
            return Collections.nCopies(count, RevocationCheck.CLEAR);
        }
        String[] keys = slots.keySet().toArray(new String[0]);
        List<KeyValue<String, String>> values;
        long deadline = link.deadline();
        try {
            values = link.await(link.commands(deadline).mget(keys), "MGET", deadline);
            if (values == null || values.size() != keys.length) {
                throw new RevocationStoreException("MGET of " + keys.length + " keys returned "
                        + (values == null ? "nothing" : values.size() + " values"));
            }
        } catch (RuntimeException e) {
            return Collections.nCopies(count, failedLookup(e));
        }
        RevocationCheck[] answers = new RevocationCheck[count];
        for (int i = 0; i < count; i++) {
            boolean revoked = false;
            for (int slot : anchorSlots[i]) {
                if (values.get(slot).hasValue()) {
                    revoked = true;
                    break;
                }
            }
            long epoch = zoneSlots[i] < 0 ? 0L : Epochs.parse(values.get(zoneSlots[i]).getValueOrElse(null));
            answers[i] = revoked || epoch != 0L ? new RevocationCheck(revoked, epoch) : RevocationCheck.CLEAR;
        }
        return List.of(answers);
    }

    private RevocationCheck failedLookup(Throwable e) {
        unavailable(e);
        return failClosed ? RevocationCheck.FAILED_CLOSED : RevocationCheck.CLEAR;
    }

    /** @return the keys of one check: every anchor's, then the zone's epoch key; {@code null} when there are none */
    private Lookup lookup(List<String> anchors, String zoneId) {
        Objects.requireNonNull(anchors, "anchors");
        int size = anchors.size();
        boolean withZone = !isBlank(zoneId);
        String[] keys = new String[withZone ? size + 1 : size];
        int anchorKeys = 0;
        for (int i = 0; i < size; i++) {
            String anchor = anchors.get(i);
            if (anchor != null && !anchor.isEmpty()) {
                keys[anchorKeys++] = keyPrefix.concat(anchor);
            }
        }
        int keyCount = anchorKeys;
        if (withZone) {
            keys[keyCount++] = epochKey(zoneId);
        }
        if (keyCount == 0) {
            return null;
        }
        return new Lookup(keyCount < keys.length ? Arrays.copyOf(keys, keyCount) : keys, anchorKeys, withZone);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The {@code MGET} of one check and how to read its reply. */
    private static final class Lookup {
        final String[] keys;
        final int anchorKeys;
        final boolean withZone;

        Lookup(String[] keys, int anchorKeys, boolean withZone) {
            this.keys = keys;
            this.anchorKeys = anchorKeys;
            this.withZone = withZone;
        }

        RevocationCheck answer(List<KeyValue<String, String>> values) {
            if (values == null || values.size() != keys.length) {
                throw new RevocationStoreException("MGET of " + keys.length + " keys returned "
                        + (values == null ? "nothing" : values.size() + " values"));
            }
            boolean revoked = false;
            for (int i = 0; i < anchorKeys; i++) {
                if (values.get(i).hasValue()) {
                    revoked = true;
                    break;
                }
            }
            long epoch = withZone ? Epochs.parse(values.get(keys.length - 1).getValueOrElse(null)) : 0L;
            return revoked || epoch != 0L ? new RevocationCheck(revoked, epoch) : RevocationCheck.CLEAR;
        }
    }

    /**
     * Closes the connection the store opened from a client; a connection handed in is left open.
     * Idempotent. Afterwards lookups behave as if Redis were unavailable and writes throw.
     */
    @Override
    public void close() {
        link.close();
    }

    /** @return the prefix of every key, under which consumers also record their group's policy */
    String keyPrefix() {
        return keyPrefix;
    }

    /** Completes once the eviction guard (§4.6) has its answer; for tests, which wait on its logging. */
    CompletableFuture<Void> evictionChecked() {
        return evictionChecked;
    }

    private void start(boolean warnOnUnsafeEviction) {
        link.start(commands -> {
            if (warnOnUnsafeEviction) {
                EvictionGuard.check(commands, evictionChecked);
            }
        });
    }

    private void unavailable(Throwable e) {
        if (unavailableWarning.admit()) {
            if (failClosed) {
                log.warn("Redis revocation lookup in {} (key prefix {}) failed ({}); failing closed: every mandate is "
                        + "rejected as revoked (cause store_unavailable) until Redis answers. Further warnings are "
                        + "suppressed for 10 s", link.description(), keyPrefix, e.getMessage());
            } else {
                log.warn("Redis revocation lookup in {} (key prefix {}) failed ({}); failing open (failClosed=false): "
                        + "revocations are NOT enforced until Redis answers. Further warnings are suppressed for 10 s",
                        link.description(), keyPrefix, e.getMessage());
            }
        }
    }

    private static RevocationStoreException writeFailed(String what, RuntimeException e) {
        return new RevocationStoreException("Cannot record " + what + " in Redis: " + e.getMessage(),
                e instanceof RevocationStoreException && e.getCause() != null ? e.getCause() : e);
    }

    private static boolean isNoScript(Throwable cause) {
        return cause instanceof RedisNoScriptException
                || cause != null && cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT");
    }

    private String epochKey(String zoneId) {
        ZoneKey cached = lastZoneKey;
        if (cached != null && cached.zoneId().equals(zoneId)) {
            return cached.key();
        }
        String key = epochKeyPrefix.concat(zoneId);
        lastZoneKey = new ZoneKey(zoneId, key);
        return key;
    }

    private long ttlMillis(Duration ttl) {
        if (ttl == null || ttl.isZero() || ttl.isNegative()) {
            return defaultTtlMillis;
        }
        return Math.max(1L, saturatedMillis(ttl));
    }

    private static long saturatedMillis(Duration duration) {
        try {
            return duration.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isZero() || value.isNegative() ? fallback : value;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The epoch key last built for a zone, reused while requests stay in that zone. */
    private record ZoneKey(String zoneId, String key) {
    }

    /**
     * Builder for {@link RedisRevocationStore}. Set exactly one of the two {@code client(...)} or two
     * {@code connection(...)} methods. Not thread-safe; the store it builds is.
     */
    public static final class Builder {

        private RedisClient client;
        private RedisClusterClient clusterClient;
        private StatefulRedisConnection<String, String> connection;
        private StatefulRedisClusterConnection<String, String> clusterConnection;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration defaultTtl = DEFAULT_TTL;
        private boolean failClosed = true;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private boolean warnOnUnsafeEviction = true;

        private Builder() {
        }

        /**
         * @param client a standalone Redis client created with a URI; the store opens one connection from
         *               it in the background and closes only that connection, never the client
         * @return this builder
         */
        public Builder client(RedisClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * @param client a Redis Cluster client; the store opens one cluster connection from it in the
         *               background and closes only that connection, never the client
         * @return this builder
         */
        public Builder client(RedisClusterClient client) {
            this.clusterClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * @param connection a caller-owned connection with string keys and values; the store never closes
         *                   it or changes its settings
         * @return this builder
         */
        public Builder connection(StatefulRedisConnection<String, String> connection) {
            this.connection = Objects.requireNonNull(connection, "connection");
            return this;
        }

        /**
         * @param connection a caller-owned cluster connection with string keys and values; the store never
         *                   closes it or changes its settings
         * @return this builder
         */
        public Builder connection(StatefulRedisClusterConnection<String, String> connection) {
            this.clusterConnection = Objects.requireNonNull(connection, "connection");
            return this;
        }

        /**
         * @param keyPrefix the prefix of every key; default {@value RedisRevocationStore#DEFAULT_KEY_PREFIX}
         * @return this builder
         */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /**
         * @param defaultTtl the lifetime of a revocation or epoch written without one; {@code null}, zero or
         *                   negative means 24 h
         * @return this builder
         */
        public Builder defaultTtl(Duration defaultTtl) {
            this.defaultTtl = defaultTtl;
            return this;
        }

        /**
         * @param failClosed {@code true} (the default) to answer "revoked" while Redis is unavailable;
         *                   {@code false} to answer "not revoked" and log a WARN (at most every 10 s)
         * @return this builder
         */
        public Builder failClosed(boolean failClosed) {
            this.failClosed = failClosed;
            return this;
        }

        /**
         * @param commandTimeout the longest wait for each Redis command, enforced by the store without
         *                       touching the connection's settings; {@code null}, zero or negative means
         *                       250 ms. A timeout counts as Redis unavailable.
         * @return this builder
         */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        /**
         * @param warnOnUnsafeEviction {@code true} (the default) to read {@code maxmemory-policy} once,
         *                             asynchronously, and WARN unless it is {@code noeviction}
         * @return this builder
         */
        public Builder warnOnUnsafeEviction(boolean warnOnUnsafeEviction) {
            this.warnOnUnsafeEviction = warnOnUnsafeEviction;
            return this;
        }

        /**
         * Builds the store without waiting for Redis.
         *
         * @return a new store; close it when done
         * @throws IllegalArgumentException when no client or connection, or more than one, is set
         */
        public RedisRevocationStore build() {
            int sources = (client != null ? 1 : 0) + (clusterClient != null ? 1 : 0) + (connection != null ? 1 : 0)
                    + (clusterConnection != null ? 1 : 0);
            if (sources != 1) {
                throw new IllegalArgumentException(sources == 0
                        ? "Redis is required: set client(...) or connection(...)"
                        : "set exactly one of client(...) or connection(...): the store uses one connection");
            }
            Duration timeout = positiveOr(commandTimeout, DEFAULT_COMMAND_TIMEOUT);
            RedisLink link = client != null ? RedisLink.opening(client, timeout)
                    : clusterClient != null ? RedisLink.opening(clusterClient, timeout)
                    : connection != null ? RedisLink.of(connection, timeout)
                    : RedisLink.of(clusterConnection, timeout);
            RedisRevocationStore store = new RedisRevocationStore(this, link);
            store.start(warnOnUnsafeEviction);
            return store;
        }
    }
}
