package ai.caracal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.Cause;
import ai.caracal.verify.audit.AuditEvent;
import ai.caracal.verify.audit.AuditSink;
import ai.caracal.verify.audit.Slf4jAuditSink;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The starter wires tracing and audit by itself (issue 16): the verifier records spans in the
 * application's {@link ObservationRegistry} (here bridged to the OpenTelemetry SDK), handlers see the
 * {@code caracal.*} baggage, and every {@link AuditSink} bean receives the decisions.
 */
@CaracalTest
class TracingAndAuditTest {

    /** Answers the current baggage's {@code caracal.session}, or {@code none}. */
    @Configuration(proxyBeanMethods = false)
    static class BaggageEcho {
        @Bean
        ServletRegistrationBean<HttpServlet> baggageServlet() {
            return new ServletRegistrationBean<>(new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    String session = Baggage.current().getEntryValue("caracal.session");
                    response.setStatus(200);
                    response.getOutputStream().write((session == null ? "none" : session).getBytes(StandardCharsets.UTF_8));
                }
            }, "/*");
        }
    }

    /** A server observation of its own around the filter chain, ahead of the Caracal filter. */
    @Configuration(proxyBeanMethods = false)
    static class RequestObservation {
        @Bean
        org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> requestObservation(
                ObservationRegistry registry) {
            jakarta.servlet.Filter filter = (request, response, chain) -> {
                io.micrometer.observation.Observation observation =
                        io.micrometer.observation.Observation.createNotStarted("test.request", registry)
                                .contextualName("test request").start();
                try (io.micrometer.observation.Observation.Scope scope = observation.openScope()) {
                    chain.doFilter(request, response);
                } finally {
                    observation.stop();
                }
            };
            org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> registration =
                    new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
            registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 10);
            return registration;
        }
    }

    /** Collects events. */
    static final class Recorder implements AuditSink {
        final List<AuditEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void record(AuditEvent event) {
            events.add(event);
        }
    }

    @Test
    void verificationSpansGoToTheApplicationsObservationRegistry(TestIssuer issuer) {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
            ObservationRegistry registry = ObservationRegistry.create();
            OtelCurrentTraceContext current = new OtelCurrentTraceContext();
            registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(new OtelTracer(
                    provider.get("test"), current, event -> { }, new OtelBaggageManager(current, List.of(), List.of()))));
            try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class, RequestObservation.class)
                    .bean("observationRegistry", registry).start()) {
                issuer.jwks().failWith(503);
                assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(401);
                issuer.jwks().reset();
                String token = Mandates.now(issuer).sign();
                Eventually.waitUntil(Duration.ofSeconds(10), "a request after the back-off is served",
                        () -> app.get("/items", token).statusCode() == 200);

                Eventually.waitUntil(Duration.ofSeconds(10), "the last verify span", () -> verifySpans(exporter).stream()
                        .anyMatch(span -> "none".equals(span.getAttributes().get(AttributeKey.stringKey("caracal.cause")))));
                List<SpanData> spans = verifySpans(exporter);
                SpanData down = spans.get(0);
                assertThat(down.getAttributes().get(AttributeKey.stringKey("caracal.cause"))).isEqualTo("keys_unavailable");
                assertThat(down.getAttributes().get(AttributeKey.stringKey("caracal.outcome"))).isEqualTo("invalid_token");
                SpanData served = spans.get(spans.size() - 1);
                assertThat(served.getAttributes().get(AttributeKey.stringKey("caracal.outcome"))).isEqualTo("ok");
                Eventually.waitUntil(Duration.ofSeconds(10), "the request span", () -> exporter.getFinishedSpanItems().stream()
                        .anyMatch(span -> span.getSpanId().equals(served.getParentSpanId())));
                SpanData parent = exporter.getFinishedSpanItems().stream()
                        .filter(span -> span.getSpanId().equals(served.getParentSpanId())).findFirst().orElseThrow();
                assertThat(parent.getName()).as("the observation around the filter chain is the parent")
                        .isEqualTo("test request");
            }
        }
    }

    private static List<SpanData> verifySpans(InMemorySpanExporter exporter) {
        return exporter.getFinishedSpanItems().stream().filter(span -> span.getName().equals("caracal verify")).toList();
    }

    @Test
    void aMeterRegistryThatThrowsChangesNoAnswer(TestIssuer issuer) {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        registry.config().meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
            @Override
            public io.micrometer.core.instrument.config.MeterFilterReply accept(io.micrometer.core.instrument.Meter.Id id) {
                if (id.getName().equals("caracal.verify") || id.getName().equals("caracal.jwks.fetch")) {
                    throw new IllegalStateException("registry broken");
                }
                return io.micrometer.core.instrument.config.MeterFilterReply.NEUTRAL;
            }
        });
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).bean("meterRegistry", registry)
                .property("caracal.required-scopes", "read").start()) {
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(200);
            assertThat(app.get("/items", Mandates.now(issuer).scope("write").sign()).statusCode()).isEqualTo(403);
            assertThat(app.get("/items", null).statusCode()).isEqualTo(401);
            // The metrics binder catches and counts a failing registry itself (it never reaches the verifier).
            assertThat(app.context().getBean(ai.caracal.spring.metrics.CaracalMetrics.class).registryFailures())
                    .isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void tracingOffLeavesTheRegistryAlone(TestIssuer issuer) {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
            ObservationRegistry registry = ObservationRegistry.create();
            OtelCurrentTraceContext current = new OtelCurrentTraceContext();
            registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(new OtelTracer(
                    provider.get("test"), current, event -> { }, new OtelBaggageManager(current, List.of(), List.of()))));
            try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).bean("observationRegistry", registry)
                    .property("caracal.tracing.enabled", "false").start()) {
                assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(200);
                // With tracing on, the span ends (and is exported) before the handler runs.
                assertThat(verifySpans(exporter)).isEmpty();
            }
        }
    }

    @Test
    void handlersSeeTheCaracalBaggage(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).sources(BaggageEcho.class).start()) {
            assertThat(app.get("/items", Mandates.now(issuer).sid("sid-baggage").sign()).body()).isEqualTo("sid-baggage");
        }
        try (TestApp app = TestApp.with(issuer).sources(BaggageEcho.class).property("caracal.tracing.baggage", "false").start()) {
            assertThat(app.get("/items", Mandates.now(issuer).sid("sid-baggage").sign()).body()).isEqualTo("none");
        }
    }

    @Test
    void everyAuditSinkBeanReceivesTheDecisions(TestIssuer issuer) {
        Recorder recorder = new Recorder();
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).bean("myAudit", recorder)
                .property("caracal.audit.log", "true").property("caracal.required-scopes", "read").start()) {
            assertThat(app.bean(Slf4jAuditSink.class)).isNotNull();
            assertThat(app.get("/items", Mandates.now(issuer).sub("user-9").sign()).statusCode()).isEqualTo(200);
            assertThat(app.get("/items", Mandates.now(issuer).scope("write").sign()).statusCode()).isEqualTo(403);

            Eventually.waitUntil(Duration.ofSeconds(10), "two events", () -> recorder.events.size() == 2);
            assertThat(recorder.events).extracting(AuditEvent::result).containsExactly("allow", "deny");
            assertThat(recorder.events.get(0).subject()).isEqualTo("user-9");
            assertThat(recorder.events.get(1).cause()).isEqualTo(Cause.REQUIREMENT);
            assertThat(app.bean(CaracalAudit.class).sink().recorded()).isEqualTo(2);
        }
    }

    @Test
    void withoutASinkThereIsNoAuditQueue(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).start()) {
            assertThat(app.bean(CaracalAudit.class).sink()).isNull();
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void redisAuditWithoutTheRedisStoreFailsAtStartUp(TestIssuer issuer) {
        Throwable failure = TestApp.with(issuer).property("caracal.audit.redis.enabled", "true").failure();
        assertThat(failure).hasStackTraceContaining("caracal.audit.redis.enabled needs the Redis revocation store");
    }

    @Test
    void withoutMicrometerAndOpenTelemetryTheAppStillServes(TestIssuer issuer) {
        Recorder recorder = new Recorder();
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).bean("myAudit", recorder)
                .hiding("io.micrometer.", "io.opentelemetry.").start()) {
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(200);
            Eventually.waitUntil(Duration.ofSeconds(10), "one event", () -> recorder.events.size() == 1);
        }
    }
}
