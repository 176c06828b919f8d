package ai.caracal.testkit.tracing;

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
 *
 * <p>Needs {@code io.micrometer:micrometer-tracing-bridge-otel} and
 * {@code io.opentelemetry:opentelemetry-sdk-testing} on the test classpath (optional dependencies of the
 * test kit).
 *
 * <pre>{@code
 * try (RealTracing tracing = new RealTracing()) {
 *     MandateVerifier verifier = issuer.verifier().observation(CaracalObservation.of(tracing.registry())).build();
 *     verifier.authenticate(token);
 *     assertThat(RealTracing.attribute(tracing.span("caracal verify").orElseThrow(), "caracal.outcome"))
 *             .isEqualTo("ok");
 * }
 * }</pre>
 */
public final class RealTracing implements AutoCloseable {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final Tracer otel = provider.get("caracal-tests");
    private final ObservationRegistry registry = ObservationRegistry.create();

    /** A registry with the tracing handler, and an empty exporter. */
    public RealTracing() {
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        OtelTracer tracer = new OtelTracer(otel, current, event -> { },
                new OtelBaggageManager(current, List.of(), List.of()));
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    }

    /**
     * Adds another observation handler to the registry (after the tracing handler).
     *
     * @param handler the handler
     * @return this
     */
    public RealTracing with(ObservationHandler<?> handler) {
        registry.observationConfig().observationHandler(handler);
        return this;
    }

    /** @return the observation registry to give the code under test */
    public ObservationRegistry registry() {
        return registry;
    }

    /** @return the OpenTelemetry tracer of the same SDK, for starting a parent span by hand */
    public Tracer otel() {
        return otel;
    }

    /** @return the exporter that holds the finished spans (for example to {@code reset()} it) */
    public InMemorySpanExporter exporter() {
        return exporter;
    }

    /**
     * @param name a span name (the contextual name, e.g. {@code caracal verify})
     * @return the finished spans of that name, in the order they finished
     */
    public List<SpanData> spans(String name) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }

    /**
     * @param name a span name
     * @return the last finished span of that name, if any
     */
    public Optional<SpanData> span(String name) {
        List<SpanData> spans = spans(name);
        return spans.isEmpty() ? Optional.empty() : Optional.of(spans.get(spans.size() - 1));
    }

    /**
     * @param span a finished span
     * @param key  an attribute key
     * @return the span's string attribute of that key, or {@code null}
     */
    public static String attribute(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    /** Shuts the tracer provider down. */
    @Override
    public void close() {
        provider.close();
    }
}
