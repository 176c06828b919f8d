package ai.caracal.verify;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cached key set of one (issuer, zone), with the refresh rules of verification.md §3.5.
 *
 * <ul>
 *   <li>cold, or older than {@code maxStale}: a synchronous fetch, shared by concurrent callers and
 *       never held back by the cooldown; on failure nothing is used;</li>
 *   <li>older than {@code ttl}: the cached set is used and one background refresh starts, at most once
 *       per cooldown; a failed refresh keeps the set;</li>
 *   <li>unknown {@code kid}: one coalesced synchronous refetch, at most once per cooldown, then one
 *       retry of the lookup.</li>
 * </ul>
 *
 * <p>Thread-safe: the key map and timestamps are published through volatile fields, and the single
 * in-flight fetch is guarded by this object's monitor.
 */
final class JwksEntry {

    private static final Logger log = LoggerFactory.getLogger(JwksEntry.class);

    private final URI uri;
    private final JwksCache cache;

    private volatile KeySnapshot snapshot;
    /** Why the latest fetch failed, or {@code null} when it succeeded (or none finished yet). */
    private volatile String lastFailure;
    private long nextAttemptAllowedAt = Long.MIN_VALUE;
    private CompletableFuture<Map<String, VerificationKey>> inFlight;

    JwksEntry(URI uri, JwksCache cache) {
        this.uri = uri;
        this.cache = cache;
    }

    /**
     * @return the key for {@code kid}, or {@code null} when there is none (unknown kid, or no usable key
     *         set); never throws
     */
    VerificationKey find(String kid) {
        long now = cache.clock().millis();
        KeySnapshot observed = snapshot;
        Map<String, VerificationKey> current;
        if (observed == null || now - observed.fetchedAt >= cache.maxStaleMillis()) {
            current = await(fetch(observed, now, Need.REQUIRED));
            if (current == null) {
                return null;
            }
        } else {
            current = observed.keys;
            if (now - observed.fetchedAt >= cache.ttlMillis()) {
                fetch(observed, now, Need.COOLED_DOWN);
            }
        }
        VerificationKey key = current.get(kid);
        if (key != null) {
            return key;
        }
        CompletableFuture<Map<String, VerificationKey>> refetch = fetch(observed, now, Need.COOLED_DOWN);
        if (refetch == null) {
            log.debug("JWKS refetch for an unknown kid held back by the cooldown: {}", uri);
            cache.fetched(uri, VerificationListener.JwksFetch.REJECTED_COOLDOWN);
            return null;
        }
        Map<String, VerificationKey> refreshed = await(refetch);
        return refreshed == null ? null : refreshed.get(kid);
    }

    /** @return whether a key set younger than {@code maxStale} is held */
    boolean hasUsableKeys() {
        KeySnapshot current = snapshot;
        return current != null && cache.clock().millis() - current.fetchedAt < cache.maxStaleMillis();
    }

    /**
     * Fetches now, bypassing the cooldown (joins a fetch already in flight).
     *
     * @throws JwksUnavailableException when the fetch fails
     */
    void refreshNow() {
        CompletableFuture<Map<String, VerificationKey>> fetch = fetch(snapshot, cache.clock().millis(), Need.FORCED);
        try {
            fetch.get(cache.awaitMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JwksUnavailableException("JWKS " + uri + " fetch interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new JwksUnavailableException(describe(e));
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
        if (cause instanceof JwksFetchException && ((JwksFetchException) cause).status() != 0) {
            boolean zoneMissing = ((JwksFetchException) cause).status() == 400 && uri.getRawQuery() == null;
            return "JWKS " + uri + " " + cause.getMessage() + (zoneMissing ? "; no zone is configured: set CARACAL_ZONE_ID" : "");
        }
        return "JWKS " + uri + " failed: " + reason(failure);
    }

    /** How badly a caller needs a fetch. */
    private enum Need {
        /** cold or expired: never held back by the cooldown */
        REQUIRED,
        /** background refresh or unknown kid: at most one start per cooldown */
        COOLED_DOWN,
        /** warmup: always fetch */
        FORCED
    }

    /**
     * Joins the fetch in flight, or uses a key set that another caller fetched since {@code observed}
     * was read, or starts a fetch if {@code need} allows it.
     *
     * @return the keys to come, or {@code null} when the cooldown holds a fetch back
     */
    private synchronized CompletableFuture<Map<String, VerificationKey>> fetch(KeySnapshot observed, long now, Need need) {
        if (inFlight != null) {
            return inFlight;
        }
        KeySnapshot latest = snapshot;
        if (need != Need.FORCED && latest != observed) {
            return CompletableFuture.completedFuture(latest.keys);
        }
        if (need == Need.COOLED_DOWN && now < nextAttemptAllowedAt) {
            return null;
        }
        nextAttemptAllowedAt = now + cache.cooldownMillis();
        CompletableFuture<Map<String, VerificationKey>> fetch = cache.fetcher().fetch(uri);
        inFlight = fetch;
        fetch.whenComplete((result, failure) -> completed(fetch, result, failure));
        return fetch;
    }

    private synchronized void completed(CompletableFuture<Map<String, VerificationKey>> fetch,
                                        Map<String, VerificationKey> result, Throwable failure) {
        if (result != null) {
            snapshot = new KeySnapshot(result, cache.clock().millis());
            log.debug("JWKS fetched from {}: {} usable key(s)", uri, result.size());
            lastFailure = null;
        } else {
            lastFailure = describe(failure);
            log.debug("{}", lastFailure);
        }
        cache.fetched(uri, result != null ? VerificationListener.JwksFetch.SUCCESS : VerificationListener.JwksFetch.FAILURE);
        if (inFlight == fetch) {
            inFlight = null;
        }
    }

    private Map<String, VerificationKey> await(CompletableFuture<Map<String, VerificationKey>> fetch) {
        try {
            return fetch.get(cache.awaitMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            // Also recorded here: completed() may run on the fetching thread after this one wakes up.
            lastFailure = describe(e);
            return null;
        }
    }

    private static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String reason(Throwable failure) {
        Throwable cause = cause(failure);
        if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        String message = cause.getMessage();
        if (cause instanceof java.io.IOException) {
            return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        }
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /** A fetched key set and when it arrived, published together. */
    private static final class KeySnapshot {
        final Map<String, VerificationKey> keys;
        final long fetchedAt;

        KeySnapshot(Map<String, VerificationKey> keys, long fetchedAt) {
            this.keys = keys;
            this.fetchedAt = fetchedAt;
        }
    }
}
