package ai.caracal.verify;

import ai.caracal.revocation.internal.RateLimitedWarning;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of one (issuer, zone) JWKS URL, with the rules of verification.md §3.5 and V127–V128. One
 * call, {@link #lookup(String)}, answers found / unknown kid / unavailable; the answer is complete at
 * once whenever memory suffices, and otherwise follows the one fetch in flight.
 *
 * <ul>
 *   <li>cold, or older than {@code maxStale}: a fetch (single flight, never held back by the cooldown);
 *       on failure nothing is used;</li>
 *   <li>older than {@code ttl}: the held set answers and one background refresh starts, at most once per
 *       cooldown; a failed refresh keeps the set;</li>
 *   <li>unknown {@code kid}: one coalesced refetch, at most once per cooldown, then the lookup again;</li>
 *   <li>after a failed fetch, the next one is held back for the failure back-off (250 ms, doubling to
 *       5 s, reset by a success); lookups that need a fetch inside it answer at once.</li>
 * </ul>
 *
 * <p>Thread-safe: the held set is one volatile snapshot; the fetch bookkeeping is guarded by this
 * object's monitor, which is never held while the fetcher runs or while waiters are completed.
 */
final class KeySource {

    private static final Logger log = LoggerFactory.getLogger(KeySource.class);

    private static final CompletableFuture<KeyLookup> UNKNOWN_KID =
            CompletableFuture.completedFuture(KeyLookup.Missing.UNKNOWN_KID);
    private static final CompletableFuture<KeyLookup> UNAVAILABLE =
            CompletableFuture.completedFuture(KeyLookup.Missing.UNAVAILABLE);

    /** Longest wait of a warm-up for the keys' precomputed tables; the keys verify through the provider meanwhile. */
    static final long TABLES_WAIT_MILLIS = 10_000;
    /** Shortest interval between two WARN lines about failed fetches of one URL. */
    static final long WARN_INTERVAL_MILLIS = 10_000;

    private final URI uri;
    private final JwksPolicy policy;
    /** How long a blocking caller waits: the fetch has its own deadline, this only guards a lost completion. */
    private final long awaitMillis;
    private final long tablesWaitMillis;

    private volatile KeySet held;
    /** One line on why the latest fetch failed, or {@code null} when it succeeded (or none finished yet). */
    private volatile String lastFailure;
    private final RateLimitedWarning fetchWarning = new RateLimitedWarning(Duration.ofMillis(WARN_INTERVAL_MILLIS));

    // Guarded by this.
    private long nextRefetchAt = Long.MIN_VALUE;
    private long backoffUntil = Long.MIN_VALUE;
    private int consecutiveFailures;
    private CompletableFuture<KeySet> inFlight;

    KeySource(URI uri, JwksPolicy policy) {
        this(uri, policy, TABLES_WAIT_MILLIS);
    }

    KeySource(URI uri, JwksPolicy policy, long tablesWaitMillis) {
        this.uri = uri;
        this.policy = policy;
        this.awaitMillis = policy.fetchTimeout().toMillis() + 1_000;
        this.tablesWaitMillis = tablesWaitMillis;
    }

    URI uri() {
        return uri;
    }

    /**
     * @param kid the header {@code kid}
     * @return the lookup; already complete when no fetch is needed (the common case), otherwise completed
     *         by the fetch in flight, on the fetcher's thread. Never fails.
     */
    CompletableFuture<KeyLookup> lookup(String kid) {
        return lookup(kid, Tracing.NONE);
    }

    /**
     * {@link #lookup(String)}, with a span for a fetch it starts.
     *
     * @param kid     the header {@code kid}
     * @param tracing where the span of a fetch this lookup starts goes (a child of the current span)
     * @return as {@link #lookup(String)}
     */
    CompletableFuture<KeyLookup> lookup(String kid, Tracing tracing) {
        long now = policy.clock().millis();
        KeySet observed = held;
        if (observed == null || now - observed.fetchedAt() >= policy.maxStaleMillis()) {
            CompletableFuture<KeySet> fetch = fetch(observed, now, Need.REQUIRED, tracing);
            if (fetch == null) {
                report(VerificationListener.JwksFetch.REJECTED_BACKOFF);
                return UNAVAILABLE;
            }
            return fetch.handle((keys, failure) -> keys == null ? KeyLookup.Missing.UNAVAILABLE : keys.lookup(kid));
        }
        if (now - observed.fetchedAt() >= policy.ttlMillis()) {
            fetch(observed, now, Need.COOLED_DOWN, tracing);
        }
        VerificationKey key = observed.keys().get(kid);
        if (key != null) {
            return key.asLookup();
        }
        CompletableFuture<KeySet> refetch = fetch(observed, now, Need.COOLED_DOWN, tracing);
        if (refetch == null) {
            log.debug("JWKS refetch for an unknown kid held back by the cooldown or back-off: {}", uri);
            report(VerificationListener.JwksFetch.REJECTED_COOLDOWN);
            return UNKNOWN_KID;
        }
        // A failed refetch keeps the held set, which is still usable: the kid stays unknown.
        return refetch.handle((keys, failure) -> keys == null ? KeyLookup.Missing.UNKNOWN_KID : keys.lookup(kid));
    }

    /**
     * {@link #lookup(String)} for blocking callers: waits for a fetch in flight, at most its deadline.
     *
     * @param kid the header {@code kid}
     * @return the answer; never {@code null}
     */
    KeyLookup lookupBlocking(String kid) {
        return lookupBlocking(kid, Tracing.NONE);
    }

    /** {@link #lookupBlocking(String)}, with a span for a fetch it starts. */
    KeyLookup lookupBlocking(String kid, Tracing tracing) {
        CompletableFuture<KeyLookup> lookup = lookup(kid, tracing);
        if (lookup.isDone()) {
            return lookup.join();
        }
        try {
            return lookup.get(awaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return KeyLookup.Missing.UNAVAILABLE;
        } catch (ExecutionException | TimeoutException e) {
            return KeyLookup.Missing.UNAVAILABLE;
        }
    }

    /**
     * Fetches now, regardless of the cooldown and the back-off (joins a fetch already in flight).
     *
     * @return completes when a usable set arrived and its keys' precomputed tables (if any) are built, or
     *         {@link #TABLES_WAIT_MILLIS} after the set arrived, whichever is first (a slow table build
     *         never fails a warm-up); fails with {@link JwksUnavailableException} when no usable set arrived
     */
    CompletableFuture<Void> refresh() {
        return fetch(held, policy.clock().millis(), Need.FORCED, Tracing.NONE).handle((keys, failure) -> {
            if (keys == null) {
                throw new JwksUnavailableException(describe(failure));
            }
            return keys;
        }).thenCompose(keys -> keys.ready().completeOnTimeout(null, tablesWaitMillis, TimeUnit.MILLISECONDS));
    }

    /** Blocking {@link #refresh()}. @throws JwksUnavailableException when the fetch fails */
    void refreshBlocking() {
        try {
            refresh().get(awaitMillis + tablesWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JwksUnavailableException("JWKS " + uri + " fetch interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JwksUnavailableException unavailable) {
                throw unavailable;
            }
            throw new JwksUnavailableException(describe(e));
        } catch (TimeoutException e) {
            throw new JwksUnavailableException("JWKS " + uri + " failed: timed out");
        }
    }

    /**
     * @return one line naming the URL and why the latest fetch failed, for a
     *         {@link JwksUnavailableException}: {@code JWKS <url> answered 400 invalid_request: …} or
     *         {@code JWKS <url> failed: <reason>}
     */
    String unavailable() {
        String failure = lastFailure;
        return failure != null ? failure : "JWKS " + uri + " failed: no usable key set";
    }

    /**
     * A 400 to the zone-less URL is what a Caracal STS answers when no zone is configured
     * (verification.md §3.1), so that line says how to fix it.
     */
    private String describe(Throwable failure) {
        Throwable cause = cause(failure);
        if (cause instanceof JwksFetchException answered && answered.status() != 0) {
            boolean zoneMissing = answered.status() == 400 && uri.getRawQuery() == null;
            return "JWKS " + uri + " " + cause.getMessage() + (zoneMissing ? "; no zone is configured: set CARACAL_ZONE_ID" : "");
        }
        return "JWKS " + uri + " failed: " + reason(failure);
    }

    /** How badly a caller needs a fetch. */
    private enum Need {
        /** cold or expired: held back only by the failure back-off */
        REQUIRED,
        /** background refresh or unknown kid: at most one start per cooldown, and not during back-off */
        COOLED_DOWN,
        /** warm-up: always fetch */
        FORCED
    }

    /**
     * Joins the fetch in flight, or answers with a set that another caller fetched since {@code observed}
     * was read, or starts a fetch if {@code need} allows it.
     *
     * @return the set to come, or {@code null} when the cooldown or the back-off holds a fetch back
     */
    private CompletableFuture<KeySet> fetch(KeySet observed, long now, Need need, Tracing tracing) {
        CompletableFuture<KeySet> started;
        synchronized (this) {
            if (inFlight != null) {
                return inFlight;
            }
            KeySet latest = held;
            if (need != Need.FORCED && latest != observed) {
                return CompletableFuture.completedFuture(latest);
            }
            if (need != Need.FORCED && now < backoffUntil) {
                return null;
            }
            if (need == Need.COOLED_DOWN && now < nextRefetchAt) {
                return null;
            }
            nextRefetchAt = now + policy.cooldownMillis();
            started = new CompletableFuture<>();
            inFlight = started;
        }
        Tracing.Span span = tracing.jwksFetch(uri);
        if (span != Tracing.Span.NONE) {
            started.whenComplete((keys, failure) -> span.stop(keys != null ? "success" : "failure", null, null));
        }
        CompletionStage<byte[]> body;
        try {
            body = policy.fetcher().fetch(uri, policy.fetchTimeout(), policy.maxBytes());
        } catch (RuntimeException e) {
            body = CompletableFuture.failedFuture(e);
        }
        if (body == null) {
            body = CompletableFuture.failedFuture(new JwksFetchException("the fetcher returned no stage"));
        }
        CompletableFuture<byte[]> bounded = new CompletableFuture<>();
        CompletionStage<byte[]> fetching = body;
        bounded.orTimeout(policy.fetchTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((bytes, failure) -> {
                    if (failure != null) {
                        cancel(fetching);
                    }
                    completed(started, bytes, failure);
                });
        body.whenComplete((bytes, failure) -> {
            if (failure != null) {
                bounded.completeExceptionally(failure);
            } else {
                bounded.complete(bytes);
            }
        });
        return started;
    }

    /** Asks a fetcher's stage to stop (a courtesy: the fetcher owns its I/O, and some stages refuse). */
    private static void cancel(CompletionStage<byte[]> fetching) {
        try {
            fetching.toCompletableFuture().cancel(true);
        } catch (RuntimeException ignored) {
            // UnsupportedOperationException from a minimal stage: nothing more to do
        }
    }

    private void completed(CompletableFuture<KeySet> fetch, byte[] body, Throwable failure) {
        Map<String, VerificationKey> keys = null;
        Throwable problem = failure;
        if (problem == null) {
            try {
                if (body == null || body.length > policy.maxBytes()) {
                    throw new JwksFetchException(body == null ? "no body" : "body above " + policy.maxBytes() + " bytes");
                }
                KeySet previous = held;
                keys = JwksDocument.parse(body, policy.engine(), previous == null ? Map.of() : previous.keys());
            } catch (RuntimeException e) {
                problem = e;
            }
        }
        KeySet arrived = null;
        synchronized (this) {
            long now = policy.clock().millis();
            if (keys != null) {
                arrived = new KeySet(keys, now);
                held = arrived;
                consecutiveFailures = 0;
                backoffUntil = Long.MIN_VALUE;
            } else {
                consecutiveFailures = Math.min(consecutiveFailures + 1, 64);
                backoffUntil = now + policy.backoffMillis(consecutiveFailures);
            }
            if (inFlight == fetch) {
                inFlight = null;
            }
        }
        // Listeners hear of the fetch before its waiters continue, so a caller that saw the outcome finds it counted.
        report(arrived != null ? VerificationListener.JwksFetch.SUCCESS : VerificationListener.JwksFetch.FAILURE);
        if (arrived != null) {
            if (lastFailure != null) {
                log.info("JWKS {} answers again: {} usable key(s)", uri, keys.size());
            }
            lastFailure = null;
            log.debug("JWKS fetched from {}: {} usable key(s)", uri, keys.size());
            fetch.complete(arrived);
        } else {
            lastFailure = describe(problem);
            warnFetchFailed(lastFailure);
            fetch.completeExceptionally(problem);
        }
    }

    /**
     * A failed fetch is an outage of the issuer (or of the network to it), never something a caller's
     * token can cause: one WARN per {@value #WARN_INTERVAL_MILLIS} ms per key set URL says what failed,
     * where, and what mandates get meanwhile.
     */
    private void warnFetchFailed(String failure) {
        if (!fetchWarning.admit()) {
            log.debug("{}", failure);
            return;
        }
        KeySet current = held;
        long age = current == null ? -1 : policy.clock().millis() - current.fetchedAt();
        if (current != null && age < policy.maxStaleMillis()) {
            log.warn("{}; the key set fetched {} s ago still verifies mandates (until it is {} s old)", failure,
                    age / 1000, policy.maxStaleMillis() / 1000);
        } else {
            log.warn("{}; mandates are rejected as invalid_token (cause keys_unavailable) until it answers. "
                    + "Further failures of this URL are logged at most every {} s", failure, WARN_INTERVAL_MILLIS / 1000);
        }
    }

    private void report(VerificationListener.JwksFetch outcome) {
        for (VerificationListener listener : policy.listeners()) {
            try {
                listener.jwksFetched(uri, outcome);
            } catch (RuntimeException e) {
                ListenerFailures.record(e);
            }
        }
    }

    private static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static String reason(Throwable failure) {
        Throwable cause = cause(failure);
        if (cause == null) {
            return "unknown";
        }
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            return "timed out";
        }
        String message = cause.getMessage();
        if (cause instanceof java.io.IOException) {
            return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        }
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /** A fetched key set and when it arrived, published together. */
    private record KeySet(Map<String, VerificationKey> keys, long fetchedAt) {

        KeyLookup lookup(String kid) {
            VerificationKey key = keys.get(kid);
            return key != null ? key : KeyLookup.Missing.UNKNOWN_KID;
        }

        /** @return completes when every key verifies at full speed (tables built) */
        CompletableFuture<Void> ready() {
            return CompletableFuture.allOf(keys.values().stream().map(VerificationKey::ready).toArray(CompletableFuture[]::new));
        }
    }
}
