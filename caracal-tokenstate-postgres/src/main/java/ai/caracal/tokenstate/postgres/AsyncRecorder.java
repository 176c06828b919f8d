package ai.caracal.tokenstate.postgres;

import ai.caracal.revocation.internal.RateLimitedWarning;
import ai.caracal.verify.Claims;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous recorder: {@link #accept(Claims)} queues the write and returns, and one daemon
 * worker thread writes queued items in order. At most {@link #CAPACITY} items wait; beyond that an
 * item is dropped with a rate-limited WARN. {@link #close()} lets the worker write what is queued for
 * at most {@link #DRAIN_LIMIT}, then drops the rest with one WARN. Thread-safe.
 */
final class AsyncRecorder implements Consumer<Claims>, AutoCloseable {

    static final int CAPACITY = 10_000;
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(AsyncRecorder.class);
    /** Queued by close() behind every accepted item; compared by identity. */
    private static final StateWrite STOP = new StateWrite("", "", "", Instant.EPOCH);

    // Unbounded queue with the bound kept by `pending`, so that STOP always fits behind a full queue.
    private final BlockingQueue<StateWrite> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Consumer<StateWrite> writer;
    private final Thread worker;
    private final RateLimitedWarning queueFull = new RateLimitedWarning(Duration.ofMinutes(1));
    private final RateLimitedWarning afterClose = new RateLimitedWarning(Duration.ofMinutes(1));
    private final RateLimitedWarning unreadable = new RateLimitedWarning(Duration.ofMinutes(1));
    private volatile long drainDeadlineNanos;
    private volatile boolean stopping;

    /**
     * @param writer writes one item and never throws (failures are its to log)
     */
    AsyncRecorder(Consumer<StateWrite> writer) {
        this.writer = writer;
        this.worker = new Thread(this::run, "caracal-tokenstate-recorder");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void accept(Claims claims) {
        if (claims == null) {
            return;
        }
        if (stopping) {
            if (afterClose.admit()) {
                log.warn("Token state recorder is closed; a verified subject was not recorded{}", afterClose.heldBack());
            }
            return;
        }
        StateWrite write;
        try {
            write = StateWrite.of(claims);
        } catch (RuntimeException e) {
            if (unreadable.admit()) {
                log.warn("Token state not recorded (the verification result is unchanged): the verified claims could"
                        + " not be read{}", unreadable.heldBack(), e);
            }
            return;
        }
        if (pending.incrementAndGet() > CAPACITY) {
            pending.decrementAndGet();
            if (queueFull.admit()) {
                log.warn("Token state recorder queue is full ({} items); a verified subject was not recorded{}", CAPACITY,
                        queueFull.heldBack());
            }
            return;
        }
        queue.add(write);
    }

    /** Writes what is queued for at most {@link #DRAIN_LIMIT}, then stops the worker. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        drainDeadlineNanos = System.nanoTime() + DRAIN_LIMIT.toNanos();
        stopping = true;
        queue.add(STOP);
        boolean interrupted = false;
        try {
            TimeUnit.NANOSECONDS.timedJoin(worker, Math.max(1, drainDeadlineNanos - System.nanoTime()));
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (worker.isAlive()) {
            // Stuck in a write past the limit (a pool waiting for a connection, say): cut the wait short.
            worker.interrupt();
        }
        List<StateWrite> left = new ArrayList<>();
        queue.drainTo(left);
        queue.add(STOP); // in case the worker is still running and would wait for one
        long dropped = left.stream().filter(w -> w != STOP).count();
        if (dropped > 0) {
            log.warn("Token state recorder closed after {} s with {} queued writes not written",
                    DRAIN_LIMIT.toSeconds(), dropped);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            if (stopping && System.nanoTime() - drainDeadlineNanos >= 0) {
                return;
            }
            StateWrite next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next == STOP) {
                return;
            }
            pending.decrementAndGet();
            writer.accept(next);
        }
    }
}
