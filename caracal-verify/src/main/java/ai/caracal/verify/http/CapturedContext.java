package ai.caracal.verify.http;

/**
 * A request's tracing context taken on one thread to be entered on another: see
 * {@link HttpBoundary#captureContext()} and {@link HttpBoundary#enter(BoundaryDecision, CapturedContext)}.
 * Opaque: it holds an OpenTelemetry {@code Context} when the API is present, so that this type needs none
 * of its classes. Immutable.
 */
public final class CapturedContext {

    /** No captured context: entering builds on whatever is current then. */
    public static final CapturedContext CURRENT = new CapturedContext(null);

    private final Object context;

    CapturedContext(Object context) {
        this.context = context;
    }

    /** @return the OpenTelemetry context, or {@code null} for {@link #CURRENT} */
    Object context() {
        return context;
    }
}
