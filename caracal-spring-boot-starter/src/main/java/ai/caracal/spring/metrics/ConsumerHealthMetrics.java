package ai.caracal.spring.metrics;

import ai.caracal.revocation.redis.ConsumerRunner;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports the health of the Redis stream consumers that a {@link ConsumerRunner} runs, so that a dead or
 * stuck consumer is seen although it counts no events (verification.md §11):
 *
 * <ul>
 *   <li>{@code caracal.revocation.consumer.healthy}: gauge, 1 while {@link ConsumerRunner#healthy()}
 *       (the runner runs and every consumer polled successfully within the last
 *       {@link ConsumerRunner#HEALTHY_WITHIN 60 s}), else 0;</li>
 *   <li>{@code caracal.revocation.consumer.last.poll.age}: gauge in seconds since
 *       {@link ConsumerRunner#lastSuccessfulPoll()}, the oldest of the consumers' latest successful
 *       polls. A consumer that has never polled successfully (its thread was refused by its group, Redis
 *       was unreachable for it from the start) has no such time: the age is then counted from when this
 *       binder was created, so it grows from 0 instead of looking fresh, and {@code healthy} is 0 from the
 *       start.</li>
 * </ul>
 *
 * <p>A consumer that polls normally shows an age below its {@code block} (2 s by default) plus the
 * scrape's own delay; an age above 60 s is an unhealthy runner. Alert on {@code healthy == 0}
 * ({@code CaracalRevocationConsumerDown} in {@code docs/operations/caracal-alerts.yml}): while it is 0,
 * revocations published on the streams wait there and are not applied to this server's store.
 *
 * <p>Both gauges are read when the registry is scraped: nothing is computed between scrapes. The Spring
 * Boot starter registers it by itself for the runner it configures (or one the application declares)
 * when a {@link io.micrometer.core.instrument.MeterRegistry} bean exists. Without Spring (this class
 * imports nothing from Spring):
 *
 * <pre>{@code
 * ConsumerRunner runner = ConsumerRunner.builder().add(...).build();
 * new ConsumerHealthMetrics(registry, runner);   // the gauges hold the runner, not the reverse
 * runner.start();
 * }</pre>
 *
 * <p>One runner per registry: the gauges carry no tags, so a second binder on the same registry is
 * ignored by Micrometer. A registry that refuses the gauges is logged at WARN and changes nothing else.
 * Thread-safe.
 */
public final class ConsumerHealthMetrics {

    /** Gauge, 1 while the runner is healthy, else 0. */
    public static final String HEALTHY = "caracal.revocation.consumer.healthy";
    /** Gauge, seconds since the oldest of the consumers' latest successful polls. */
    public static final String LAST_POLL_AGE = "caracal.revocation.consumer.last.poll.age";

    private static final Logger log = LoggerFactory.getLogger(ConsumerHealthMetrics.class);

    private final ConsumerRunner runner;
    private final Clock clock;
    private final Instant created;

    /**
     * Registers both gauges at once.
     *
     * @param registry where the gauges go; never {@code null}
     * @param runner   the runner to watch, started or not; never {@code null}
     */
    public ConsumerHealthMetrics(MeterRegistry registry, ConsumerRunner runner) {
        this(registry, runner, Clock.systemUTC());
    }

    /** With the clock of the runner's own health accessors, for tests that move it. */
    ConsumerHealthMetrics(MeterRegistry registry, ConsumerRunner runner, Clock clock) {
        Objects.requireNonNull(registry, "registry");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.created = clock.instant();
        try {
            Gauge.builder(HEALTHY, this, ConsumerHealthMetrics::healthy)
                    .description("1 while every Caracal revocation stream consumer polled successfully within 60 s, else 0")
                    .strongReference(true)
                    .register(registry);
            Gauge.builder(LAST_POLL_AGE, this, ConsumerHealthMetrics::lastPollAgeSeconds)
                    .description("Seconds since the oldest of the Caracal stream consumers' latest successful polls"
                            + " (since start-up while one never polled)")
                    .baseUnit("seconds")
                    .strongReference(true)
                    .register(registry);
        } catch (RuntimeException e) {
            log.warn("The meter registry refused Caracal's consumer health gauges; the consumers run unwatched ({}: {})",
                    e.getClass().getName(), e.getMessage());
        }
    }

    /** @return 1 while the runner is healthy, else 0 */
    double healthy() {
        return runner.healthy() ? 1 : 0;
    }

    /**
     * @return seconds since the oldest of the consumers' latest successful polls, or since this binder
     *         was created while some consumer never polled successfully; never negative
     */
    double lastPollAgeSeconds() {
        Instant last = runner.lastSuccessfulPoll();
        Instant since = last.equals(Instant.EPOCH) ? created : last;
        Duration age = Duration.between(since, clock.instant());
        return age.isNegative() ? 0 : age.toNanos() / 1e9;
    }
}
