package ai.caracal.verify.http;

import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open connection (an SSE stream, a WebSocket) tracked by {@link LiveConnections}: the handle
 * {@link LiveConnections#open} returns. The connector calls {@link #close()} when the connection ends by
 * itself, so that it is no longer re-checked; the registry ends it (once) when its mandate expires, is
 * revoked or becomes stale. Thread-safe.
 */
public final class LiveConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveConnection.class);

    private final LiveConnections registry;
    private final Claims claims;
    private final long expiresAtMillis;
    private final long epochClaim;
    private final Consumer<ErrorCode> end;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile ErrorCode endedWith;
    private volatile Future<?> expiry;

    LiveConnection(LiveConnections registry, Claims claims, Consumer<ErrorCode> end) {
        this.registry = registry;
        this.claims = claims;
        this.expiresAtMillis = claims.expiresAt().toEpochMilli();
        this.epochClaim = claims.delegationGraphEpoch().orElse(-1L);
        this.end = end;
    }

    /** @return the verified claims the connection was opened with */
    public Claims claims() {
        return claims;
    }

    /**
     * @return {@code true} once the registry has ended the connection (its mandate expired, was revoked or
     *         became stale, or could not be re-checked)
     */
    public boolean ended() {
        return endedWith != null;
    }

    /**
     * Stops tracking the connection: for the connector, when the connection ends by itself (the client
     * left, the application completed the response). Idempotent; after the registry ended the
     * connection it does nothing.
     */
    @Override
    public void close() {
        if (done.compareAndSet(false, true)) {
            forget();
        }
    }

    /**
     * Ends the connection with {@code code} unless it has ended or been closed already: calls the
     * connector's end action once, then forgets the connection.
     */
    void end(ErrorCode code) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        endedWith = code;
        forget();
        log.debug("Caracal ended a live connection: {}", code.wire());
        try {
            end.accept(code);
        } catch (RuntimeException e) {
            log.warn("Ending a live connection ({}) failed; it is no longer tracked ({})", code.wire(), e.toString());
        }
    }

    /** Called by the registry once the expiry task is scheduled; cancels it at once if already done. */
    void expiry(Future<?> task) {
        expiry = task;
        if (done.get()) {
            task.cancel(false);
        }
    }

    boolean isDone() {
        return done.get();
    }

    long expiresAtMillis() {
        return expiresAtMillis;
    }

    List<String> anchors() {
        return claims.anchors();
    }

    String zoneId() {
        return claims.zoneId();
    }

    /** @return the {@code delegation_graph_epoch} claim, {@code -1} when absent */
    long epochClaim() {
        return epochClaim;
    }

    private void forget() {
        Future<?> task = expiry;
        if (task != null) {
            task.cancel(false);
        }
        registry.forget(this);
    }
}
