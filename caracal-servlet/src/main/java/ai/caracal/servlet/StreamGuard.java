package ai.caracal.servlet;

import ai.caracal.verify.ErrorCode;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises the application's writes to one live response with the end of that response
 * (connectors.md §10.4): every write runs under a lock; {@link #end} marks the response ended and
 * closes the container's stream (which completes the response) when no write is in progress, otherwise
 * the write in progress closes it as it finishes. Later writes fail with an {@link IOException}. The
 * ending thread never waits for a write, so a slow client cannot hold the re-check thread.
 */
final class StreamGuard {

    private static final Logger log = LoggerFactory.getLogger(StreamGuard.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Closeable target;
    private volatile ErrorCode endedWith;
    private boolean targetClosed;

    StreamGuard(Closeable target) {
        this.target = target;
    }

    /** Takes the lock for one write; throws (lock released) when the response has ended. */
    void enter() throws IOException {
        lock.lock();
        ErrorCode code = endedWith;
        if (code != null) {
            closeTargetLocked();
            lock.unlock();
            throw new IOException("the response was ended: its mandate no longer holds (" + code.wire() + ")");
        }
    }

    /** Releases the lock taken by {@link #enter()}, closing the container's stream first if the response ended meanwhile. */
    void exit() {
        try {
            if (endedWith != null) {
                closeTargetLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the response: closes the container's stream now, or as soon as the write in progress finishes. */
    void end(ErrorCode code) {
        endedWith = code;
        if (lock.tryLock()) {
            try {
                closeTargetLocked();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The application closes its stream: closes the container's, unless the end did already. */
    void closeFromApplication() throws IOException {
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
