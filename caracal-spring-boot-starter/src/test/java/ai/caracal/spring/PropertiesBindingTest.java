package ai.caracal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** Every property of connectors.md §6.1 binds, and is described in the generated metadata. */
@CaracalTest
class PropertiesBindingTest {

    /** The keys of §6.1 (routes as routes[n].*), plus resource-metadata.metadata-url. */
    static final List<String> KEYS = List.of(
            "caracal.enabled", "caracal.sts-url", "caracal.audience", "caracal.zone-id",
            "caracal.required-scopes", "caracal.required-targets", "caracal.require-chain-contains",
            "caracal.require-agent", "caracal.require-delegation", "caracal.max-hop-count", "caracal.required-use",
            "caracal.url-patterns", "caracal.exclude", "caracal.routes", "caracal.permit-preflight", "caracal.filter-order",
            "caracal.drain-limit", "caracal.scope-hierarchy", "caracal.origin-check.enabled", "caracal.origin-check.allowed-origins",
            "caracal.www-authenticate.enabled", "caracal.www-authenticate.realm",
            "caracal.resource-metadata.enabled", "caracal.resource-metadata.resource",
            "caracal.resource-metadata.authorization-servers", "caracal.resource-metadata.scopes-supported",
            "caracal.resource-metadata.resource-name", "caracal.resource-metadata.metadata-url",
            "caracal.jwks.ttl", "caracal.jwks.max-stale", "caracal.jwks.fetch-timeout", "caracal.jwks.refetch-cooldown",
            "caracal.warmup-on-startup", "caracal.revocation.store",
            "caracal.revocation.memory.max-entries", "caracal.revocation.memory.default-ttl",
            "caracal.revocation.redis.url", "caracal.revocation.redis.key-prefix", "caracal.revocation.redis.default-ttl",
            "caracal.revocation.redis.fail-closed", "caracal.revocation.redis.command-timeout",
            "caracal.revocation.redis.consumer.enabled", "caracal.revocation.redis.consumer.name",
            "caracal.revocation.redis.consumer.revocation-group", "caracal.revocation.redis.consumer.delegation-group",
            "caracal.revocation.redis.consumer.batch-size", "caracal.revocation.redis.consumer.block",
            "caracal.revocation.redis.consumer.pending-idle", "caracal.revocation.redis.consumer.stream-hmac-key",
            "caracal.revocation.redis.consumer.require-signature", "caracal.revocation.redis.consumer.dead-letter-max-length",
            "caracal.token-state.postgres.enabled", "caracal.token-state.postgres.migrate",
            "caracal.token-state.postgres.record-on-verify");

