package ai.caracal.spring;

import ai.caracal.testkit.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.spring.metrics.CaracalMetrics;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.VerificationListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
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

            assertThat(registry.get("caracal.verify").tag("outcome", "ok").timer().count()).isEqualTo(2);
            assertThat(registry.get("caracal.verify").tag("outcome", "insufficient_scope").timer().count()).isEqualTo(1);
            assertThat(registry.get("caracal.verify").tag("outcome", "missing_token").timer().count()).isEqualTo(1);
            assertThat(registry.get("caracal.jwks.fetch").tag("result", "success").counter().count()).isEqualTo(1);
            assertThat(registry.get("caracal.revocation.check.errors").counter().count()).isZero();
        }
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
            // V127: the next fetch waits for the failure back-off (250 ms), then the key set is fetched.
            Eventually.waitUntil(Duration.ofSeconds(10), "a verified request once the key set answers again",
                    () -> app.get("/items", Mandates.now(issuer).sign()).statusCode() == 200);
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
            assertThat(registry.get("caracal.verify").tag("outcome", "invalid_token").timer().count()).isEqualTo(1);
        }
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
