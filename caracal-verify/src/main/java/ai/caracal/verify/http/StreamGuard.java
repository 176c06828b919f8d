package ai.caracal.verify.http;

import ai.caracal.verify.ErrorCode;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For connectors: serialises the application's writes to one live response (an SSE stream) with the end
 * of that response (connectors.md §10.4). Every write of the connector's stream wrapper runs between
 * {@link #enter()} and {@link #exit()}, under a lock; {@link #end} marks the response ended and closes the
 * container's stream (which completes the response) when no write is in progress, otherwise the write in
 * progress closes it as it finishes. Later writes fail with an {@link IOException} naming the error code.
 * The ending thread never waits for a write, so a slow client cannot hold the re-check thread.
 *
 * <pre>{@code
 * StreamGuard guard = new StreamGuard(containerStream);
 * LiveConnection connection = boundary.liveConnections().open(claims, guard::end);
 * // in the wrapper's write(...): guard.enter(); try { containerStream.write(...); } finally { guard.exit(); }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class StreamGuard {

    private static final Logger log = LoggerFactory.getLogger(StreamGuard.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Closeable target;
    private volatile ErrorCode endedWith;
    private boolean targetClosed;

    /** @param target the container's stream (or writer) of the response; closed once, by the end or the application */
    public StreamGuard(Closeable target) {
        this.target = target;
    }

    /**
     * Takes the lock for one write.
     *
     * @throws IOException when the response has ended (the lock is then released)
     */
    public void enter() throws IOException {
        lock.lock();
        ErrorCode code = endedWith;
        if (code != null) {
            closeTargetLocked();
            lock.unlock();
            throw new IOException("the response was ended: its mandate no longer holds (" + code.wire() + ")");
        }
    }

    /** Releases the lock taken by {@link #enter()}, closing the container's stream first if the response ended meanwhile. */
    public void exit() {
        try {
            if (endedWith != null) {
                closeTargetLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the response: closes the container's stream now, or as soon as the write in progress
     * finishes. Never blocks.
     *
     * @param code why; named by the {@link IOException} of later writes
     */
    public void end(ErrorCode code) {
        endedWith = code;
        if (lock.tryLock()) {
            try {
                closeTargetLocked();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * The application closes its stream: closes the container's, unless the end did already.
     *
     * @throws IOException when the container's stream fails to close
     */
    public void closeFromApplication() throws IOException {
        lock.lock();
        try {
            if (!targetClosed) {
                targetClosed = true;
                target.close();
            }
        } finally {
            lock.unlock();
        }
    }

    private void closeTargetLocked() {
        if (targetClosed) {
            return;
        }
        targetClosed = true;
        try {
            target.close();
        } catch (IOException | RuntimeException e) {
            log.debug("Closing an ended live response failed (the client may be gone already): {}", e.toString());
        }
    }
}
