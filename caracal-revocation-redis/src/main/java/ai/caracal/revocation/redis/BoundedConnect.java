package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStoreException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Opens connections with Lettuce's blocking {@code connect()}, waiting for one at most {@link #WAIT} per
 * call (state.md S71). Lettuce waits for the connection handshake as long as the client's {@code RedisURI}
 * timeout (60 s by default): a server that accepts the TCP connection but never answers (a frozen server,
 * a proxy in front of a vanished one) would otherwise hold a reconnect that long, and the connection
 * would be silent once open.
 *
 * <p>Each attempt runs on its own daemon thread ({@code caracal-redis-connect-attempt}) until Lettuce
 * returns. A call that gives up waiting leaves its attempt running; the next call starts another one
 * and takes whichever succeeds first, so a merely slow connect
 * (a cold JVM on a busy machine) is still used, while one stuck on a silent server is overtaken. A
 * success nobody takes is kept for the next call, and closed by {@link #close()}; further successes are
 * closed at once. A refused connection fails the waiting call at once, as before. Thread-safe.
 *
 * @param <T> the connection type
 */
final class BoundedConnect<T> implements AutoCloseable {

    /** How long one call waits for a connection. */
    static final Duration WAIT = Duration.ofSeconds(5);
    /**
     * Attempts allowed in flight at once: a bound on threads and sockets, above what a silent server
     * accumulates (one attempt per wait, each stuck for the client's {@code RedisURI} timeout, 60 s by
     * default); an attempt stuck on a server that went silent must never keep a new one from starting.
     */
    static final int MAX_IN_FLIGHT = 16;

    private final Supplier<T> opener;
    private final Consumer<T> closer;
    private final String what;

    // Guarded by this.
    private int inFlight;
    private T unclaimed;
    private CompletableFuture<T> waiter;
    private boolean closed;

    /**
     * @param opener Lettuce's blocking connect
     * @param closer closes a connection nobody needs any more
     * @param what   what is connected to, for messages
     */
    BoundedConnect(Supplier<T> opener, Consumer<T> closer, String what) {
        this.opener = opener;
        this.closer = closer;
        this.what = what;
    }

    /**
     * @return an open connection, now yours
     * @throws RevocationStoreException when none is open within {@link #WAIT}, or after {@link #close()}
     * @throws RuntimeException         what the connect threw (a refused connection, a bad URI), unchanged
     */
    T open() {
        CompletableFuture<T> mine = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                throw new RevocationStoreException("the connection to " + what + " is closed");
            }
            if (unclaimed != null) {
                T ready = unclaimed;
                unclaimed = null;
                return ready;
            }
            waiter = mine;
            if (inFlight < MAX_IN_FLIGHT) {
                inFlight++;
                Thread thread = new Thread(this::attempt, "caracal-redis-connect-attempt");
                thread.setDaemon(true);
                thread.start();
            }
        }
        try {
            return mine.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return giveUp(mine, new RevocationStoreException("no connection to " + what + " within " + WAIT.toSeconds()
                    + " s (the server accepted no connection or did not answer its handshake)"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new RevocationStoreException("cannot connect to " + what + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return giveUp(mine, new RevocationStoreException("interrupted while connecting to " + what, e));
        }
    }

    /** Closes a connection opened but never taken; later ones are closed as they arrive. Idempotent. */
    @Override
    public void close() {
        T leftover;
        synchronized (this) {
            closed = true;
            leftover = unclaimed;
            unclaimed = null;
        }
        if (leftover != null) {
            closer.accept(leftover);
        }
    }

    private T giveUp(CompletableFuture<T> mine, RevocationStoreException failure) {
        synchronized (this) {
            if (waiter == mine) {
                waiter = null;
            }
        }
        // It may have been handed a connection just now.
        T late = mine.getNow(null);
        if (late != null) {
            return late;
        }
        throw failure;
    }

    private void attempt() {
        T opened;
        try {
            opened = opener.get();
        } catch (RuntimeException | Error e) {
            CompletableFuture<T> failed;
            synchronized (this) {
                inFlight--;
                failed = inFlight == 0 ? waiter : null;
                if (failed != null) {
                    waiter = null;
                }
            }
            if (failed != null) {
                failed.completeExceptionally(e);
            }
            return;
        }
        CompletableFuture<T> taker;
        boolean surplus = false;
        synchronized (this) {
            inFlight--;
            taker = waiter;
            waiter = null;
            if (taker == null) {
                if (closed || unclaimed != null) {
                    surplus = true;
                } else {
                    unclaimed = opened;
                }
            }
        }
        if (taker != null && !taker.complete(opened)) {
            surplus = true;
        }
        if (surplus) {
            closer.accept(opened);
        }
    }
}
