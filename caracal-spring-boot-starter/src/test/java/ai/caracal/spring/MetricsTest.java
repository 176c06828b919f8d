package ai.caracal.spring;

import ai.caracal.testkit.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.spring.metrics.CaracalMetrics;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.VerificationListener;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Micrometer binder, registered by the starter only when a {@code MeterRegistry} exists. */
@CaracalTest
class MetricsTest {

    @Test
    void verificationsAreTimedByOutcome(TestIssuer issuer) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).bean("meterRegistry", registry)
                .property("caracal.required-scopes", "read").start()) {
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(200);
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(200);
            assertThat(app.get("/items", Mandates.now(issuer).scope("write").sign()).statusCode()).isEqualTo(403);
            assertThat(app.get("/items", null).statusCode()).isEqualTo(401);

            assertThat(registry.get("caracal.verify").tag("outcome", "ok").tag("cause", "none").timer().count()).isEqualTo(2);
            assertThat(registry.get("caracal.verify").tag("outcome", "insufficient_scope").tag("cause", "requirement")
                    .timer().count()).isEqualTo(1);
            assertThat(registry.get("caracal.verify").tag("outcome", "missing_token").tag("cause", "missing")
                    .timer().count()).isEqualTo(1);
            assertThat(registry.get("caracal.jwks.fetch").tag("result", "success").counter().count()).isEqualTo(1);
            assertThat(registry.get("caracal.revocation.check.errors").counter().count()).isZero();
        }
    }

    @Test
    void verificationTimesFallIntoTheFixedBuckets(TestIssuer issuer) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MandateVerifier verifier = issuer.verifier().listener(new CaracalMetrics(registry)).build();
        for (int i = 0; i < 3; i++) {
            assertThat(verifier.authenticate(Mandates.now(issuer).sign()).ok()).isTrue();
        }
        assertThat(verifier.authenticate(Mandates.now(issuer).tamperSignature().sign()).ok()).isFalse();

        HistogramSnapshot ok = registry.get("caracal.verify").tag("outcome", "ok").timer().takeSnapshot();
        assertThat(Arrays.stream(ok.histogramCounts()).map(bucket -> Duration.ofNanos((long) bucket.bucket())))
                .containsExactlyElementsOf(CaracalMetrics.VERIFY_BUCKETS);
        // Cumulative: each bound counts the calls at or below it; all three took less than 5 s.
        double previous = 0;
        for (CountAtBucket bucket : ok.histogramCounts()) {
            assertThat(bucket.count()).isGreaterThanOrEqualTo(previous);
            previous = bucket.count();
        }
        assertThat(previous).isEqualTo(3);
        assertThat(ok.count()).isEqualTo(3);
        HistogramSnapshot forged = registry.get("caracal.verify").tag("cause", "bad_signature").timer().takeSnapshot();
        assertThat(forged.histogramCounts()).hasSize(CaracalMetrics.VERIFY_BUCKETS.size());
        assertThat(forged.histogramCounts()[forged.histogramCounts().length - 1].count()).isEqualTo(1);
        // Percentiles are left to the server (histogram_quantile); none is computed here.
        assertThat(ok.percentileValues()).isEmpty();
    }

    @Test
    void recordingIntoTheBucketsAllocatesNothingOnceTheTimerExists(TestIssuer issuer) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CaracalMetrics metrics = new CaracalMetrics(registry);
        AuthResult result = issuer.verifier().build().authenticate(Mandates.now(issuer).sign());
        assertThat(result.ok()).isTrue();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            metrics.verified(result, 1_000L + i);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            metrics.verified(result, 1_000L + i * 997L);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // A few hundred bytes at most for the measurement itself; one object per call would be megabytes.
        assertThat(allocated).isLessThan(10_000);
        assertThat(registry.get("caracal.verify").tag("outcome", "ok").timer().count()).isEqualTo(120_000);
    }

    @Test
    void aMeterFilterCanDropTheBuckets(TestIssuer issuer) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().equals(CaracalMetrics.VERIFY)
                        ? DistributionStatisticConfig.builder().serviceLevelObjectives().build().merge(config)
                        : config;
            }
        });
        MandateVerifier verifier = issuer.verifier().listener(new CaracalMetrics(registry)).build();
        assertThat(verifier.authenticate(Mandates.now(issuer).sign()).ok()).isTrue();

        HistogramSnapshot ok = registry.get("caracal.verify").tag("outcome", "ok").timer().takeSnapshot();
        assertThat(ok.count()).isEqualTo(1);
        assertThat(ok.histogramCounts()).isEmpty();
    }

    @Test
    void routeVerifiersReportToo(TestIssuer issuer) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).bean("meterRegistry", registry)
                .property("caracal.routes[0].prefix", "/payouts")
                .property("caracal.routes[0].require-agent", "true").start()) {
            assertThat(app.get("/payouts/1", Mandates.now(issuer).sign()).statusCode()).isEqualTo(403);
            assertThat(registry.get("caracal.verify").tag("outcome", "agent_required").timer().count()).isEqualTo(1);
        }
    }

    @Test
    void keySetFetchFailuresAndCooldownRejectionsAreCounted(TestIssuer issuer) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).bean("meterRegistry", registry).start()) {
            issuer.jwks().failWith(503);
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(401);
            assertThat(registry.get("caracal.jwks.fetch").tag("result", "failure").counter().count()).isEqualTo(1);

            issuer.jwks().reset();
            // within the failure back-off (V127) a request fails at once, counted as rejected_backoff;
            // the first one after it fetches and is served
            String token = Mandates.now(issuer).sign();
            Eventually.waitUntil(Duration.ofSeconds(10), "a request after the back-off is served",
                    () -> app.get("/items", token).statusCode() == 200);
            assertThat(registry.get("caracal.jwks.fetch").tag("result", "success").counter().count()).isEqualTo(1);
            issuer.rotateKey();
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(401);
            Eventually.waitUntil(Duration.ofSeconds(10), "a cooldown rejection to be counted",
                    () -> registry.find("caracal.jwks.fetch").tag("result", "rejected_cooldown").counter() != null);
        }
    }

    @Test
    void revocationStoreFailuresAreCounted(TestIssuer issuer) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestApp app = TestApp.with(issuer).without("caracal.revocation.store").sources(EchoFixture.class)
                .bean("meterRegistry", registry).bean("brokenStore", new BrokenStore()).start()) {
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(401);
            assertThat(registry.get("caracal.revocation.check.errors").counter().count()).isEqualTo(1);
            assertThat(registry.get("caracal.verify").tag("outcome", "invalid_token").tag("cause", "store_unavailable")
                    .timer().count()).isEqualTo(1);
        }
    }

    @Test
    void aStoreThatFailsClosedIsCountedAsAStoreError(TestIssuer issuer) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestApp app = TestApp.with(issuer).without("caracal.revocation.store").sources(EchoFixture.class)
                .bean("meterRegistry", registry).bean("closedStore", new FailedClosedStore()).start()) {
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(401);
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(401);

            assertThat(registry.get("caracal.revocation.check.errors").counter().count()).isEqualTo(2);
            assertThat(registry.get("caracal.verify").tag("outcome", "session_revoked").tag("cause", "store_unavailable")
                    .timer().count()).isEqualTo(2);
            assertThat(registry.find("caracal.verify").tag("cause", "revoked").timer()).isNull();
        }
    }

    @Test
    void aRegistryThatFailsChangesNoDecisionAndIsCounted(TestIssuer issuer) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().equals("caracal.verify")) {
                    throw new IllegalStateException("registry broken");
                }
                return id;
            }
        });
        CaracalMetrics metrics = new CaracalMetrics(registry);
        MandateVerifier verifier = issuer.verifier().listener(metrics).build();

        for (int i = 0; i < 50; i++) {
            assertThat(verifier.authenticate(Mandates.now(issuer).sign()).ok()).isTrue();
            assertThat(verifier.authenticate(Mandates.now(issuer).scope("other").sign(),
                    ai.caracal.verify.Requirements.builder().requiredScopes("read").build()).ok()).isFalse();
        }

        assertThat(metrics.registryFailures()).isEqualTo(100);
        assertThat(registry.find("caracal.verify").timer()).isNull();
        assertThat(registry.get("caracal.revocation.check.errors").counter().count()).isZero();
    }

    @Test
    void springBootsOwnRegistryGetsTheMeters(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).withBootMetrics().start()) {
            MeterRegistry registry = app.bean(MeterRegistry.class);
            assertThat(app.bean(CaracalMetrics.class)).isNotNull();
            assertThat(listeners(app.bean(MandateVerifier.class))).containsExactly(app.bean(CaracalMetrics.class));
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(200);
            assertThat(registry.get("caracal.verify").tag("outcome", "ok").timer().count()).isEqualTo(1);
        }
    }

    @Test
    void withoutARegistryTheVerifierHasNoListener(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).start()) {
            assertThat(app.context().getBeanNamesForType(CaracalMetrics.class)).isEmpty();
            assertThat(listeners(app.bean(MandateVerifier.class))).isEmpty();
        }
    }

    @Test
    void withoutMicrometerNothingOfItIsLoaded(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).withBootMetrics().hiding("io.micrometer.").start()) {
            assertThat(app.context().getBeanNamesForType(VerificationListener.class)).isEmpty();
            assertThat(app.context().getBeanDefinitionNames()).doesNotContain("caracalMetrics");
            assertThat(listeners(app.bean(MandateVerifier.class))).isEmpty();
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void ownListenerBeansAreAddedToo(TestIssuer issuer) {
        VerificationListener mine = new VerificationListener() {
        };
        try (TestApp app = TestApp.with(issuer).bean("myListener", mine).start()) {
            assertThat(listeners(app.bean(MandateVerifier.class))).containsExactly(mine);
        }
    }

    static List<VerificationListener> listeners(MandateVerifier verifier) {
        return verifier.options().listeners();
    }

    /** A store that cannot read its state and fails closed, as {@code RedisRevocationStore} does while Redis is down. */
    static final class FailedClosedStore implements RevocationStore {
        @Override
        public boolean isRevoked(String anchor) {
            return true;
        }

        @Override
        public void revoke(String anchor, Duration ttl) {
            throw new RevocationStoreException("down");
        }

        @Override
        public long currentDelegationEpoch(String zoneId) {
            return Long.MAX_VALUE;
        }

        @Override
        public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
            throw new RevocationStoreException("down");
        }

        @Override
        public RevocationCheck check(List<String> anchors, String zoneId) {
            return RevocationCheck.FAILED_CLOSED;
        }
    }

    /** A store whose every call throws, as an unreachable backend would. */
    static final class BrokenStore implements RevocationStore {
        @Override
        public boolean isRevoked(String anchor) {
            throw new RevocationStoreException("down");
        }

        @Override
        public void revoke(String anchor, Duration ttl) {
            throw new RevocationStoreException("down");
        }

        @Override
        public long currentDelegationEpoch(String zoneId) {
            throw new RevocationStoreException("down");
        }

        @Override
        public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
            throw new RevocationStoreException("down");
        }

        @Override
        public RevocationCheck check(List<String> anchors, String zoneId) {
            throw new RevocationStoreException("down");
        }
    }
}
