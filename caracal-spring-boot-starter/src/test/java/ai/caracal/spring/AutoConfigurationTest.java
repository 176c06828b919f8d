package ai.caracal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreFullException;
import ai.caracal.servlet.CaracalFilter;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.MandateVerifier;
import jakarta.servlet.DispatcherType;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/** Conditions, the beans of connectors.md §6.2, and the start-up failures. */
@CaracalTest
class AutoConfigurationTest {

    @Test
    void filterIsRegisteredAsyncForRequestDispatchAfterSpringSecurity(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).start()) {
            FilterRegistrationBean<?> registration = app.context().getBean("caracalFilter", FilterRegistrationBean.class);
            assertThat(registration.getFilter()).isInstanceOf(CaracalFilter.class);
            assertThat(registration.isAsyncSupported()).isTrue();
            assertThat(registration.determineDispatcherTypes()).containsExactly(DispatcherType.REQUEST);
            assertThat(registration.getOrder()).isEqualTo(-90);
            assertThat(registration.getUrlPatterns()).containsExactly("/*");
            assertThat(registration.getFilterName()).isEqualTo("caracalFilter");
            assertThat(((CaracalFilter) registration.getFilter()).verifier()).isSameAs(app.bean(MandateVerifier.class));
        }
    }

    @Test
    void filterOrderAndUrlPatternsComeFromProperties(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class)
                .property("caracal.filter-order", "5")
                .property("caracal.url-patterns", "/api/*,/mcp").start()) {
            FilterRegistrationBean<?> registration = app.context().getBean("caracalFilter", FilterRegistrationBean.class);
            assertThat(registration.getOrder()).isEqualTo(5);
            assertThat(registration.getUrlPatterns()).containsExactly("/api/*", "/mcp");
            assertThat(((CaracalFilter) registration.getFilter()).boundary().drainLimit()).isEqualTo(16L * 1024 * 1024);

            assertThat(app.get("/api/items", null).statusCode()).isEqualTo(401);
            assertThat(app.get("/mcp", null).statusCode()).isEqualTo(401);
            HttpResponse<String> unmapped = app.get("/other", null);
            assertThat(unmapped.statusCode()).isEqualTo(200);
            assertThat(unmapped.body()).isEqualTo("{\"sub\":null}");
        }
    }

    @Test
    @DisplayName("caracal.scope-hierarchy and caracal.origin-check (connectors.md §10.2 M8, M11) reach the filter")
    void scopeHierarchyAndOriginCheckComeFromProperties(TestIssuer issuer) throws Exception {
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class)
                .property("caracal.required-scopes", "documents:read")
                .property("caracal.scope-hierarchy[documents:admin]", "documents:read")
                .property("caracal.origin-check.enabled", "true")
                .property("caracal.origin-check.allowed-origins", "https://app.example")
                .start()) {
            issuer.clock().set(java.time.Instant.now());
            String admin = issuer.mint().scope("documents:admin").sign();
            assertThat(app.get("/items", admin).statusCode()).isEqualTo(200);
            assertThat(app.get("/items", issuer.mint().scope("documents:write").sign()).statusCode()).isEqualTo(403);
            java.net.http.HttpRequest.Builder foreign = java.net.http.HttpRequest.newBuilder(app.uri("/items")).header("Origin", "http://evil.example");
            assertThat(app.send(foreign, admin).statusCode()).isEqualTo(403);
            java.net.http.HttpRequest.Builder allowed = java.net.http.HttpRequest.newBuilder(app.uri("/items")).header("Origin", "https://app.example");
            assertThat(app.send(allowed, admin).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void drainLimitComesFromProperties(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).property("caracal.drain-limit", "1MB").start()) {
            FilterRegistrationBean<?> registration = app.context().getBean("caracalFilter", FilterRegistrationBean.class);
            assertThat(((CaracalFilter) registration.getFilter()).boundary().drainLimit()).isEqualTo(1024L * 1024);
        }
    }

    @Test
    void disabledByPropertyLeavesRequestsAlone(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).property("caracal.enabled", "false").start()) {
            assertThat(app.context().getBeanNamesForType(MandateVerifier.class)).isEmpty();
            assertThat(app.context().containsBean("caracalFilter")).isFalse();
            assertThat(app.get("/items", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void notActiveOutsideServletWebApplications() {
        // No Caracal settings at all: active, it would fail for the missing issuer and store.
        try (TestApp app = TestApp.builder().type(WebApplicationType.NONE).start()) {
            assertThat(app.context().getBeanNamesForType(MandateVerifier.class)).isEmpty();
            assertThat(app.context().getBeanNamesForType(CaracalProperties.class)).isEmpty();
        }
    }

    @Test
    void startupFailsWithoutAnyRevocationStore(TestIssuer issuer) {
        Throwable failure = TestApp.with(issuer).without("caracal.revocation.store").failure();
        assertThat(rootCause(failure)).isInstanceOf(IllegalStateException.class)
                .hasMessage(RevocationStoreConfiguration.STORE_MISSING);
    }

    @Test
    void userRevocationStoreWins(TestIssuer issuer) {
        InMemoryRevocationStore mine = new InMemoryRevocationStore();
        try (TestApp app = TestApp.with(issuer).without("caracal.revocation.store")
                .bean("myStore", mine).sources(EchoFixture.class).start()) {
            assertThat(app.bean(RevocationStore.class)).isSameAs(mine);
            assertThat(app.bean(MandateVerifier.class).options().revocations()).isSameAs(mine);

            var mandate = Mandates.now(issuer);
            String token = mandate.sign();
            assertThat(app.get("/items", token).statusCode()).isEqualTo(200);
            mine.revoke((String) mandate.claims().get("sid"));
            HttpResponse<String> revoked = app.get("/items", token);
            assertThat(revoked.statusCode()).isEqualTo(401);
            assertThat(revoked.body()).contains("\"error\":\"session_revoked\"");
        }
    }

    @Test
    void userRevocationStoreWinsOverConfiguredMemoryStore(TestIssuer issuer) {
        InMemoryRevocationStore mine = new InMemoryRevocationStore();
        try (TestApp app = TestApp.with(issuer).bean("myStore", mine).start()) {
            assertThat(app.context().getBeansOfType(RevocationStore.class)).containsOnlyKeys("myStore");
        }
    }

    @Test
    void userVerifierWinsAndNeedsNoStoreSettings(TestIssuer issuer) {
        MandateVerifier mine = issuer.verifier().requiredScopes("mine").build();
        try (TestApp app = TestApp.builder().bean("myVerifier", mine).sources(EchoFixture.class)
                .property("caracal.warmup-on-startup", "false").start()) {
            assertThat(app.bean(MandateVerifier.class)).isSameAs(mine);
            CaracalFilter filter = (CaracalFilter) app.context().getBean("caracalFilter", FilterRegistrationBean.class).getFilter();
            assertThat(filter.verifier()).isSameAs(mine);
            issuer.clock().set(java.time.Instant.now());
            HttpResponse<String> response = app.get("/items", issuer.mint().scope("read").sign());
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("Mandate lacks scope: mine");
        }
    }

    @Test
    void memoryStoreTakesItsSettings(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).property("caracal.revocation.memory.max-entries", "1").start()) {
            InMemoryRevocationStore store = app.bean(InMemoryRevocationStore.class);
            store.revoke("anchor-1");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.revoke("anchor-2"))
                    .isInstanceOf(RevocationStoreFullException.class);
        }
    }

    @Test
    void issuerMissingFailsStartup(TestIssuer issuer) {
        // An empty CARACAL_STS_URL counts as unset (and hides one the machine may have).
        Throwable failure = TestApp.with(issuer).without("caracal.sts-url").property("CARACAL_STS_URL", "").failure();
        assertThat(rootCause(failure)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(CaracalVerifiers.ISSUER_MISSING);
    }

    @Test
    void audienceMissingFailsStartup(TestIssuer issuer) {
        Throwable failure = TestApp.with(issuer).without("caracal.audience").failure();
        assertThat(rootCause(failure)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(CaracalVerifiers.AUDIENCE_MISSING);
    }

    @Test
    void issuerAndZoneFallBackToTheEnvironment(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).without("caracal.sts-url").without("caracal.zone-id")
                .property("CARACAL_STS_URL", issuer.url() + "/")
                .property("CARACAL_ZONE_ID", "zone-from-env").start()) {
            MandateVerifier verifier = app.bean(MandateVerifier.class);
            assertThat(verifier.options().issuer()).isEqualTo(issuer.url());
            assertThat(verifier.options().zoneId()).contains("zone-from-env");
        }
    }

    @Test
    void stsUrlPropertyIsSpelledLikeTheVariable(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).property("caracal.sts-url", " " + issuer.url() + "/ ")
                .property("caracal.zone-id", " " + issuer.zone() + " ").start()) {
            MandateVerifier verifier = app.bean(MandateVerifier.class);
            assertThat(verifier.options().issuer()).isEqualTo(issuer.url());
            assertThat(verifier.options().zoneId()).contains(issuer.zone());
        }
    }

    @Test
    void propertiesWinOverTheEnvironment(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer)
                .property("CARACAL_STS_URL", "https://env.example")
                .property("CARACAL_ZONE_ID", "zone-from-env").start()) {
            MandateVerifier verifier = app.bean(MandateVerifier.class);
            assertThat(verifier.options().issuer()).isEqualTo(issuer.url());
            assertThat(verifier.options().zoneId()).contains(issuer.zone());
        }
    }

    @Test
    void defaultRuleComesFromProperties(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer)
                .property("caracal.required-scopes", "read,write")
                .property("caracal.required-targets", "t1")
                .property("caracal.require-chain-contains", "app-parent")
                .property("caracal.require-agent", "true")
                .property("caracal.require-delegation", "true")
                .property("caracal.max-hop-count", "3")
                .property("caracal.required-use", "session").start()) {
            var options = app.bean(MandateVerifier.class).options();
            assertThat(options.requiredScopes()).containsExactly("read", "write");
            assertThat(options.requiredTargets()).containsExactly("t1");
            assertThat(options.requireChainContains()).containsExactly("app-parent");
            assertThat(options.requireAgent()).isTrue();
            assertThat(options.requireDelegation()).isTrue();
            assertThat(options.maxHopCount()).isEqualTo(3);
            assertThat(options.requiredUse()).isEqualTo("session");
        }
    }

    @Test
    void defaultRuleDefaults(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).start()) {
            var options = app.bean(MandateVerifier.class).options();
            assertThat(options.requiredScopes()).isEmpty();
            assertThat(options.maxHopCount()).isEqualTo(10);
            assertThat(options.requiredUse()).isEqualTo("resource");
            assertThat(options.requireAgent()).isFalse();
        }
    }

    @Test
    void redisSelectedWithoutTheRedisModuleFailsStartup(TestIssuer issuer) {
        Throwable failure = TestApp.with(issuer).without("caracal.revocation.store")
                .property("caracal.revocation.redis.url", "redis://127.0.0.1:1")
                .hiding("ai.caracal.revocation.redis.").failure();
        assertThat(rootCause(failure)).hasMessage(RevocationStoreConfiguration.REDIS_MODULE_MISSING);
    }

    @Test
    void tokenStateEnabledWithoutItsModuleFailsStartup(TestIssuer issuer) {
        Throwable failure = TestApp.with(issuer).property("caracal.token-state.postgres.enabled", "true")
                .hiding("ai.caracal.tokenstate.").failure();
        assertThat(rootCause(failure)).hasMessage(TokenStateConfiguration.MODULE_MISSING);
    }

    static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
