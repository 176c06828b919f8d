package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.revocation.internal.RateLimitedWarning;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one shared, multiplexed connection: either handed in by the caller (never closed here),
 * or opened from a client on a background thread and owned (closed by {@link #close()}).
 *
 * <p>Opening from a client never blocks the caller: Lettuce's {@code connect()} can block for its whole
 * connect timeout (10 s by default), so a daemon thread named {@code caracal-redis-connect} calls it,
 * retrying after 100 ms, doubling up to every 2 s, until it succeeds or the link is closed; each attempt
 * is waited for at most {@link BoundedConnect#WAIT}. Once open, Lettuce's own auto-reconnect keeps the
 * connection alive after a closed socket and the thread ends. Client-level settings are never changed.
 *
 * <p><b>Silent peer (state.md S71).</b> A Redis that stops answering without closing the socket (host
 * gone, packets dropped, server frozen) leaves the connection open, so auto-reconnect never starts and
 * every command would time out until TCP gives up, about 15 minutes later. The link therefore counts
 * consecutive command time-outs: after {@value #TIMEOUTS_BEFORE_RECONNECT} in a row, with no reply in
 * between, it drops an owned connection (closing it fails the commands still waiting on it) and opens a
 * new one in the background, as at start. A connection handed in by the caller is never closed: then the
 * link only warns (at most every 10 s) that the caller must reconnect it or bound it with TCP keep-alive
 * / {@code TCP_USER_TIMEOUT}.
 *
 * <p>It also bounds every wait: {@link #await} gives a command until its {@link #deadline()}, the
 * store's {@code commandTimeout}, without touching the connection's own timeout settings.
 *
 * <p>Thread-safe. {@link #commands(long)} reads one volatile field on the hot path.
 */
final class RedisLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisRevocationStore.class);
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final long MAX_RETRY_MILLIS = 2_000;
    /** Consecutive command time-outs after which the connection is taken for silent and replaced. */
    static final int TIMEOUTS_BEFORE_RECONNECT = 3;

    /** An open connection and its async commands, published together. */
    private static final class Open {
        final StatefulConnection<String, String> connection;
        final RedisClusterAsyncCommands<String, String> commands;
        /** Standalone connections report a dropped socket through {@code isOpen()}; cluster ones do not. */
        final boolean standalone;
        /** The commands as a finished stage, built once: the asynchronous hot path allocates nothing for it. */
        final CompletableFuture<RedisClusterAsyncCommands<String, String>> ready;

        Open(StatefulConnection<String, String> connection, RedisClusterAsyncCommands<String, String> commands,
                boolean standalone) {
            this.connection = connection;
            this.commands = commands;
            this.standalone = standalone;
            this.ready = CompletableFuture.completedFuture(commands);
        }
    }

    private final Supplier<Open> opener;
    /** {@code null} for a caller's connection. */
    private final BoundedConnect<Open> connector;
    private final boolean owned;
    private final long timeoutNanos;
    private final long timeoutMillis;
    private final String description;
    private final RateLimitedWarning connectWarning = new RateLimitedWarning(Duration.ofSeconds(10));
    private final RateLimitedWarning silentWarning = new RateLimitedWarning(Duration.ofSeconds(10));
    private final AtomicInteger consecutiveTimeouts = new AtomicInteger();
    /** Set when a silent connection was dropped, until the next one is open. */
    private volatile boolean replaced;
    /** Time-outs before this {@link System#nanoTime()} are not counted (those of a dropped connection). */
    private volatile long countTimeoutsFrom = System.nanoTime();
    private volatile Open open;
    private volatile CompletableFuture<Void> attempt;
    private volatile boolean closed;

    private RedisLink(Open given, Supplier<Open> opener, String description, Duration timeout) {
        this.open = given;
        this.opener = opener;
        this.owned = opener != null;
        this.connector = opener == null ? null
                : new BoundedConnect<>(opener, late -> late.connection.closeAsync(), description);
        this.description = description;
        this.timeoutNanos = saturated(timeout, TimeUnit.NANOSECONDS);
        this.timeoutMillis = saturated(timeout, TimeUnit.MILLISECONDS);
    }

    static RedisLink of(StatefulRedisConnection<String, String> connection, Duration timeout) {
        return new RedisLink(new Open(connection, connection.async(), true), null, "Redis", timeout);
    }

    static RedisLink of(StatefulRedisClusterConnection<String, String> connection, Duration timeout) {
        return new RedisLink(new Open(connection, connection.async(), false), null, "Redis Cluster", timeout);
    }

    static RedisLink opening(RedisClient client, Duration timeout) {
        return new RedisLink(null, () -> {
            StatefulRedisConnection<String, String> connection = client.connect();
            return new Open(connection, connection.async(), true);
        }, "Redis", timeout);
    }

    static RedisLink opening(RedisClusterClient client, Duration timeout) {
        return new RedisLink(null, () -> {
            StatefulRedisClusterConnection<String, String> connection = client.connect();
            return new Open(connection, connection.async(), false);
        }, "Redis Cluster", timeout);
    }

    /**
     * Starts using the link. A caller's connection is ready at once; a client's is opened in the
     * background.
     *
     * @param onOpen called once with the commands when the connection is first usable (on the
     *               background thread for a client)
     */
    void start(Consumer<RedisClusterAsyncCommands<String, String>> onOpen) {
        if (!owned) {
            onOpen.accept(open.commands);
            return;
        }
        attempt = new CompletableFuture<>();
        Thread thread = new Thread(() -> connectUntilOpen(onOpen), "caracal-redis-connect");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the {@link System#nanoTime()} by which a command sent now must be answered */
    long deadline() {
        return System.nanoTime() + timeoutNanos;
    }

    /**
     * @param deadline from {@link #deadline()}; bounds the wait for a connect attempt in flight
     * @return the open connection's commands
     * @throws RevocationStoreException when there is none: not connected yet, the socket is down, or the
     *                                  link is closed
     */
    RedisClusterAsyncCommands<String, String> commands(long deadline) {
        Open current = open;
        if (current == null) {
            current = awaitAttempt(deadline);
        }
        // A dropped standalone socket is being re-opened by auto-reconnect: queueing behind it would only
        // wait out the timeout.
        if (current == null || current.standalone && !current.connection.isOpen()) {
            throw new RevocationStoreException(unavailableReason());
        }
        return current.commands;
    }

    /**
     * {@link #commands(long)} without blocking: the stage is complete at once when the connection is
     * open; while a connect attempt is in flight it completes when the attempt ends. Bound the wait with
     * your own deadline.
     *
     * @return the open connection's commands, or a stage failed with {@link RevocationStoreException}
     *         when there is none
     */
    CompletableFuture<RedisClusterAsyncCommands<String, String>> commandsAsync() {
        Open current = open;
        if (current != null) {
            return current.standalone && !current.connection.isOpen()
                    ? CompletableFuture.failedFuture(new RevocationStoreException(unavailableReason()))
                    : current.ready;
        }
        CompletableFuture<Void> inFlight = attempt;
        if (inFlight == null) {
            return CompletableFuture.failedFuture(new RevocationStoreException(unavailableReason()));
        }
        return inFlight.thenCompose(ignored -> {
            Open opened = open;
            return opened != null ? opened.ready
                    : CompletableFuture.failedFuture(new RevocationStoreException(unavailableReason()));
        });
    }

    /** @return the store's command timeout in milliseconds, for deadlines of asynchronous calls */
    long timeoutMillis() {
        return timeoutMillis;
    }

    /**
     * Waits for a command's reply until the deadline; a command not answered by then is cancelled.
     *
     * @param future  the command sent
     * @param command its name, for messages
     * @param deadline from {@link #deadline()}
     * @param <T>     the reply type
     * @return the reply
     * @throws RevocationStoreException on a Redis error, a timeout or an interrupt
     */
    <T> T await(RedisFuture<T> future, String command, long deadline) {
        try {
            T reply = future.get(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            answered();
            return reply;
        } catch (TimeoutException e) {
            future.cancel(false);
            timedOut();
            throw new RevocationStoreException(command + " got no reply within " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RedisCommandTimeoutException) {
                timedOut();
            } else {
                answered();
            }
            throw new RevocationStoreException(command + " failed: " + cause.getMessage(), cause);
        } catch (CancellationException e) {
            throw new RevocationStoreException(command + " was cancelled", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw new RevocationStoreException(command + " was interrupted", e);
        }
    }

    /** A command got a reply (or a Redis error, which is a reply too): the peer is alive. */
    void answered() {
        if (consecutiveTimeouts.get() != 0) {
            consecutiveTimeouts.set(0);
        }
    }

    /**
     * A command got no reply within its time-out. The {@value #TIMEOUTS_BEFORE_RECONNECT}th in a row
     * replaces an owned connection (S71).
     */
    void timedOut() {
        // Commands sent on a connection just dropped time out shortly after it: they say nothing of the next one.
        if (System.nanoTime() - countTimeoutsFrom < 0
                || consecutiveTimeouts.incrementAndGet() != TIMEOUTS_BEFORE_RECONNECT) {
            return;
        }
        countTimeoutsFrom = System.nanoTime() + 2 * Math.min(timeoutNanos, TimeUnit.MINUTES.toNanos(1))
                + TimeUnit.MILLISECONDS.toNanos(500);
        consecutiveTimeouts.set(0);
        if (!owned) {
            if (silentWarning.admit()) {
                log.warn("{} did not answer {} commands in a row. The connection was handed to the store, which "
                        + "never closes it: reconnect it yourself, or let the client detect a silent peer (TCP "
                        + "keep-alive, TCP_USER_TIMEOUT); lookups fail as configured meanwhile", description,
                        TIMEOUTS_BEFORE_RECONNECT);
            }
            return;
        }
        Open silent;
        synchronized (this) {
            silent = open;
            if (closed || silent == null) {
                return;
            }
            open = null;
            attempt = new CompletableFuture<>();
        }
        replaced = true;
        if (silentWarning.admit()) {
            log.warn("{} did not answer {} commands in a row (each within {} ms) though the connection is open: "
                    + "taking the peer for silent, dropping the connection and reconnecting; lookups fail as "
                    + "configured meanwhile", description, TIMEOUTS_BEFORE_RECONNECT, timeoutMillis);
        } else {
            log.debug("{} silent again; reconnecting", description);
        }
        silent.connection.closeAsync();
        Thread thread = new Thread(() -> connectUntilOpen(commands -> {
        }), "caracal-redis-connect");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return {@code Redis} or {@code Redis Cluster}, for log lines */
    String description() {
        return description;
    }

    private String unavailableReason() {
        if (closed) {
            return "the store is closed";
        }
        return open == null ? "not connected to " + description + " yet"
                : "the connection to " + description + " is down";
    }

    @Override
    public void close() {
        Open toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = owned ? open : null;
            open = null;
            // Wakes the connect thread from its back-off; an attempt in flight finishes and is discarded.
            notifyAll();
        }
        if (toClose != null) {
            toClose.connection.close();
        }
        if (connector != null) {
            connector.close();
        }
    }

    private Open awaitAttempt(long deadline) {
        CompletableFuture<Void> inFlight = attempt;
        if (inFlight == null) {
            return null;
        }
        try {
            inFlight.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return open;
    }

    private void connectUntilOpen(Consumer<RedisClusterAsyncCommands<String, String>> onOpen) {
        long retryMillis = FIRST_RETRY_MILLIS;
        while (!closed) {
            if (attempt == null) {
                attempt = new CompletableFuture<>();
            }
            Open opened;
            try {
                opened = connector.open();
            } catch (IllegalStateException | IllegalArgumentException e) {
                log.error("Cannot connect the revocation store to {}, and retrying will not help: {}", description,
                        e.getMessage());
                finishAttempt();
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    finishAttempt();
                    return;
                }
                if (connectWarning.admit()) {
                    log.warn("Cannot connect the revocation store to {} yet; retrying in the background, lookups "
                            + "fail as configured meanwhile: {}", description, e.getMessage());
                } else {
                    log.debug("Connect attempt to {} failed", description, e);
                }
                finishAttempt();
                if (!sleep(retryMillis)) {
                    return;
                }
                retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
                continue;
            }
            synchronized (this) {
                if (closed) {
                    opened.connection.closeAsync();
                    finishAttempt();
                    return;
                }
                open = opened;
            }
            finishAttempt();
            if (replaced) {
                replaced = false;
                log.info("Revocation store connected to {} again", description);
            } else {
                log.debug("Revocation store connected to {}", description);
            }
            onOpen.accept(opened.commands);
            return;
        }
    }

    /** Ends the attempt in flight and wakes the lookups waiting for it. */
    private void finishAttempt() {
        CompletableFuture<Void> finished = attempt;
        attempt = null;
        if (finished != null) {
            finished.complete(null);
        }
    }

    private static long saturated(Duration duration, TimeUnit unit) {
        try {
            return unit == TimeUnit.NANOSECONDS ? duration.toNanos() : duration.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** @return {@code false} when the link was closed meanwhile */
    private synchronized boolean sleep(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            long left = millis;
            while (!closed && left > 0) {
                wait(left);
                left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !closed;
    }
}
