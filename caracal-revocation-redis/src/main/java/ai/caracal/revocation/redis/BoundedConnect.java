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
 * Opens a connection with Lettuce's blocking {@code connect()} but waits for it at most a bound (state.md
 * S71). Lettuce waits for the connection handshake as long as the client's {@code RedisURI} timeout
 * (60 s by default): a Redis that accepts the TCP connection but never answers (a frozen server, a proxy
 * in front of a vanished one) would hold a reconnect that long, and the connection it eventually opens
 * could still be a silent one. Past the bound the attempt is abandoned: it goes on on its own daemon
 * thread ({@code caracal-redis-connect-attempt}) until Lettuce gives up, and a connection it opens late
 * is closed at once. Stateless; thread-safe.
 */
final class BoundedConnect {

    /** How long one connect attempt is waited for. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private BoundedConnect() {
    }

    /**
     * @param opener    Lettuce's blocking connect
     * @param closeLate closes a connection that arrived after the wait was given up
     * @param what      what is connected to, for the message
     * @param <T>       the connection type
     * @return the open connection
     * @throws RevocationStoreException when the attempt did not finish within {@link #WAIT}
     * @throws RuntimeException         what the opener threw, unchanged
     */
    static <T> T open(Supplier<T> opener, Consumer<T> closeLate, String what) {
        CompletableFuture<T> attempt = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                attempt.complete(opener.get());
            } catch (Throwable e) {
                attempt.completeExceptionally(e);
            }
        }, "caracal-redis-connect-attempt");
        thread.setDaemon(true);
        thread.start();
        try {
            return attempt.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            attempt.thenAccept(closeLate);
            throw new RevocationStoreException("no connection to " + what + " within " + WAIT.toSeconds()
                    + " s (the server accepted no connection or did not answer its handshake)");
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
            attempt.thenAccept(closeLate);
            throw new RevocationStoreException("interrupted while connecting to " + what, e);
        }
    }
}
