package ai.caracal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.DelegationInvalidationConsumer;
import ai.caracal.revocation.redis.RedisForTests;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.revocation.redis.RedisRevocationStore;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.webflux.CaracalWebFilter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * The starter in reactive (WebFlux) applications (connectors.md §6, §10.1): the same {@code caracal.*}
 * properties give a {@link CaracalWebFilter} instead of the servlet filter, with the same store,
 * consumers and metrics.
 */
@CaracalTest
class ReactiveAutoConfigurationTest {

    @Test
    void reactiveApplicationsGetTheWebFilterFromTheProperties(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).reactive().sources(ReactiveEchoFixture.class)
                .property("caracal.filter-order", "-50")
                .property("caracal.exclude", "/healthz")
                .property("caracal.routes[0].prefix", "/payouts")
                .property("caracal.routes[0].required-scopes", "payout")
                .property("caracal.www-authenticate.realm", "api").start()) {
            CaracalWebFilter filter = app.bean(CaracalWebFilter.class);
            assertThat(app.context().getBean(CaracalFilters.NAME)).isSameAs(filter);
            assertThat(filter.getOrder()).isEqualTo(-50);
            assertThat(filter.verifier()).isSameAs(app.bean(MandateVerifier.class));
            assertThat(app.context().getBeanNamesForType(FilterRegistrationBean.class)).isEmpty();

            assertThat(app.get("/items", Mandates.now(issuer).sub("user-r").sign()).body()).isEqualTo("{\"sub\":\"user-r\"}");
            assertThat(app.get("/healthz", null).body()).isEqualTo("{\"sub\":null}");
            HttpResponse<String> rejected = app.get("/payouts/1", Mandates.now(issuer).sign());
            assertThat(rejected.statusCode()).isEqualTo(403);
            assertThat(rejected.headers().firstValue("WWW-Authenticate")).contains(
                    "Bearer realm=\"api\", error=\"insufficient_scope\", error_description=\"Mandate lacks scope: payout\", scope=\"payout\"");
        }
    }

    @Test
    void servletApplicationsGetNoWebFilter(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).start()) {
            assertThat(app.context().getBeanNamesForType(CaracalWebFilter.class)).isEmpty();
            assertThat(app.context().getBean(CaracalFilters.NAME)).isInstanceOf(FilterRegistrationBean.class);
        }
    }

    @Test
    void disabledByPropertyLeavesReactiveRequestsAlone(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).reactive().sources(ReactiveEchoFixture.class).property("caracal.enabled", "false").start()) {
            assertThat(app.context().getBeanNamesForType(MandateVerifier.class)).isEmpty();
            assertThat(app.get("/items", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutCaracalWebfluxReactiveApplicationsAreLeftAlone() {
        // No Caracal settings at all: active, it would fail for the missing issuer and store.
        try (TestApp app = TestApp.builder().reactive().sources(ReactiveEchoFixture.class).hiding("ai.caracal.webflux").start()) {
            assertThat(app.context().getBeanNamesForType(MandateVerifier.class)).isEmpty();
            assertThat(app.get("/items", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void startupFailsWithoutAnyRevocationStore(TestIssuer issuer) {
        Throwable failure = TestApp.with(issuer).reactive().without("caracal.revocation.store").failure();
        assertThat(AutoConfigurationTest.rootCause(failure)).isInstanceOf(IllegalStateException.class)
                .hasMessage(RevocationStoreConfiguration.STORE_MISSING);
    }

    @Test
    void userWebFilterWins(TestIssuer issuer) {
        CaracalWebFilter mine = CaracalWebFilter.builder().verifier(issuer.verifier().build()).exclude("/mine").build();
        try (TestApp app = TestApp.with(issuer).reactive().sources(ReactiveEchoFixture.class).bean("myFilter", mine).start()) {
            assertThat(app.context().getBeansOfType(CaracalWebFilter.class)).containsOnlyKeys("myFilter");
            assertThat(app.get("/mine", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void resourceMetadataIsServedByTheWebFilter(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).reactive().sources(ReactiveEchoFixture.class)
                .property("caracal.resource-metadata.enabled", "true")
                .property("caracal.resource-metadata.resource", "https://api.example.com/mcp").start()) {
            HttpResponse<String> document = app.get("/.well-known/oauth-protected-resource/mcp", null);
            assertThat(document.statusCode()).isEqualTo(200);
            assertThat(document.body()).startsWith("{\"resource\":\"https://api.example.com/mcp\"");
            assertThat(app.get("/mcp", null).headers().firstValue("WWW-Authenticate"))
                    .contains("Bearer resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource/mcp\"");
        }
    }

    @Test
    void verificationsAreMetered(TestIssuer issuer) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestApp app = TestApp.with(issuer).reactive().sources(ReactiveEchoFixture.class).bean("meterRegistry", registry)
                .property("caracal.required-scopes", "read").start()) {
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(200);
            assertThat(app.get("/items", Mandates.now(issuer).scope("write").sign()).statusCode()).isEqualTo(403);
            assertThat(app.get("/items", null).statusCode()).isEqualTo(401);

            assertThat(registry.get("caracal.verify").tag("outcome", "ok").timer().count()).isEqualTo(1);
            assertThat(registry.get("caracal.verify").tag("outcome", "insufficient_scope").timer().count()).isEqualTo(1);
            assertThat(registry.get("caracal.verify").tag("outcome", "missing_token").timer().count()).isEqualTo(1);
            assertThat(registry.get("caracal.jwks.fetch").tag("result", "success").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void redisStoreAndConsumersServeTheWebFilter(TestIssuer issuer) {
        String revocationGroup = RedisForTests.unique("revocation");
        String delegationGroup = RedisForTests.unique("delegation");
        RedisClient client = RedisClient.create(RedisForTests.sharedUri());
        StatefulRedisConnection<String, String> connection = client.connect();
        try (TestApp app = TestApp.with(issuer).reactive().without("caracal.revocation.store").sources(ReactiveEchoFixture.class)
                     .property("caracal.revocation.redis.url", RedisForTests.sharedUri().toURI())
                     .property("caracal.revocation.redis.key-prefix", RedisForTests.unique("caracal-reactive") + ":")
                     .property("caracal.revocation.redis.consumer.revocation-group", revocationGroup)
                     .property("caracal.revocation.redis.consumer.delegation-group", delegationGroup)
                     .property("caracal.revocation.redis.consumer.block", "200ms").start()) {
            RevocationStore store = app.bean(RevocationStore.class);
            assertThat(store).isInstanceOf(RedisRevocationStore.class);
            RedisForTests.awaitUsable(store);
            MandateBuilder mandate = Mandates.now(issuer);
            String sid = (String) mandate.claims().get("sid");
            String token = mandate.sign();
            assertThat(app.get("/items", token).statusCode()).isEqualTo(200);

            connection.sync().xadd(RedisRevocationConsumer.DEFAULT_STREAM, Map.of("session_id", sid));

            Eventually.waitUntil(Duration.ofSeconds(20), "the revocation to reach the web filter",
                    () -> app.get("/items", token).statusCode() == 401);
            assertThat(app.get("/items", token).body()).contains("\"error\":\"session_revoked\"");
        } finally {
            destroyGroup(connection, RedisRevocationConsumer.DEFAULT_STREAM, revocationGroup);
            destroyGroup(connection, DelegationInvalidationConsumer.DEFAULT_STREAM, delegationGroup);
            client.shutdown();
        }
    }

    private static void destroyGroup(StatefulRedisConnection<String, String> connection, String stream, String group) {
        try {
            connection.sync().xgroupDestroy(stream, group);
        } catch (RedisException e) {
            // The group was never created (the test failed before): nothing to clean up.
        }
    }
}
