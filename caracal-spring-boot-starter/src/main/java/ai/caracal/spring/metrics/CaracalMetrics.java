package ai.caracal.spring.metrics;

import ai.caracal.verify.AuthResult;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.VerificationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Records Caracal verification in Micrometer (verification.md §11):
 *
 * <ul>
 *   <li>{@code caracal.verify}: timer of every {@code authenticate} / {@code authorization} call, tag
 *       {@code outcome} = {@code ok} or the error code ({@code invalid_token}, {@code session_revoked},
 *       …);</li>
 *   <li>{@code caracal.jwks.fetch}: counter of key set fetch attempts, tag {@code result} =
 *       {@code success}, {@code failure} or {@code rejected_cooldown};</li>
 *   <li>{@code caracal.revocation.check.errors}: counter of revocation-store calls that threw.</li>
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
 * <p>Meters are created on first use, so only outcomes that happened are exported, except the error
 * counter, which exists from the start (so a rate of zero can be alerted on). Thread-safe and
 * allocation-free once every meter exists.
 */
public final class CaracalMetrics implements VerificationListener {

    /** Timer of verification calls. */
    public static final String VERIFY = "caracal.verify";
    /** Counter of key set fetch attempts. */
    public static final String JWKS_FETCH = "caracal.jwks.fetch";
    /** Counter of revocation-store failures. */
    public static final String REVOCATION_CHECK_ERRORS = "caracal.revocation.check.errors";

    private static final ErrorCode[] CODES = ErrorCode.values();
    private static final JwksFetch[] FETCHES = JwksFetch.values();

    private final MeterRegistry registry;
    /** Index 0 is {@code ok}, then one slot per {@link ErrorCode} ordinal. */
    private final AtomicReferenceArray<Timer> verifyTimers = new AtomicReferenceArray<>(CODES.length + 1);
    private final AtomicReferenceArray<Counter> fetchCounters = new AtomicReferenceArray<>(FETCHES.length);
    private final Counter revocationErrors;

    /**
     * @param registry where the meters go; never {@code null}
     */
    public CaracalMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.revocationErrors = Counter.builder(REVOCATION_CHECK_ERRORS)
                .description("Revocation-store calls that threw; the mandate was rejected")
                .register(registry);
    }

    @Override
    public void verified(AuthResult result, long durationNanos) {
        int slot = result.ok() ? 0 : result.error().code().ordinal() + 1;
        Timer timer = verifyTimers.get(slot);
        if (timer == null) {
            timer = Timer.builder(VERIFY)
                    .description("Caracal mandate verifications")
                    .tag("outcome", slot == 0 ? "ok" : CODES[slot - 1].wire())
                    .register(registry);
            verifyTimers.set(slot, timer);
        }
        timer.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void jwksFetched(URI jwksUri, JwksFetch outcome) {
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
    }

    @Override
    public void revocationCheckFailed(RuntimeException error) {
        revocationErrors.increment();
    }
}
