package ai.caracal.verify.http;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/** The current OpenTelemetry span's trace ID. Loaded only through {@link OtelContext}. */
final class OtelTraceId {

    private OtelTraceId() {
    }

    static String current() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }
}
