package ai.caracal.verify;

import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;

/**
 * Spans for verification through Micrometer Observation, so that Spring Boot's tracing, Micrometer
 * Tracing (OpenTelemetry or Brave bridge) and any other observation handler record them with no further
 * code. Pass it to {@code MandateVerifier.builder().observation(...)} (the Spring Boot starter does so
 * when an {@link ObservationRegistry} bean exists):
 *
 * <ul>
 *   <li>{@value #VERIFICATION} (span {@code caracal verify}): one per {@code authenticate} /
 *       {@code authorization} call, a child of the current observation or span (the server request);
 *       low-cardinality keys {@value #OUTCOME} ({@code ok} or the error code), {@value #CAUSE}
 *       ({@link Cause#wire()}) and {@value #ZONE} (the configured zone, else the verified mandate's,
 *       else {@code none});</li>
 *   <li>{@value #JWKS_FETCH} (span {@code caracal jwks fetch}): one per key set fetch the verification
 *       started, its child; {@value #OUTCOME} {@code success} or {@code failure}, high-cardinality
 *       {@value #JWKS_URI};</li>
 *   <li>{@value #REVOCATION_CHECK} (span {@code caracal revocation check}): the revocation-store call,
 *       a child of the verification; {@value #OUTCOME} {@code live}, {@code revoked},
 *       {@code stale_epoch}, {@code unavailable} (failed closed or no answer) or {@code error} (threw),
 *       and {@value #ZONE}.</li>
 * </ul>
 *
 * <p>No value ever comes from an unverified token: no token bytes, no claim of a rejected mandate.
 * A registry or handler that throws never changes a decision: the failure is counted
 * ({@link #failures()}) and logged at WARN at most once a minute.
 *
 * <p>The names differ from the {@code caracal.verify} / {@code caracal.jwks.fetch} meters of the
 * Micrometer binder, so a registry that also turns observations into timers sees no clash.
 *
 * <p>Needs {@code io.micrometer:micrometer-observation} (an optional dependency of this module); only
 * this class and what it creates load it. Thread-safe; share one instance per registry.
 */
public final class CaracalObservation {

    /** Observation of one verification call. */
    public static final String VERIFICATION = "caracal.verification";
    /** Observation of one key set fetch. */
    public static final String JWKS_FETCH = "caracal.jwks.load";
    /** Observation of one revocation-store check. */
    public static final String REVOCATION_CHECK = "caracal.revocation.lookup";
    /** Low-cardinality key: how it ended. */
    public static final String OUTCOME = "caracal.outcome";
    /** Low-cardinality key: the {@link Cause} of a verification. */
    public static final String CAUSE = "caracal.cause";
    /** Low-cardinality key: the zone. */
    public static final String ZONE = "caracal.zone";
    /** High-cardinality key: the key set URL of a fetch. */
    public static final String JWKS_URI = "caracal.jwks.uri";

    private final MicrometerTracing tracing;

    private CaracalObservation(MicrometerTracing tracing) {
        this.tracing = tracing;
    }

    /**
     * @param registry where the observations go; never {@code null}
     * @return the observation settings to pass to the verifier builder
     */
    public static CaracalObservation of(ObservationRegistry registry) {
        return new CaracalObservation(new MicrometerTracing(Objects.requireNonNull(registry, "registry")));
    }

    /** @return how many calls into the registry or its handlers threw (each cost a span, never a decision) */
    public long failures() {
        return tracing.failures();
    }

    Tracing tracing() {
        return tracing;
    }
}
