package ai.caracal.revocation.redis;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Optional;

/**
 * The production tracing stack, in memory: a Micrometer {@link ObservationRegistry} whose handler is
 * Micrometer Tracing's OpenTelemetry bridge, over the OpenTelemetry SDK, exporting finished spans to an
 * {@link InMemorySpanExporter}. Nothing is mocked.
 */
final class RealTracing implements AutoCloseable {

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    final Tracer otel = provider.get("caracal-tests");
    final ObservationRegistry registry = ObservationRegistry.create();

    RealTracing() {
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        OtelTracer tracer = new OtelTracer(otel, current, event -> { },
                new OtelBaggageManager(current, List.of(), List.of()));
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    }

    RealTracing with(ObservationHandler<?> handler) {
        registry.observationConfig().observationHandler(handler);
        return this;
    }

    /** @return the finished spans of that name (the contextual name, e.g. {@code caracal verify}) */
    List<SpanData> spans(String name) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }

    Optional<SpanData> span(String name) {
        List<SpanData> spans = spans(name);
        return spans.isEmpty() ? Optional.empty() : Optional.of(spans.get(spans.size() - 1));
    }

    static String attribute(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    @Override
    public void close() {
        provider.close();
    }
}