    @Test
    void everyGroupBinds(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer)
                .property("caracal.required-scopes", "read,write")
                .property("caracal.required-targets", "t1")
                .property("caracal.require-chain-contains", "app-a")
                .property("caracal.require-agent", "true")
                .property("caracal.require-delegation", "true")
                .property("caracal.max-hop-count", "4")
                .property("caracal.required-use", "session")
                .property("caracal.url-patterns", "/api/*")
                .property("caracal.exclude", "/healthz,/metrics")
                .property("caracal.routes[0].prefix", "/payouts")
                .property("caracal.routes[0].required-scopes", "payout")
                .property("caracal.routes[0].required-targets", "bank")
                .property("caracal.routes[0].require-agent", "true")
                .property("caracal.routes[0].require-delegation", "true")
                .property("caracal.routes[0].require-chain-contains", "app-b")
                .property("caracal.routes[0].max-hop-count", "2")
                .property("caracal.routes[0].required-use", "resource")
                .property("caracal.permit-preflight", "true")
                .property("caracal.filter-order", "7")
                .property("caracal.drain-limit", "2MB")
                .property("caracal.scope-hierarchy[documents:admin]", "documents:write,documents:read")
                .property("caracal.origin-check.enabled", "true")
                .property("caracal.origin-check.allowed-origins", "https://app.example")
                .property("caracal.www-authenticate.enabled", "false")
                .property("caracal.www-authenticate.realm", "r")
                .property("caracal.resource-metadata.resource", "https://api.example/x")
                .property("caracal.resource-metadata.authorization-servers", "https://as.example")
                .property("caracal.resource-metadata.scopes-supported", "s1,s2")
                .property("caracal.resource-metadata.resource-name", "X")
                .property("caracal.resource-metadata.metadata-url", "https://api.example/meta")
                .property("caracal.jwks.ttl", "1m")
                .property("caracal.jwks.max-stale", "2m")
                .property("caracal.jwks.fetch-timeout", "3s")
                .property("caracal.jwks.refetch-cooldown", "4s")
                .property("caracal.revocation.memory.max-entries", "5")
                .property("caracal.revocation.memory.default-ttl", "1h")
                .property("caracal.revocation.redis.key-prefix", "p:")
                .property("caracal.revocation.redis.default-ttl", "2h")
                .property("caracal.revocation.redis.fail-closed", "false")
                .property("caracal.revocation.redis.command-timeout", "100ms")
                .property("caracal.revocation.redis.consumer.enabled", "false")
                .property("caracal.revocation.redis.consumer.name", "n")
                .property("caracal.revocation.redis.consumer.revocation-group", "rg")
                .property("caracal.revocation.redis.consumer.delegation-group", "dg")
                .property("caracal.revocation.redis.consumer.batch-size", "9")
                .property("caracal.revocation.redis.consumer.block", "1s")
                .property("caracal.revocation.redis.consumer.pending-idle", "10s")
                .property("caracal.revocation.redis.consumer.stream-hmac-key", "ab".repeat(32) + "," + "cd".repeat(32))
                .property("caracal.revocation.redis.consumer.require-signature", "true")
                .property("caracal.revocation.redis.consumer.dead-letter-max-length", "11")
                .property("caracal.token-state.postgres.migrate", "false")
                .property("caracal.token-state.postgres.record-on-verify", "false")
                .start()) {
            CaracalProperties p = app.bean(CaracalProperties.class);
            assertThat(p.isEnabled()).isTrue();
            assertThat(p.getStsUrl()).isEqualTo(issuer.url());
            assertThat(p.getAudience()).isEqualTo(issuer.audience());
            assertThat(p.getZoneId()).isEqualTo(issuer.zone());
            assertThat(p.getRequiredScopes()).containsExactly("read", "write");
            assertThat(p.getRequiredTargets()).containsExactly("t1");
            assertThat(p.getRequireChainContains()).containsExactly("app-a");
            assertThat(p.isRequireAgent()).isTrue();
            assertThat(p.isRequireDelegation()).isTrue();
            assertThat(p.getMaxHopCount()).isEqualTo(4);
            assertThat(p.getRequiredUse()).isEqualTo("session");
            assertThat(p.getUrlPatterns()).containsExactly("/api/*");
            assertThat(p.getExclude()).containsExactly("/healthz", "/metrics");
            CaracalProperties.Route route = p.getRoutes().get(0);
            assertThat(route.getPrefix()).isEqualTo("/payouts");
            assertThat(route.getRequiredScopes()).containsExactly("payout");
            assertThat(route.getRequiredTargets()).containsExactly("bank");
            assertThat(route.isRequireAgent()).isTrue();
            assertThat(route.isRequireDelegation()).isTrue();
            assertThat(route.getRequireChainContains()).containsExactly("app-b");
            assertThat(route.getMaxHopCount()).isEqualTo(2);
            assertThat(route.getRequiredUse()).isEqualTo("resource");
            assertThat(p.isPermitPreflight()).isTrue();
            assertThat(p.getFilterOrder()).isEqualTo(7);
            assertThat(p.getDrainLimit()).isEqualTo(DataSize.ofMegabytes(2));
            assertThat(p.getScopeHierarchy()).containsExactly(Map.entry("documents:admin", List.of("documents:write", "documents:read")));
            assertThat(p.getOriginCheck().isEnabled()).isTrue();
            assertThat(p.getOriginCheck().getAllowedOrigins()).containsExactly("https://app.example");
            assertThat(p.getWwwAuthenticate().isEnabled()).isFalse();
            assertThat(p.getWwwAuthenticate().getRealm()).isEqualTo("r");
            assertThat(p.getResourceMetadata().isEnabled()).isFalse();
            assertThat(p.getResourceMetadata().getResource()).isEqualTo("https://api.example/x");
            assertThat(p.getResourceMetadata().getAuthorizationServers()).containsExactly("https://as.example");
            assertThat(p.getResourceMetadata().getScopesSupported()).containsExactly("s1", "s2");
            assertThat(p.getResourceMetadata().getResourceName()).isEqualTo("X");
            assertThat(p.getResourceMetadata().getMetadataUrl()).isEqualTo("https://api.example/meta");
            assertThat(p.getJwks().getTtl()).isEqualTo(Duration.ofMinutes(1));
            assertThat(p.getJwks().getMaxStale()).isEqualTo(Duration.ofMinutes(2));
            assertThat(p.getJwks().getFetchTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(p.getJwks().getRefetchCooldown()).isEqualTo(Duration.ofSeconds(4));
            assertThat(p.isWarmupOnStartup()).isFalse();
            assertThat(p.getRevocation().getStore()).isEqualTo(CaracalProperties.StoreType.MEMORY);
            assertThat(p.getRevocation().getMemory().getMaxEntries()).isEqualTo(5);
            assertThat(p.getRevocation().getMemory().getDefaultTtl()).isEqualTo(Duration.ofHours(1));
            CaracalProperties.Redis redis = p.getRevocation().getRedis();
            assertThat(redis.getKeyPrefix()).isEqualTo("p:");
            assertThat(redis.getDefaultTtl()).isEqualTo(Duration.ofHours(2));
            assertThat(redis.isFailClosed()).isFalse();
            assertThat(redis.getCommandTimeout()).isEqualTo(Duration.ofMillis(100));
            CaracalProperties.Consumer consumer = redis.getConsumer();
            assertThat(consumer.isEnabled()).isFalse();
            assertThat(consumer.getName()).isEqualTo("n");
            assertThat(consumer.getRevocationGroup()).isEqualTo("rg");
            assertThat(consumer.getDelegationGroup()).isEqualTo("dg");
            assertThat(consumer.getBatchSize()).isEqualTo(9);
            assertThat(consumer.getBlock()).isEqualTo(Duration.ofSeconds(1));
            assertThat(consumer.getPendingIdle()).isEqualTo(Duration.ofSeconds(10));
            assertThat(consumer.getStreamHmacKey()).containsExactly("ab".repeat(32), "cd".repeat(32));
            assertThat(consumer.getRequireSignature()).isTrue();
            assertThat(consumer.getDeadLetterMaxLength()).isEqualTo(11);
            CaracalProperties.Postgres postgres = p.getTokenState().getPostgres();
            assertThat(postgres.isEnabled()).isFalse();
            assertThat(postgres.isMigrate()).isFalse();
            assertThat(postgres.isRecordOnVerify()).isFalse();
        }
    }

    @Test
    void defaultsAreTheSpecifications() {
        CaracalProperties p = new CaracalProperties();
        assertThat(p.isEnabled()).isTrue();
        assertThat(p.getMaxHopCount()).isEqualTo(10);
        assertThat(p.getRequiredUse()).isEqualTo("resource");
        assertThat(p.getUrlPatterns()).containsExactly("/*");
        assertThat(p.getFilterOrder()).isEqualTo(-90);
        assertThat(p.isWarmupOnStartup()).isTrue();
        assertThat(p.getWwwAuthenticate().isEnabled()).isTrue();
        assertThat(p.getResourceMetadata().isEnabled()).isFalse();
        assertThat(p.getJwks().getTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.getJwks().getMaxStale()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.getJwks().getFetchTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.getJwks().getRefetchCooldown()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.getRevocation().getStore()).isNull();
        assertThat(p.getRevocation().getMemory().getMaxEntries()).isEqualTo(100_000);
        assertThat(p.getRevocation().getMemory().getDefaultTtl()).isEqualTo(Duration.ofHours(24));
        CaracalProperties.Redis redis = p.getRevocation().getRedis();
        assertThat(redis.getKeyPrefix()).isEqualTo("caracal:revoked:sessions:");
        assertThat(redis.getDefaultTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(redis.isFailClosed()).isTrue();
        assertThat(redis.getCommandTimeout()).isEqualTo(Duration.ofMillis(250));
        CaracalProperties.Consumer consumer = redis.getConsumer();
        assertThat(consumer.isEnabled()).isTrue();
        assertThat(consumer.getName()).isNull();
        assertThat(consumer.getRevocationGroup()).isEqualTo("resource-revocation");
        assertThat(consumer.getDelegationGroup()).isEqualTo("resource-delegation-invalidation");
        assertThat(consumer.getBatchSize()).isEqualTo(50);
        assertThat(consumer.getBlock()).isEqualTo(Duration.ofSeconds(2));
        assertThat(consumer.getPendingIdle()).isEqualTo(Duration.ofSeconds(30));
        assertThat(consumer.getRequireSignature()).isNull();
        assertThat(consumer.getDeadLetterMaxLength()).isEqualTo(10_000);
        assertThat(p.getTokenState().getPostgres().isEnabled()).isFalse();
        assertThat(p.getTokenState().getPostgres().isMigrate()).isTrue();
        assertThat(p.getTokenState().getPostgres().isRecordOnVerify()).isTrue();
    }

    @Test
    void unknownStoreValueFailsAsABindingError(TestIssuer issuer) {
        Throwable failure = TestApp.with(issuer).property("caracal.revocation.store", "postgres").failure();
        assertThat(failure).hasStackTraceContaining("caracal.revocation.store");
    }

    @Test
    void configurationMetadataDescribesEveryProperty() {
        String metadata;
        try (InputStream in = CaracalProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : KEYS) {
            assertThat(metadata).as(key).contains("\"name\": \"" + key + "\"");
        }
        // Route fields are completed through the list's element type.
        assertThat(metadata).contains("\"type\": \"java.util.List<ai.caracal.spring.CaracalProperties$Route>\"")
                .contains("\"defaultValue\": [\n        \"\\/*\"\n      ]");
    }
}
