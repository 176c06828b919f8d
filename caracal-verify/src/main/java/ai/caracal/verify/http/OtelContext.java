package ai.caracal.verify.http;

import ai.caracal.revocation.internal.RateLimitedWarning;
import ai.caracal.verify.Claims;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the OpenTelemetry API is on the class path, and the guarded calls into it: the only door from
 * the boundary to {@link OtelBaggage} and {@link OtelTraceId}, which are loaded only when it is. A failure
 * inside OpenTelemetry never reaches the request: it is counted and logged at WARN at most once a minute.
 */
final class OtelContext {

    private static final Logger log = LoggerFactory.getLogger(OtelContext.class);

    /** {@code true} when {@code io.opentelemetry:opentelemetry-api} (and its context) can be loaded. */
    static final boolean PRESENT = present();

    private static final AtomicLong failures = new AtomicLong();
    private static final RateLimitedWarning warning = new RateLimitedWarning(Duration.ofMinutes(1));

    private OtelContext() {
    }

    private static boolean present() {
        try {
            ClassLoader loader = OtelContext.class.getClassLoader();
            Class.forName("io.opentelemetry.context.Context", false, loader);
            Class.forName("io.opentelemetry.api.baggage.Baggage", false, loader);
            Class.forName("io.opentelemetry.api.trace.Span", false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * @param claims the verified claims, or {@code null} for a request that passes unverified
     * @param parent a context of {@link #capture()} to build on, or {@code null} for the current one
     * @return the scope holding the new baggage current; {@link BoundaryScope#NONE} on failure
     */
    static BoundaryScope enter(Claims claims, Object parent) {
        try {
            return OtelBaggage.enter(claims == null ? Map.of() : CaracalBaggage.entries(claims), parent);
        } catch (RuntimeException | LinkageError e) {
            failed(e);
            return BoundaryScope.NONE;
        }
    }

    /** @return the current OpenTelemetry context, or {@code null} on failure (then the later one is used) */
    static Object capture() {
        try {
            return OtelBaggage.capture();
        } catch (RuntimeException | LinkageError e) {
            failed(e);
            return null;
        }
    }

    /** @return the current span's trace ID (32 hex), or {@code null} when none is valid */
    static String traceId() {
        try {
            return OtelTraceId.current();
        } catch (RuntimeException | LinkageError e) {
            failed(e);
            return null;
        }
    }

    static long failures() {
        return failures.get();
    }

    static void failed(Throwable e) {
        failures.incrementAndGet();
        if (warning.admit()) {
            log.warn("OpenTelemetry context call failed; the request goes on without Caracal baggage ({} so far; {}: {})",
                    failures.get(), e.getClass().getName(), e.getMessage());
        }
    }
}
