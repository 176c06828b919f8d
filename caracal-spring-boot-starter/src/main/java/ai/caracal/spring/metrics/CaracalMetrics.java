package ai.caracal.spring.metrics;

import ai.caracal.revocation.internal.RateLimitedWarning;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.Cause;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.VerificationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Caracal verification in Micrometer (verification.md §11):
 *
 * <ul>
 *   <li>{@code caracal.verify}: timer of every {@code authenticate} / {@code authorization} call, tags
 *       {@code outcome} = {@code ok} or the error code ({@code invalid_token}, {@code session_revoked},
 *       …) and {@code cause} = {@code none} or the {@link Cause} ({@code keys_unavailable},
 *       {@code store_unavailable}, {@code bad_signature}, {@code expired}, …), so that an outage and an
 *       attack answered with the same code are told apart; with a fixed set of bucket bounds
 *       ({@link #VERIFY_BUCKETS}), so Prometheus gets {@code caracal_verify_seconds_bucket} and
 *       percentiles can be computed across instances;</li>
 *   <li>{@code caracal.jwks.fetch}: counter of key set fetch attempts, tag {@code result} =
 *       {@code success}, {@code failure}, {@code rejected_cooldown} or {@code rejected_backoff};</li>
 *   <li>{@code caracal.revocation.check.errors}: counter of revocation checks the store could not answer,
 *       whether it threw or failed closed (the mandate was rejected either way).</li>
 * </ul>
 *
 * <p>The stream consumers' counter, {@code caracal.revocation.events}, is recorded by
 * {@link RevocationEventMetrics}, a separate class because the Redis consumers are an optional module.
 *
 * <p>The Spring Boot starter registers it by itself when a {@link MeterRegistry} bean exists. Without
 * Spring (this class imports nothing from Spring), register it on the verifier and on the key set cache:
 *
 * <pre>{@code
 * CaracalMetrics metrics = new CaracalMetrics(registry);
 * MandateVerifier verifier = MandateVerifier.builder()
 *     .issuer(sts).audience(audience).zoneId(zone).revocations(store)
 *     .jwksCache(JwksCache.builder().listener(metrics).build())   // fetch counter
 *     .listener(metrics)                                           // verify timer, store errors
 *     .build();
 * }</pre>
 *
 * <p><b>A misbehaving registry.</b> Nothing the registry throws, when a meter is registered or recorded,
 * reaches the verifier: it is caught, counted ({@link #registryFailures()}) and logged at WARN at most
 * once a minute, and the decision is the one it would have been. A meter that failed to register is
 * tried again on its next use.
 *
 * <p><b>Verification-time buckets.</b> The timer publishes a cumulative count for each bound of
 * {@link #VERIFY_BUCKETS} (0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500 ms, 1, 2.5, 5 s) plus {@code +Inf}:
 * 14 bucket series per ({@code outcome}, {@code cause}) pair that occurred, beside {@code _count},
 * {@code _sum} and {@code _max}. A server that sees {@code ok} and a dozen kinds of rejection exports
 * about 13 × 17 ≈ 220 series for this timer (14 buckets, count, sum and max a pair); Micrometer's
 * percentile histogram (about 70 buckets a pair) is deliberately not enabled, nor are client-side
 * percentiles (they cannot be aggregated across instances). The bounds follow what a verification waits for: a signature check
 * and an in-memory store take well under a millisecond, a Redis revocation check on the same network
 * 0.2 to 2 ms, a slow store up to its command time-out (250 ms by default, so a call that timed out
 * lands in the 500 ms bucket), and a key set fetch up to the fetch time-out (5 s). Percentiles read from
 * them (Prometheus {@code histogram_quantile}) are interpolated inside a bucket, so they are as precise
 * as the bucket they fall in: enough to tell 1 ms from 10 ms from a time-out. To drop the buckets
 * (their series) in a registry, configure the timer with a {@code MeterFilter} whose
 * {@code configure} returns {@code DistributionStatisticConfig.builder().serviceLevelObjectives()
 * .build().merge(config)} for {@link #VERIFY}.
 *
 * <p>Meters are created on first use, so only outcomes that happened are exported, except the error
 * counter, which exists from the start (so a rate of zero can be alerted on). Thread-safe and
 * allocation-free once every meter exists.
 */
public final class CaracalMetrics implements VerificationListener {

    /** Timer of verification calls. */
    public static final String VERIFY = "caracal.verify";
    /**
     * The bucket bounds of {@link #VERIFY}, in ascending order: 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250,
     * 500 ms, 1, 2.5, 5 s (the class comment says why).
     */
    public static final List<Duration> VERIFY_BUCKETS = List.of(
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500),
            Duration.ofSeconds(5));
    private static final Duration[] BUCKETS = VERIFY_BUCKETS.toArray(new Duration[0]);

    /** Counter of key set fetch attempts. */
    public static final String JWKS_FETCH = "caracal.jwks.fetch";
    /** Counter of revocation checks the store could not answer. */
    public static final String REVOCATION_CHECK_ERRORS = "caracal.revocation.check.errors";

    private static final Logger log = LoggerFactory.getLogger(CaracalMetrics.class);
    private static final ErrorCode[] CODES = ErrorCode.values();
    private static final Cause[] CAUSES = Cause.values();
    private static final JwksFetch[] FETCHES = JwksFetch.values();

    private final MeterRegistry registry;
    /** Index 0 is {@code ok}; then one slot per ({@link ErrorCode}, {@link Cause}) pair. */
    private final AtomicReferenceArray<Timer> verifyTimers = new AtomicReferenceArray<>(1 + CODES.length * CAUSES.length);
    private final AtomicReferenceArray<Counter> fetchCounters = new AtomicReferenceArray<>(FETCHES.length);
    private volatile Counter revocationErrors;
    private final AtomicLong registryFailures = new AtomicLong();
    private final RateLimitedWarning registryWarning = new RateLimitedWarning(Duration.ofMinutes(1));

    /**
     * @param registry where the meters go; never {@code null}
     */
    public CaracalMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        revocationErrors();
    }

    @Override
    public void verified(AuthResult result, long durationNanos) {
        try {
            int slot = result.ok() ? 0 : 1 + result.error().code().ordinal() * CAUSES.length + result.cause().ordinal();
            Timer timer = verifyTimers.get(slot);
            if (timer == null) {
                timer = Timer.builder(VERIFY)
                        .description("Caracal mandate verifications")
                        .tag("outcome", result.ok() ? "ok" : result.error().code().wire())
                        .tag("cause", result.cause().wire())
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry);
                verifyTimers.set(slot, timer);
            }
            timer.record(durationNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void jwksFetched(URI jwksUri, JwksFetch outcome) {
        try {
            int slot = outcome.ordinal();
            Counter counter = fetchCounters.get(slot);
            if (counter == null) {
                counter = Counter.builder(JWKS_FETCH)
                        .description("Caracal key set fetch attempts")
                        .tag("result", outcome.name().toLowerCase(Locale.ROOT))
                        .register(registry);
                fetchCounters.set(slot, counter);
            }
            counter.increment();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void revocationCheckFailed(RuntimeException error) {
        try {
            Counter counter = revocationErrors;
            if (counter == null) {
                counter = revocationErrors();
            }
            if (counter != null) {
                counter.increment();
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /**
     * @return how many times the registry threw (registering or recording a meter) since this binder was
     *         created; each such failure lost one measurement and changed no decision
     */
    public long registryFailures() {
        return registryFailures.get();
    }

    /** @return the counter, registered now if it is not yet; {@code null} when the registry refused it */
    private Counter revocationErrors() {
        try {
            Counter counter = Counter.builder(REVOCATION_CHECK_ERRORS)
                    .description("Revocation checks the store could not answer; the mandate was rejected")
                    .register(registry);
            revocationErrors = counter;
            return counter;
        } catch (RuntimeException e) {
            failed(e);
            return null;
        }
    }

    private void failed(RuntimeException e) {
        long total = registryFailures.incrementAndGet();
        if (registryWarning.admit()) {
            log.warn("The meter registry failed; Caracal's decisions are unchanged, the measurement is lost "
                    + "({} failure(s) so far; {}: {})", total, e.getClass().getName(), e.getMessage());
        }
    }
}
