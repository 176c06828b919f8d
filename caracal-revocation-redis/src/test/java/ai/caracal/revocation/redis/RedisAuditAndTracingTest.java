package ai.caracal.revocation.redis;

import static ai.caracal.testkit.tracing.RealTracing.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.tracing.RealTracing;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.CaracalObservation;
import ai.caracal.verify.Cause;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.audit.AsyncAuditSink;
import ai.caracal.verify.audit.AuditEvent;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Redis half of issue 16: the audit stream sink on a real Redis (fields, own stream, MAXLEN bound,
 * Redis down), and the spans of a verification whose store is a Redis that stops (cause
 * {@code store_unavailable}), asserted on the OpenTelemetry SDK through Micrometer Tracing's bridge.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class RedisAuditAndTracingTest {

    private RedisForTests.OwnedRedis redis;
    private RedisClient client;

    @BeforeEach
    void startRedis() {
        redis = RedisForTests.startOwned();
        client = RedisForTests.client(redis.uri());
    }

    @AfterEach
    void stopRedis() {
        client.shutdown();
        redis.close();
    }

    private static AuditEvent event(boolean allowed, String action) {
        return new AuditEvent(Instant.parse("2026-12-04T19:10:53Z"), allowed, allowed ? null : "invalid_token",
                allowed ? Cause.NONE : Cause.KEYS_UNAVAILABLE, "zone-1", allowed ? "user-1" : null,
                allowed ? "app-1" : null, null, action, "4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    @DisplayName("each event is one entry of the audit stream, with the documented fields and no null member")
    void eventsBecomeStreamEntries() {
        String stream = RedisForTests.unique("caracal.audit.test");
        try (RedisAuditSink sink = RedisAuditSink.builder().client(client).stream(stream).build();
             StatefulRedisConnection<String, String> reader = client.connect()) {
            sink.record(event(true, "GET /items"));
            sink.record(event(false, "POST /mcp"));

            List<StreamMessage<String, String>> entries = reader.sync().xrange(stream, io.lettuce.core.Range.create("-", "+"));
            assertThat(entries).hasSize(2);
            assertThat(entries.get(0).getBody()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "time", "2026-12-04T19:10:53Z", "result", "allow", "cause", "none", "zone", "zone-1",
                    "sub", "user-1", "client_id", "app-1", "action", "GET /items",
                    "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"));
            assertThat(entries.get(1).getBody()).containsEntry("result", "deny").containsEntry("code", "invalid_token")
                    .containsEntry("cause", "keys_unavailable").doesNotContainKey("sub");
        }
    }

    @Test
    @DisplayName("the stream is bounded by MAXLEN ~")
    void streamIsBounded() {
        String stream = RedisForTests.unique("caracal.audit.bounded");
        try (RedisAuditSink sink = RedisAuditSink.builder().client(client).stream(stream).maxLength(10).build();
             StatefulRedisConnection<String, String> reader = client.connect()) {
            for (int i = 0; i < 500; i++) {
                sink.record(event(true, "GET /" + i));
            }
            assertThat(reader.sync().xlen(stream)).isLessThan(500).isLessThanOrEqualTo(200);
        }
    }

    @Test
    @DisplayName("the revocation streams cannot be chosen as the audit stream")
    void revocationStreamsAreRefused() {
        assertThatThrownBy(() -> RedisAuditSink.builder().stream("caracal.sessions.revoke"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisAuditSink.builder().stream("caracal.delegations.invalidate"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("Redis down: offers never block, the lost events are counted as failures, writing resumes after")
    void redisDownIsCounted() {
        String stream = RedisForTests.unique("caracal.audit.down");
        try (RedisAuditSink sink = RedisAuditSink.builder().client(client).stream(stream)
                     .timeout(Duration.ofMillis(500)).build();
             AsyncAuditSink audit = AsyncAuditSink.builder(sink).capacity(100).build()) {
            audit.offer(event(true, "GET /before"));
            Eventually.waitUntil(Duration.ofSeconds(10), "first event written", () -> audit.recorded() == 1);

            redis.stop();
            for (int i = 0; i < 3; i++) {
                assertThat(audit.offer(event(true, "GET /during"))).isTrue();
            }
            Eventually.waitUntil(Duration.ofSeconds(30), "three failures", () -> audit.failed() == 3);
            assertThat(audit.recorded()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("Redis down under a verification: the store check span says unavailable, the verify span store_unavailable")
    void redisDownIsTracedAsStoreUnavailable(TestIssuer issuer) {
        try (RealTracing tracing = new RealTracing();
             RedisRevocationStore store = RedisRevocationStore.builder().client(client).build()) {
            RedisForTests.awaitUsable(store);
            MandateVerifier verifier = issuer.verifier().revocations(store)
                    .observation(CaracalObservation.of(tracing.registry())).build();
            String token = issuer.mint().agentSession().sign();
            assertThat(verifier.authenticate(token).ok()).isTrue();
            assertThat(attribute(tracing.span("caracal revocation check").orElseThrow(), "caracal.outcome")).isEqualTo("live");
            tracing.exporter().reset();

            redis.stop();
            AuthResult result = verifier.authenticate(token);

            assertThat(result.cause()).isEqualTo(Cause.STORE_UNAVAILABLE);
            Eventually.waitUntil(Duration.ofSeconds(10), "spans", () -> tracing.span("caracal verify").isPresent());
            SpanData verify = tracing.span("caracal verify").orElseThrow();
            SpanData check = tracing.span("caracal revocation check").orElseThrow();
            assertThat(check.getParentSpanId()).isEqualTo(verify.getSpanId());
            assertThat(attribute(check, "caracal.outcome")).isEqualTo("unavailable");
            assertThat(attribute(check, "caracal.zone")).isEqualTo("zone-1");
            assertThat(attribute(verify, "caracal.outcome")).isEqualTo(result.error().code().wire());
            assertThat(attribute(verify, "caracal.cause")).isEqualTo("store_unavailable");
            assertThat(tracing.exporter().getFinishedSpanItems()).allSatisfy(span -> assertThat(
                    span.getAttributes().asMap().values()).noneMatch(v -> v.toString().contains(token.split("\\.")[1])));
        }
    }
}
