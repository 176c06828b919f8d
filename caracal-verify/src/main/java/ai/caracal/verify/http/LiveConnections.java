package ai.caracal.verify.http;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationQuery;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.internal.RateLimitedWarning;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open connections of one boundary (SSE streams, WebSockets) and the loop that ends them when their
 * mandate no longer holds (connectors.md §10.4): at {@code exp}, and within one re-check interval of a
 * revocation of one of their anchors or of a delegation epoch that makes them stale.
 *
 * <p><b>How.</b> Each connection is registered with the claims it was verified with and the connector's
 * end action ({@link #open}). A timer ends it at its {@code exp}. Every {@code recheckInterval} (2 s by
 * default) the registry re-checks all open connections against the {@link RevocationStore} in batches of
 * at most {@code batchAnchors} anchors (1000 by default), one {@link RevocationStore#checkEach} call, so
 * one round trip with the Redis store, per batch. Every replica re-checks its own connections against the
 * shared store, so a revocation ends the connections on every replica. {@link #recheckNow()} runs a
 * re-check at once (wire it to a local revocation consumer: see below).
 *
 * <p><b>Verdicts</b>, as the verifier's for a new request: an anchor revoked → {@code session_revoked};
 * the zone's epoch above the mandate's {@code delegation_graph_epoch} → {@code delegation_stale}; a
 * fail-closed store that cannot read its state → {@code session_revoked}; a store that throws →
 * {@code invalid_token}; {@code exp} reached → {@code invalid_token}. So the store failing closed ends
 * every connection it could not check (a new request would be rejected too); a store built with
 * {@code failClosed(false)} leaves them open.
 *
 * <p><b>Threads.</b> One daemon thread, {@code caracal-live-connections}, runs the timers, the re-checks and
 * the end actions; it exists only while connections are open (it ends after 10 s without any), so a
 * registry that is never closed leaks nothing. End actions must not block.
 *
 * <pre>{@code
 * // React at once when this replica's consumer applies a revocation (the others re-check within 2 s):
 * RedisRevocationConsumer.builder()...
 *     .listener((stream, result) -> { if (result == StreamEventListener.Result.APPLIED) live.recheckNow(); })
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the thread and ends the connections still open.
 */
public final class LiveConnections implements AutoCloseable {

    /** The default interval between two re-checks of every open connection: 2 s. */
    public static final Duration DEFAULT_RECHECK_INTERVAL = Duration.ofSeconds(2);

    /** The default number of anchors re-checked in one store call: 1000. */
    public static final int DEFAULT_BATCH_ANCHORS = 1000;

    private static final Logger log = LoggerFactory.getLogger(LiveConnections.class);

    private final RevocationStore revocations;
    private final long intervalMillis;
    private final int batchAnchors;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;
    private final Set<LiveConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean recheckQueued = new AtomicBoolean();
    private final RateLimitedWarning storeWarning = new RateLimitedWarning(Duration.ofSeconds(10));
    private final Object schedule = new Object();
    private ScheduledFuture<?> periodic;
    private volatile boolean closed;

    private LiveConnections(Builder builder) {
        this.revocations = builder.revocations;
        this.intervalMillis = builder.recheckInterval.toMillis();
        this.batchAnchors = builder.batchAnchors;
        this.clock = builder.clock;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "caracal-live-connections");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        executor.setKeepAliveTime(10, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
    }

    /** @return a builder; the revocation store is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Tracks one open connection until it ends. The end action is called at most once, on the registry's
     * thread, with the error code that ended the connection ({@code session_revoked},
     * {@code delegation_stale} or {@code invalid_token}): an SSE stream completes its response, a WebSocket
     * closes with 1008 and the code as reason. A mandate already expired, or a registry already closed,
     * ends the connection at once (still on the registry's thread, or on the caller's after {@link #close()}).
     *
     * @param claims the verified claims the connection was opened with; never {@code null}
     * @param end    what ends the connection; must not block; never {@code null}
     * @return the handle to {@link LiveConnection#close() close} when the connection ends by itself
     */
    public LiveConnection open(Claims claims, Consumer<ErrorCode> end) {
        LiveConnection connection = new LiveConnection(this, Objects.requireNonNull(claims, "claims"),
                Objects.requireNonNull(end, "end"));
        open.add(connection);
        try {
            long untilExpiry = connection.expiresAtMillis() - clock.millis();
            connection.expiry(executor.schedule(() -> connection.end(ErrorCode.INVALID_TOKEN), Math.max(0L, untilExpiry),
                    TimeUnit.MILLISECONDS));
            startRechecks();
        } catch (RejectedExecutionException e) {
            connection.end(ErrorCode.INVALID_TOKEN);
        }
        if (closed) {
            connection.end(ErrorCode.INVALID_TOKEN);
        }
        return connection;
    }

    /**
     * Re-checks every open connection now, on the registry's thread, instead of waiting for the next
     * interval; requests made while one is queued are merged into it. For a revocation consumer's
     * listener, so that this replica ends its connections as soon as it applies a revocation.
     */
    public void recheckNow() {
        if (closed || open.isEmpty() || !recheckQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                recheckQueued.set(false);
                recheck();
            });
        } catch (RejectedExecutionException e) {
            recheckQueued.set(false);
        }
    }

    /** @return how many connections are open (tracked and not yet ended) */
    public int size() {
        return open.size();
    }

    /** @return the interval between two re-checks */
    public Duration recheckInterval() {
        return Duration.ofMillis(intervalMillis);
    }

    /**
     * Stops the timers and the re-checks (a re-check in flight may finish, waited for at most 1 s), and ends
     * every connection still open with {@code invalid_token} (they can no longer be checked), on the calling
     * thread. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        // No interrupt: a re-check in flight finishes its store call (bounded by the store's time-out) rather
        // than reading the interrupt as a store failure.
        executor.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        for (LiveConnection connection : List.copyOf(open)) {
            connection.end(ErrorCode.INVALID_TOKEN);
        }
    }

    /** One pass over every open connection; runs on the registry's thread. */
    void recheck() {
        try {
            List<LiveConnection> batch = new ArrayList<>();
            int anchors = 0;
            for (LiveConnection connection : open) {
                int own = Math.max(1, connection.anchors().size());
                if (!batch.isEmpty() && anchors + own > batchAnchors) {
                    check(batch);
                    batch.clear();
                    anchors = 0;
                }
                batch.add(connection);
                anchors += own;
            }
            if (!batch.isEmpty()) {
                check(batch);
            }
        } catch (RuntimeException e) {
            log.warn("Re-checking live connections failed unexpectedly; the next interval retries ({})", e.toString());
        } finally {
            stopRechecksWhenIdle();
        }
    }

    private void check(List<LiveConnection> batch) {
        long now = clock.millis();
        List<RevocationQuery> queries = new ArrayList<>(batch.size());
        for (LiveConnection connection : batch) {
            queries.add(new RevocationQuery(connection.anchors(), connection.zoneId()));
        }
        List<RevocationCheck> answers;
        try {
            answers = revocations.checkEach(queries);
            if (answers == null || answers.size() != queries.size()) {
                throw new IllegalStateException("checkEach answered " + (answers == null ? "null" : answers.size()
                        + " checks") + " for " + queries.size() + " queries");
            }
        } catch (RuntimeException e) {
            warnStoreFailure(e);
            for (LiveConnection connection : batch) {
                connection.end(ErrorCode.INVALID_TOKEN);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            LiveConnection connection = batch.get(i);
            ErrorCode verdict = connection.expiresAtMillis() <= now ? ErrorCode.INVALID_TOKEN
                    : verdict(answers.get(i), connection.epochClaim());
            if (verdict != null) {
                connection.end(verdict);
            }
        }
    }

    /** @return the error that ends the connection, or {@code null} when the mandate still holds */
    static ErrorCode verdict(RevocationCheck answer, long epochClaim) {
        if (answer == null) {
            return ErrorCode.INVALID_TOKEN;
        }
        if (answer.unavailable() || answer.revoked()) {
            return ErrorCode.SESSION_REVOKED;
        }
        if (epochClaim >= 0 && answer.currentEpoch() > epochClaim) {
            return ErrorCode.DELEGATION_STALE;
        }
        return null;
    }

    void forget(LiveConnection connection) {
        open.remove(connection);
    }

    private void startRechecks() {
        synchronized (schedule) {
            if (periodic == null && !closed) {
                periodic = executor.scheduleAtFixedRate(this::recheck, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void stopRechecksWhenIdle() {
        synchronized (schedule) {
            if (open.isEmpty() && periodic != null) {
                periodic.cancel(false);
                periodic = null;
            }
        }
    }

    private void warnStoreFailure(RuntimeException e) {
        if (storeWarning.admit()) {
            log.warn("The revocation store failed while re-checking live connections; ending them as invalid_token "
                    + "(fail closed). Further warnings are suppressed for 10 s ({}: {})", e.getClass().getName(),
                    e.getMessage());
        }
    }

    /** Builder for {@link LiveConnections}. Not thread-safe; the registry it builds is. */
    public static final class Builder {

        private RevocationStore revocations;
        private Duration recheckInterval = DEFAULT_RECHECK_INTERVAL;
        private int batchAnchors = DEFAULT_BATCH_ANCHORS;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param revocations the store the connections are re-checked against: the verifier's
         * @return this builder
         */
        public Builder revocations(RevocationStore revocations) {
            this.revocations = Objects.requireNonNull(revocations, "revocations");
            return this;
        }

        /**
         * @param interval the time between two re-checks of every open connection; default 2 s; at least
         *                 10 ms. A revocation ends a connection within this interval (plus one store round
         *                 trip); the spec's bound is 5 s.
         * @return this builder
         * @throws IllegalArgumentException for an interval under 10 ms
         */
        public Builder recheckInterval(Duration interval) {
            Objects.requireNonNull(interval, "recheckInterval");
            if (interval.compareTo(Duration.ofMillis(10)) < 0) {
                throw new IllegalArgumentException("recheckInterval must be at least 10 ms");
            }
            this.recheckInterval = interval;
            return this;
        }

        /**
         * @param anchors the most anchors re-checked in one store call; default 1000; at least 1
         * @return this builder
         * @throws IllegalArgumentException for a value under 1
         */
        public Builder batchAnchors(int anchors) {
            if (anchors < 1) {
                throw new IllegalArgumentException("batchAnchors must be at least 1");
            }
            this.batchAnchors = anchors;
            return this;
        }

        /**
         * @param clock the clock {@code exp} is compared with; default the system UTC clock (use the
         *              verifier's)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the registry; its thread starts with the first connection
         * @throws NullPointerException when no revocation store is set
         */
        public LiveConnections build() {
            Objects.requireNonNull(revocations, "revocations is required: the store connections are re-checked against");
            return new LiveConnections(this);
        }
    }
}
