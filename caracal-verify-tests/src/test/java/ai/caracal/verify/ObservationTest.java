package ai.caracal.verify;

import static ai.caracal.testkit.tracing.RealTracing.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.tracing.RealTracing;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Spans through Micrometer Observation (issue 16 item 4), asserted on what the OpenTelemetry SDK
 * exported through Micrometer Tracing's bridge: names, parentage, the low-cardinality outcome, cause and
 * zone, and no token bytes. The JWKS-down cases use the test issuer's real key set server.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class ObservationTest {

    private final RealTracing tracing = new RealTracing();

    @AfterEach
    void closeTracing() {
        tracing.close();
    }

    private MandateVerifier verifier(TestIssuer issuer) {
        return issuer.verifier().observation(CaracalObservation.of(tracing.registry())).build();
    }

    private SpanData await(String name) {
        Eventually.waitUntil(Duration.ofSeconds(10), "span " + name, () -> tracing.span(name).isPresent());
        return tracing.span(name).orElseThrow();
    }

    @Test
    @DisplayName("an accepted mandate: verify span under the request span, with jwks fetch and store check as its children")
    void acceptedMandateIsTraced(TestIssuer issuer) {
        String token = issuer.mint().sign();
        Span request = tracing.otel().spanBuilder("request").startSpan();
        AuthResult result;
        try (Scope ignored = request.makeCurrent()) {
            result = verifier(issuer).authenticate(token);
        } finally {
            request.end();
        }

        assertThat(result.ok()).isTrue();
        SpanData verify = await("caracal verify");
        SpanData fetch = await("caracal jwks fetch");
        SpanData check = await("caracal revocation check");
        assertThat(verify.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
        assertThat(verify.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(fetch.getParentSpanId()).isEqualTo(verify.getSpanId());
        assertThat(check.getParentSpanId()).isEqualTo(verify.getSpanId());
        assertThat(attribute(verify, "caracal.outcome")).isEqualTo("ok");
        assertThat(attribute(verify, "caracal.cause")).isEqualTo("none");
        assertThat(attribute(verify, "caracal.zone")).isEqualTo("zone-1");
        assertThat(attribute(fetch, "caracal.outcome")).isEqualTo("success");
        assertThat(attribute(fetch, "caracal.jwks.uri")).isEqualTo(issuer.jwksUrl().toString());
        assertThat(attribute(check, "caracal.outcome")).isEqualTo("live");
        assertNoTokenIn(token);
    }

    @Test
    @DisplayName("JWKS down: the verify span says invalid_token / keys_unavailable, the fetch span failure")
    void jwksDownIsTracedAsKeysUnavailable(TestIssuer issuer) {
        issuer.jwks().failWith(503);
        String token = issuer.mint().sign();

        AuthResult result = verifier(issuer).authenticate(token);

        assertThat(result.cause()).isEqualTo(Cause.KEYS_UNAVAILABLE);
        SpanData verify = await("caracal verify");
        SpanData fetch = await("caracal jwks fetch");
        assertThat(attribute(verify, "caracal.outcome")).isEqualTo("invalid_token");
        assertThat(attribute(verify, "caracal.cause")).isEqualTo("keys_unavailable");
        assertThat(fetch.getParentSpanId()).isEqualTo(verify.getSpanId());
        assertThat(attribute(fetch, "caracal.outcome")).isEqualTo("failure");
        assertThat(tracing.spans("caracal revocation check")).isEmpty();
        assertNoTokenIn(token);
    }

    @Test
    @DisplayName("JWKS down on the asynchronous path: the span ends when the answer does, with the same cause")
    void jwksDownAsyncIsTraced(TestIssuer issuer) {
        issuer.jwks().delay(Duration.ofMillis(200)).failWith(503);

        AuthResult result = verifier(issuer).authenticateAsync(issuer.mint().sign()).toCompletableFuture().join();

        assertThat(result.cause()).isEqualTo(Cause.KEYS_UNAVAILABLE);
        SpanData verify = await("caracal verify");
        assertThat(attribute(verify, "caracal.cause")).isEqualTo("keys_unavailable");
        assertThat(await("caracal jwks fetch").getParentSpanId()).isEqualTo(verify.getSpanId());
    }

    @Test
    @DisplayName("a revoked mandate: the store check says revoked, the verify span session_revoked / revoked")
    void revokedMandateIsTraced(TestIssuer issuer) {
        issuer.revoke("sid-revoked");
        AuthResult result = verifier(issuer).authenticate(issuer.mint().sid("sid-revoked").sign());

        assertThat(result.cause()).isEqualTo(Cause.REVOKED);
        assertThat(attribute(await("caracal revocation check"), "caracal.outcome")).isEqualTo("revoked");
        SpanData verify = await("caracal verify");
        assertThat(attribute(verify, "caracal.outcome")).isEqualTo("session_revoked");
        assertThat(attribute(verify, "caracal.cause")).isEqualTo("revoked");
    }

    @Test
    @DisplayName("a token for another zone: the span carries the configured zone, never the token's")
    void rejectedTokenZoneIsNotRecorded(TestIssuer issuer) {
        AuthResult result = verifier(issuer).authenticate(issuer.mint().zoneId("zone-attacker-123").sign());

        assertThat(result.cause()).isEqualTo(Cause.ZONE);
        SpanData verify = await("caracal verify");
        assertThat(attribute(verify, "caracal.zone")).isEqualTo("zone-1");
        assertThat(verify.getAttributes().asMap().values()).noneMatch(v -> v.toString().contains("attacker"));
    }

    @Test
    @DisplayName("a throwing observation handler costs the spans, never the decision; the failures are counted")
    void throwingHandlerNeverChangesTheDecision(TestIssuer issuer) {
        tracing.with(new ObservationHandler<Observation.Context>() {
            @Override
            public void onStart(Observation.Context context) {
                throw new IllegalStateException("handler broken on start");
            }

            @Override
            public void onStop(Observation.Context context) {
                throw new IllegalStateException("handler broken on stop");
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        CaracalObservation observation = CaracalObservation.of(tracing.registry());
        MandateVerifier verifier = issuer.verifier().observation(observation).build();

        assertThat(verifier.authenticate(issuer.mint().sign()).ok()).isTrue();
        assertThat(verifier.authenticate(issuer.mint().scope("other").sign()).ok()).isTrue();
        issuer.revoke("sid-gone");
        assertThat(verifier.authenticate(issuer.mint().sid("sid-gone").sign()).cause()).isEqualTo(Cause.REVOKED);
        assertThat(verifier.authenticateAsync(issuer.mint().sign()).toCompletableFuture().join().ok()).isTrue();

        assertThat(observation.failures()).isGreaterThanOrEqualTo(4);
    }

    private void assertNoTokenIn(String token) {
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String payload = token.split("\\.")[1];
        List<SpanData> all = tracing.exporter().getFinishedSpanItems();
        assertThat(all).isNotEmpty();
        for (SpanData span : all) {
            assertThat(span.getAttributes().asMap().values())
                    .noneMatch(v -> v.toString().contains(signature) || v.toString().contains(payload));
            assertThat(span.getName()).doesNotContain(payload);
        }
    }
}
