package ai.caracal.revocation.redis;

import ai.caracal.revocation.internal.RateLimitedWarning;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs stream consumers in the background, so applications never write their own poll loop.
 *
 * <pre>{@code
 * ConsumerRunner runner = ConsumerRunner.builder()
 *     .add(RedisRevocationConsumer.builder().client(redis).store(store).consumer("mcp-server-1").build())
 *     .add(DelegationInvalidationConsumer.builder().client(redis).store(store).consumer("mcp-server-1").build())
 *     .build();
 * runner.start();   // returns at once
 * // ...
 * runner.close();   // stop() + close the consumers' dedicated connections
 * }</pre>
 *
 * <p><b>Threads.</b> {@link #start()} starts one daemon thread per consumer, named
 * {@code caracal-consumer-<stream>}. Each thread first creates the consumer group, retrying with
 * backoff until it succeeds or the runner stops, then calls {@link RevocationStreamConsumer#pollOnce()}
 * in a loop. A poll blocks for at most the consumer's {@code block}, so an idle loop never spins.
 *
 * <p><b>Failures.</b> A failed poll is followed by a pause of 1 s, 2 s, 4 s, then 5 s; the pause resets
 * after the next successful poll. Failures are logged at WARN at most once per 10 s per consumer (the
 * others at DEBUG), and the first successful poll after them at INFO. A poll whose command got no reply
 * replaces the consumer's connection (state.md S71), so a consumer recovers within 15 s of Redis
 * answering again. After a failure the thread re-creates the
 * group before polling again (a no-op while it exists), so a Redis that lost its data recovers too.
 * Nothing is ever lost by a failure: the entries stay pending in Redis and are re-claimed later.
 *
 * <p><b>Refusal.</b> A consumer whose group has recorded another signature policy
 * ({@link ConsumerGroupPolicyException}, state.md S70) is a configuration error, not an outage: it is
 * logged at ERROR, its thread ends without polling, {@link #healthy()} stays {@code false}, and
 * {@link #awaitJoined(Duration)} throws it. The other consumers of the group keep applying its entries.
 *
 * <p><b>Stopping.</b> On a graceful {@link #stop()} each thread finishes its poll and then, if that poll
 * succeeded, makes its consumer leave the group ({@link RevocationStreamConsumer#leaveGroup()}) unless
 * entries are pending for it, so that stopped instances leave no consumers behind in the group.
 *
 * <p><b>Ownership.</b> The runner takes ownership of the consumers added to it: {@link #close()} closes
 * them. It never closes the Redis clients or stores the consumers were built with.
 *
 * <p><b>Thread safety.</b> All methods may be called from any thread. The health accessors are
 * suitable for a readiness or liveness probe; alert on {@link #healthy()}.
 */
public final class ConsumerRunner implements AutoCloseable {

    /** How recent the last successful poll of every consumer must be for {@link #healthy()}: 60 s. */
    public static final Duration HEALTHY_WITHIN = Duration.ofSeconds(60);

    /** Added to a consumer's {@code block} to get the longest time {@link #stop()} waits for its thread. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerRunner.class);

    private final List<Worker> workers;
    private final Clock clock;
    private final LongAdder handled = new LongAdder();
    private final AtomicReference<Throwable> lastError = new AtomicReference<>();
    private final Object lifecycle = new Object();
    private volatile Run current;
    private boolean closed;

    private ConsumerRunner(Builder builder) {
        this.clock = builder.clock;
        List<Worker> list = new ArrayList<>(builder.consumers.size());
        for (RevocationStreamConsumer consumer : builder.consumers) {
            list.add(new Worker(consumer));
        }
        this.workers = List.copyOf(list);
    }

    /**
     * @return a builder; add at least one consumer
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts one background thread per consumer and returns at once. A no-op while running. A stopped
     * runner may be started again.
     *
     * @throws IllegalStateException when the runner is closed
     */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the consumer runner is closed");
            }
            if (current != null) {
                return;
            }
            Run run = new Run(workers.size());
            for (Worker worker : workers) {
                Thread thread = new Thread(() -> worker.loop(run), "caracal-consumer-" + worker.consumer.stream());
                thread.setDaemon(true);
                run.threads.add(thread);
            }
            current = run;
            run.threads.forEach(Thread::start);
        }
    }

    /**
     * Waits until every consumer has made its first attempt to join its group (state.md §6.2): for
     * start-up code that must refuse to start when a group's recorded policy differs (S70). Returns early
     * once every attempt has ended, whether it succeeded or failed.
     *
     * @param timeout the longest wait; never {@code null}
     * @return {@code true} when every consumer joined its group; {@code false} when the timeout passed or
     *         an attempt failed for another reason (for example Redis is unreachable; {@link #lastError()}
     *         then already holds it), in which case that thread keeps retrying
     * @throws ConsumerGroupPolicyException when a consumer was refused by its group; that consumer does
     *                                      not run
     * @throws IllegalStateException        when the runner is not running
     * @throws InterruptedException         when interrupted while waiting
     */
    public boolean awaitJoined(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Run run = current;
        if (run == null) {
            throw new IllegalStateException("the consumer runner is not running");
        }
        boolean attempted = run.firstAttempts.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        ConsumerGroupPolicyException refused = run.refusal.get();
        if (refused != null) {
            throw refused;
        }
        return attempted && run.joined.get() == workers.size();
    }

    /**
     * Asks every thread to finish and waits for each up to its consumer's {@code block} + 5 s. A thread
     * in the middle of a poll finishes that poll first, then leaves its group if that poll succeeded and
     * nothing is pending for it. Idempotent; the consumers stay open.
     */
    public void stop() {
        Run run;
        synchronized (lifecycle) {
            run = current;
            current = null;
        }
        if (run == null) {
            return;
        }
        run.stopSignal.countDown();
        for (int i = 0; i < run.threads.size(); i++) {
            Thread thread = run.threads.get(i);
            Duration wait = workers.get(i).consumer.block().plus(STOP_GRACE);
            try {
                thread.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                LOG.warn("Consumer thread {} did not stop within {} ms", thread.getName(), wait.toMillis());
            }
        }
    }

    /**
     * {@link #stop()}, then closes every consumer's dedicated connection. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stop();
        for (Worker worker : workers) {
            worker.consumer.close();
        }
    }

    /**
     * @return {@code true} between {@link #start()} and {@link #stop()}
     */
    public boolean isRunning() {
        return current != null;
    }

    /**
     * @return the time by which every consumer had completed a successful poll, that is the oldest of
     *         the consumers' latest successes; {@link Instant#EPOCH} while some consumer has never
     *         polled successfully. Never {@code null}.
     */
    public Instant lastSuccessfulPoll() {
        Instant oldest = null;
        for (Worker worker : workers) {
            Instant last = worker.lastSuccess;
            if (oldest == null || last.isBefore(oldest)) {
                oldest = last;
            }
        }
        return oldest;
    }

    /**
     * @return the most recent failure of any consumer (group creation or poll), kept after later
     *         successes; empty if there was none
     */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    /**
     * @return the number of entries handled (applied or dead-lettered) by all consumers since the
     *         runner was built, as the sum of what their successful polls returned
     */
    public long handledCount() {
        return handled.sum();
    }

    /**
     * @return {@code true} when the runner is running and every consumer completed a successful poll
     *         within the last 60 s
     */
    public boolean healthy() {
        Instant last = lastSuccessfulPoll();
        return isRunning() && !last.equals(Instant.EPOCH)
                && !last.isBefore(clock.instant().minus(HEALTHY_WITHIN));
    }

    /** One start-to-stop period: its threads and the signal that ends them. */
    private static final class Run {
        final List<Thread> threads = new ArrayList<>();
        final CountDownLatch stopSignal = new CountDownLatch(1);
        /** Counted down once per consumer, when its first attempt to join its group has ended. */
        final CountDownLatch firstAttempts;
        final AtomicInteger joined = new AtomicInteger();
        final AtomicReference<ConsumerGroupPolicyException> refusal = new AtomicReference<>();

        Run(int consumers) {
            this.firstAttempts = new CountDownLatch(consumers);
        }

        boolean stopping() {
            return stopSignal.getCount() == 0;
        }

        /** @return {@code false} when the run was stopped during the pause */
        boolean pause(Duration delay) {
            try {
                return !stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** The loop of one consumer, and its health. */
    private final class Worker {
        final RevocationStreamConsumer consumer;
        final RateLimitedWarning failureWarning = new RateLimitedWarning(Duration.ofSeconds(10));
        volatile Instant lastSuccess = Instant.EPOCH;
        /** Touched by the worker's own thread only. */
        int failuresInARow;

        Worker(RevocationStreamConsumer consumer) {
            this.consumer = consumer;
        }

        void loop(Run run) {
            Backoff backoff = new Backoff();
            boolean groupReady = false;
            boolean joinedOnce = false;
            boolean firstAttemptReported = false;
            boolean lastPollSucceeded = false;
            try {
                while (!run.stopping() && !Thread.currentThread().isInterrupted()) {
                    try {
                        if (!groupReady) {
                            consumer.ensureGroup();
                            groupReady = true;
                            if (!joinedOnce) {
                                joinedOnce = true;
                                run.joined.incrementAndGet();
                            }
                        }
                        if (!firstAttemptReported) {
                            firstAttemptReported = true;
                            run.firstAttempts.countDown();
                        }
                        int count = consumer.pollOnce();
                        handled.add(count);
                        lastSuccess = clock.instant();
                        lastPollSucceeded = true;
                        backoff.reset();
                        if (failuresInARow > 0) {
                            LOG.info("Consumer {} of stream {} polls again after {} failed attempt(s)",
                                    consumer.consumerName(), consumer.stream(), failuresInARow);
                            failuresInARow = 0;
                        }
                    } catch (ConsumerGroupPolicyException e) {
                        lastError.set(e);
                        run.refusal.compareAndSet(null, e);
                        LOG.error("Consumer {} of stream {} does not run: {}", consumer.consumerName(), consumer.stream(),
                                e.getMessage());
                        return;
                    } catch (RuntimeException e) {
                        lastPollSucceeded = false;
                        boolean stopping = run.stopping();
                        if (!stopping) {
                            // Before the first attempt is reported: awaitJoined's caller reads lastError().
                            lastError.set(e);
                        }
                        if (!firstAttemptReported) {
                            firstAttemptReported = true;
                            run.firstAttempts.countDown();
                        }
                        if (stopping) {
                            break;
                        }
                        groupReady = false;
                        Duration delay = backoff.next();
                        failuresInARow++;
                        if (failureWarning.admit()) {
                            LOG.warn("Consumer {} of stream {} (group {}) failed ({}); retrying in {} s; revocations wait"
                                    + " in the stream meanwhile ({} failed attempt(s) in a row; further failures are "
                                    + "logged at most every 10 s)", consumer.consumerName(), consumer.stream(),
                                    consumer.group(), e.toString(), delay.toSeconds(), failuresInARow);
                        } else {
                            LOG.debug("Consumer {} of stream {} failed ({}); retrying in {} s", consumer.consumerName(),
                                    consumer.stream(), e.toString(), delay.toSeconds());
                        }
                        if (!run.pause(delay)) {
                            break;
                        }
                    }
                }
                if (run.stopping() && lastPollSucceeded) {
                    leave();
                }
            } finally {
                // Also after a refusal, or a stop before the first attempt: awaitJoined must not wait in vain.
                if (!firstAttemptReported) {
                    run.firstAttempts.countDown();
                }
            }
        }

        /** Leaves the group after a graceful stop; failing to is harmless, as the consumer then merely stays. */
        private void leave() {
            try {
                consumer.leaveGroup();
            } catch (RuntimeException e) {
                LOG.debug("Consumer {} of stream {} could not leave its group: {}", consumer.consumerName(),
                        consumer.stream(), e.toString());
            }
        }
    }

    /** Builder for {@link ConsumerRunner}. Not thread-safe. */
    public static final class Builder {

        private final List<RevocationStreamConsumer> consumers = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param consumer a consumer to run; the runner takes ownership and closes it in
         *                 {@link ConsumerRunner#close()}
         * @return this builder
         * @throws IllegalArgumentException when the same consumer is added twice
         */
        public Builder add(RevocationStreamConsumer consumer) {
            Objects.requireNonNull(consumer, "consumer");
            if (consumers.contains(consumer)) {
                throw new IllegalArgumentException("consumer " + consumer.consumerName() + " of stream "
                        + consumer.stream() + " was already added");
            }
            consumers.add(consumer);
            return this;
        }

        /**
         * @param clock the clock of the health accessors; default {@link Clock#systemUTC()}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return a runner that is not started yet
         * @throws IllegalStateException when no consumer was added
         */
        public ConsumerRunner build() {
            if (consumers.isEmpty()) {
                throw new IllegalStateException("add at least one consumer to the runner");
            }
            return new ConsumerRunner(this);
        }
    }
}
