package ai.caracal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.RedisForTests;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TcpFaultProxy;
import ai.caracal.testkit.TestIssuer;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 7: the causes under the fault tests, asserted on a real Micrometer registry fed by the
 * starter's binder, in a Spring application whose Redis store reaches a real Redis through a
 * {@link TcpFaultProxy}. Every answer the client got is tallied by wire code, and the registry must show
 * exactly those answers with the cause of the fault: JWKS down ({@code keys_unavailable}), Redis down
 * ({@code store_unavailable}, and {@code caracal.revocation.check.errors} moves), a silent Redis (the same,
 * then 200 again within 15 s, state.md S71) and forged mandates ({@code bad_signature}, no store error).
 */
@Tag("slow")
@CaracalTest
class OutageMetricsTest {

    private static final Duration S71_BOUND = Duration.ofSeconds(15);
    private static final Pattern ERROR_MEMBER = Pattern.compile("\"error\"\\s*:\\s*\"([a-z_]+)\"");

    @Test
    void eachFaultIsCountedWithItsCause(TestIssuer issuer) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RedisURI redis = RedisForTests.sharedUri();
        // Every answer the client got, by wire code, over the whole test.
        Map<String, Integer> answers = new HashMap<>();
        issuer.jwks().failWith(503);
        try (TcpFaultProxy proxy = TcpFaultProxy.start(redis.getHost(), redis.getPort());
             TestApp app = TestApp.with(issuer).without("caracal.revocation.store").sources(EchoFixture.class)
                     .bean("meterRegistry", registry)
                     .property("caracal.revocation.redis.url", RedisURI.builder(redis).withHost(proxy.host())
                             .withPort(proxy.port()).build().toURI())
                     .property("caracal.revocation.redis.key-prefix", RedisForTests.unique("caracal-outage") + ":")
                     .property("caracal.revocation.redis.consumer.enabled", "false").start()) {
            RedisForTests.awaitUsable(app.bean(RevocationStore.class));

            // JWKS down, cold cache: invalid_token, cause keys_unavailable.
            for (int i = 0; i < 5; i++) {
                tally(answers, app.get("/items", Mandates.now(issuer).sign()));
            }
            assertThat(answers).containsEntry("invalid_token", 5);
            assertThat(count(registry, "invalid_token", "keys_unavailable")).isEqualTo(5);
            assertThat(registry.get("caracal.jwks.fetch").tag("result", "failure").counter().count()).isPositive();
            issuer.jwks().reset();
            awaitServed(app, issuer, answers);
            long keysUnavailable = answers.get("invalid_token");
            assertThat(count(registry, "invalid_token", "keys_unavailable")).isEqualTo(keysUnavailable);
            assertThat(errors(registry)).isZero();

            // Redis down (reset, refused): session_revoked, cause store_unavailable, one store error each.
            proxy.reset();
            for (int i = 0; i < 5; i++) {
                tally(answers, app.get("/items", Mandates.now(issuer).sign()));
            }
            assertThat(answers).containsEntry("session_revoked", 5);
            assertThat(count(registry, "session_revoked", "store_unavailable")).isEqualTo(5);
            assertThat(errors(registry)).isEqualTo(5);
            proxy.restore();
            awaitServed(app, issuer, answers);

            // Redis silent (open connections answer nothing, new ones pass): fails closed, then served again.
            int beforeSilence = answers.get("session_revoked");
            proxy.silence();
            long silenced = System.nanoTime();
            awaitServed(app, issuer, answers);
            assertThat(Duration.ofNanos(System.nanoTime() - silenced)).isLessThan(S71_BOUND);
            assertThat(answers.get("session_revoked") - beforeSilence).as("checks on the silent connection")
                    .isGreaterThanOrEqualTo(3);
            long storeUnavailable = answers.get("session_revoked");
            assertThat(count(registry, "session_revoked", "store_unavailable")).isEqualTo(storeUnavailable);
            assertThat(errors(registry)).isEqualTo(storeUnavailable);
            assertThat(count(registry, "session_revoked", "revoked")).isZero();

            // Forged mandates: invalid_token with cause bad_signature; no store error, no outage cause.
            for (int i = 0; i < 5; i++) {
                tally(answers, app.get("/items", Mandates.now(issuer).tamperSignature().sign()));
            }
            assertThat(answers).containsEntry("invalid_token", (int) keysUnavailable + 5);
            assertThat(count(registry, "invalid_token", "bad_signature")).isEqualTo(5);
            assertThat(count(registry, "invalid_token", "keys_unavailable")).isEqualTo(keysUnavailable);
            assertThat(errors(registry)).isEqualTo(storeUnavailable);
            assertThat(count(registry, "ok", "none")).isEqualTo(answers.get("ok").longValue());
        }
    }

    private static void awaitServed(TestApp app, TestIssuer issuer, Map<String, Integer> answers) {
        Eventually.waitUntil(S71_BOUND, "a valid mandate is served",
                () -> tally(answers, app.get("/items", Mandates.now(issuer).sign())) == 200);
    }

    /** @return the status; counts the answer by its wire code ({@code ok} for 200) */
    private static int tally(Map<String, Integer> answers, HttpResponse<String> response) {
        String code = response.statusCode() == 200 ? "ok" : errorCode(response.body());
        answers.merge(code, 1, Integer::sum);
        return response.statusCode();
    }

    private static long count(SimpleMeterRegistry registry, String outcome, String cause) {
        Timer timer = registry.find("caracal.verify").tag("outcome", outcome).tag("cause", cause).timer();
        return timer == null ? 0 : timer.count();
    }

    private static long errors(SimpleMeterRegistry registry) {
        return (long) registry.get("caracal.revocation.check.errors").counter().count();
    }

    /** @return the {@code error} member of the canonical JSON error body */
    private static String errorCode(String body) {
        Matcher matcher = ERROR_MEMBER.matcher(body);
        return matcher.find() ? matcher.group(1) : "unreadable";
    }
}
