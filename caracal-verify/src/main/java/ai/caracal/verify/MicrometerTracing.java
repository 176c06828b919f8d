package ai.caracal.verify;

import ai.caracal.revocation.internal.RateLimitedWarning;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Tracing} through Micrometer Observation, so that whatever handlers the registry has (Micrometer
 * Tracing with OpenTelemetry or Brave, timers) record the spans. Loaded only by
 * {@link CaracalObservation#of}: the only class of this module that touches Micrometer.
 *
 * <p>Every call into Micrometer is guarded: a registry or handler that throws costs the span, never the
 * verification. Such failures are counted ({@link #failures()}) and logged at WARN at most once a minute.
 */
final class MicrometerTracing implements Tracing {

    private static final Logger log = LoggerFactory.getLogger(MicrometerTracing.class);

    private final ObservationRegistry registry;
    private final AtomicLong failures = new AtomicLong();
    private final RateLimitedWarning warning = new RateLimitedWarning(Duration.ofMinutes(1));

    MicrometerTracing(ObservationRegistry registry) {
        this.registry = registry;
    }

    long failures() {
        return failures.get();
    }

    @Override
    public Span verification(String zone) {
        return start(CaracalObservation.VERIFICATION, "caracal verify", null, zone, null);
    }

    @Override
    public Span revocationCheck(Span parent, String zone) {
        Observation parentObservation = parent instanceof ObservedSpan observed ? observed.observation : null;
        return start(CaracalObservation.REVOCATION_CHECK, "caracal revocation check", parentObservation, zone, null);
    }

    @Override
    public Span jwksFetch(URI jwksUri) {
        return start(CaracalObservation.JWKS_FETCH, "caracal jwks fetch", null, null, jwksUri);
    }

    private Span start(String name, String contextualName, Observation parent, String zone, URI jwksUri) {
        try {
            if (registry.isNoop()) {
                return Span.NONE;
            }
            Observation observation = Observation.createNotStarted(name, registry).contextualName(contextualName);
            if (parent != null) {
                observation.parentObservation(parent);
            }
            if (jwksUri == null) {
                observation.lowCardinalityKeyValue(CaracalObservation.ZONE, zone == null ? "none" : zone);
            } else {
                observation.highCardinalityKeyValue(CaracalObservation.JWKS_URI, jwksUri.toString());
            }
            observation.start();
            return new ObservedSpan(observation);
        } catch (RuntimeException e) {
            failed(e);
            return Span.NONE;
        }
    }

    private void failed(RuntimeException e) {
        failures.incrementAndGet();
        if (warning.admit()) {
            log.warn("Caracal observation failed; the verification result is unchanged ({} so far; {}: {})",
                    failures.get(), e.getClass().getName(), e.getMessage());
        }
    }

    /** A started observation. */
    private final class ObservedSpan implements Span {

        final Observation observation;

        ObservedSpan(Observation observation) {
            this.observation = observation;
        }

        @Override
        public Scope open() {
            try {
                Observation.Scope scope = observation.openScope();
                return () -> {
                    try {
                        scope.close();
                    } catch (RuntimeException e) {
                        failed(e);
                    }
                };
            } catch (RuntimeException e) {
                failed(e);
                return Scope.NONE;
            }
        }

        @Override
        public void stop(String outcome, String cause, String zone) {
            try {
                observation.lowCardinalityKeyValue(CaracalObservation.OUTCOME, outcome);
                if (cause != null) {
                    observation.lowCardinalityKeyValue(CaracalObservation.CAUSE, cause);
                }
                if (zone != null) {
                    observation.lowCardinalityKeyValue(CaracalObservation.ZONE, zone);
                }
            } catch (RuntimeException e) {
                failed(e);
            }
            try {
                observation.stop();
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }
}
