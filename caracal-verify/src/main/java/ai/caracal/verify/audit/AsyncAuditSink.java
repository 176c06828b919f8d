package ai.caracal.verify.audit;

import ai.caracal.revocation.internal.RateLimitedWarning;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes audit events off the request's path: {@link #offer(AuditEvent)} puts the event in a bounded queue
 * and returns at once; one worker thread ({@code caracal-audit}) hands events to the delegate
 * {@link AuditSink}. A full queue drops the event and counts it ({@link #dropped()}), it never blocks; a
 * delegate that throws is counted ({@link #failed()}). Drops and failures are logged at WARN at most once a
 * minute.
 *
 * <pre>{@code
 * try (AsyncAuditSink audit = AsyncAuditSink.builder(new Slf4jAuditSink()).build()) {
 *     CaracalFilter filter = CaracalFilter.builder().verifier(verifier).audit(audit).build();
 *     ...
 * }
 * }</pre>
 *
 * <p>Owns its thread: {@link #close()} stops taking events, gives the worker at most the close timeout to
 * hand over what is queued, then stops it. It never closes the delegate (we close what we create). Thread-safe.
 */
public final class AsyncAuditSink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AsyncAuditSink.class);

    /** Default queue capacity. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final AuditSink delegate;
    private final BlockingQueue<AuditEvent> queue;
    private final Duration closeTimeout;
    private final Thread worker;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong recorded = new AtomicLong();
    private final RateLimitedWarning warning = new RateLimitedWarning(Duration.ofMinutes(1));
    private volatile boolean closed;

    private AsyncAuditSink(Builder builder) {
        this.delegate = builder.delegate;
        this.queue = new ArrayBlockingQueue<>(builder.capacity);
        this.closeTimeout = builder.closeTimeout;
        this.worker = new Thread(this::run, "caracal-audit");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * @param delegate the sink the worker thread writes to; never {@code null}
     * @return a builder
     */
    public static Builder builder(AuditSink delegate) {
        return new Builder(Objects.requireNonNull(delegate, "delegate"));
    }

    /**
     * Queues an event; never blocks, never throws.
     *
     * @param event the event
     * @return {@code false} when it was dropped (queue full, or closed)
     */
    public boolean offer(AuditEvent event) {
        if (event != null && !closed && queue.offer(event)) {
            return true;
        }
        dropped.incrementAndGet();
        warn("Caracal audit queue full or closed; events dropped");
        return false;
    }

    /** @return events dropped because the queue was full (or the sink closed) */
    public long dropped() {
        return dropped.get();
    }

    /** @return events whose delegate call threw */
    public long failed() {
        return failed.get();
    }

    /** @return events the delegate accepted */
    public long recorded() {
        return recorded.get();
    }

    /** @return events waiting for the worker */
    public int queued() {
        return queue.size();
    }

    private void run() {
        List<AuditEvent> batch = new ArrayList<>();
        while (true) {
            try {
                AuditEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 255);
                for (AuditEvent event : batch) {
                    deliver(event);
                }
                batch.clear();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void deliver(AuditEvent event) {
        try {
            delegate.record(event);
            recorded.incrementAndGet();
        } catch (RuntimeException | LinkageError e) {
            failed.incrementAndGet();
            warn("Caracal audit sink " + delegate.getClass().getName() + " failed (" + e.getClass().getName() + ")");
        }
    }

    private void warn(String what) {
        if (warning.admit()) {
            log.warn("{}: {} dropped, {} failed so far", what, dropped.get(), failed.get());
        }
    }

    /** Stops taking events and waits at most the close timeout for the queued ones. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            long millis = closeTimeout.toMillis();
            if (millis > 0) {
                worker.join(millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            worker.interrupt();
        }
        int left = queue.size();
        if (left > 0) {
            dropped.addAndGet(left);
            queue.clear();
        }
    }

    /** Builder for {@link AsyncAuditSink}. Not thread-safe. */
    public static final class Builder {

        private final AuditSink delegate;
        private int capacity = DEFAULT_CAPACITY;
        private Duration closeTimeout = Duration.ofSeconds(5);

        private Builder(AuditSink delegate) {
            this.delegate = delegate;
        }

        /**
         * @param capacity events held while the delegate is slow; at least 1; default
         *                 {@value AsyncAuditSink#DEFAULT_CAPACITY}
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder capacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("audit capacity must be at least 1");
            }
            this.capacity = capacity;
            return this;
        }

        /**
         * @param closeTimeout how long {@link AsyncAuditSink#close()} waits for queued events; default 5 s
         * @return this builder
         */
        public Builder closeTimeout(Duration closeTimeout) {
            if (Objects.requireNonNull(closeTimeout, "closeTimeout").isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative");
            }
            this.closeTimeout = closeTimeout;
            return this;
        }

        /** @return the sink, its worker thread started */
        public AsyncAuditSink build() {
            return new AsyncAuditSink(this);
        }
    }
}
