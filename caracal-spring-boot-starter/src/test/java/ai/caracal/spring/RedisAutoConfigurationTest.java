package ai.caracal.spring;

import ai.caracal.testkit.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.ConsumerGroupPolicyException;
import ai.caracal.revocation.redis.ConsumerRunner;
import ai.caracal.revocation.redis.DelegationInvalidationConsumer;
import ai.caracal.revocation.redis.RedisForTests;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.revocation.redis.RedisRevocationStore;
import ai.caracal.revocation.redis.StreamEventListener;
import ai.caracal.revocation.redis.StreamSignature;
import ai.caracal.spring.metrics.ConsumerHealthMetrics;
import ai.caracal.spring.metrics.RevocationEventMetrics;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.SmartLifecycle;

/**
 * The Redis store and stream consumers, auto-configured from {@code caracal.revocation.redis.url}, on the
 * tests' shared Redis ({@code CARACAL_TEST_REDIS_URL}, else an embedded server). Every application gets
 * its own key prefix and consumer groups; the streams are the default ones, which the starter does not
 * make configurable, so the groups are removed afterwards.
 */
@CaracalTest
class RedisAutoConfigurationTest {

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(RedisForTests.sharedUri());
        connection = client.connect();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
        client.shutdown();
    }

    private static TestApp.Builder redisApp(TestIssuer issuer, String prefix, String revocationGroup, String delegationGroup) {
        return TestApp.with(issuer).without("caracal.revocation.store").sources(EchoFixture.class)
                .property("caracal.revocation.redis.url", RedisForTests.sharedUri().toURI())
                .property("caracal.revocation.redis.key-prefix", prefix)
                .property("caracal.revocation.redis.consumer.revocation-group", revocationGroup)
                .property("caracal.revocation.redis.consumer.delegation-group", delegationGroup)
                .property("caracal.revocation.redis.consumer.block", "200ms");
    }

    @Test
    void redisUrlSelectsTheRedisStoreWithItsSettings(TestIssuer issuer) {
        String prefix = RedisForTests.unique("caracal-spring") + ":";
        try (TestApp app = redisApp(issuer, prefix, RedisForTests.unique("g1"), RedisForTests.unique("g2"))
                .property("caracal.revocation.redis.consumer.enabled", "false").start()) {
            RevocationStore store = app.bean(RevocationStore.class);
            assertThat(store).isInstanceOf(RedisRevocationStore.class);
            RedisForTests.awaitUsable(store);
            store.revoke("anchor-1");
            assertThat(connection.sync().get(prefix + "anchor-1")).isEqualTo("1");
            assertThat(app.context().getBeanNamesForType(ConsumerRunner.class)).isEmpty();
        }
    }

    @Test
    void revocationPublishedOnTheStreamReachesTheFilter(TestIssuer issuer) {
        String revocationGroup = RedisForTests.unique("revocation");
        String delegationGroup = RedisForTests.unique("delegation");
        try (TestApp app = redisApp(issuer, RedisForTests.unique("caracal-spring") + ":", revocationGroup, delegationGroup).start()) {
            RedisForTests.awaitUsable(app.bean(RevocationStore.class));
            MandateBuilder mandate = Mandates.now(issuer);
            String sid = (String) mandate.claims().get("sid");
            String token = mandate.sign();
            assertThat(app.get("/items", token).statusCode()).isEqualTo(200);

            connection.sync().xadd(RedisRevocationConsumer.DEFAULT_STREAM, Map.of("session_id", sid));

            Eventually.waitUntil(Duration.ofSeconds(20), "the revocation to reach the filter",
                    () -> app.get("/items", token).statusCode() == 401);
            HttpResponse<String> revoked = app.get("/items", token);
            assertThat(revoked.body()).contains("\"error\":\"session_revoked\"");
        } finally {
            destroyGroups(revocationGroup, delegationGroup);
        }
    }

    @Test
    void delegationEpochPublishedOnTheStreamReachesTheFilter(TestIssuer issuer) {
        String revocationGroup = RedisForTests.unique("revocation");
        String delegationGroup = RedisForTests.unique("delegation");
        String zone = issuer.zone();
        try (TestApp app = redisApp(issuer, RedisForTests.unique("caracal-spring") + ":", revocationGroup, delegationGroup).start()) {
            RedisForTests.awaitUsable(app.bean(RevocationStore.class));
            // The stream outlives test runs on a shared server, and a new group replays its history:
            // epochs from the clock stay above every earlier run's.
            long epoch = System.currentTimeMillis();
            String token = Mandates.now(issuer).delegationEdge().graphEpoch(epoch).sign();
            assertThat(app.get("/items", token).statusCode()).isEqualTo(200);

            connection.sync().xadd(DelegationInvalidationConsumer.DEFAULT_STREAM,
                    Map.of("zone_id", zone, "epoch", Long.toString(epoch + 1)));

            Eventually.waitUntil(Duration.ofSeconds(20), "the epoch to reach the filter",
                    () -> app.get("/items", token).body().contains("delegation_stale"));
        } finally {
            destroyGroups(revocationGroup, delegationGroup);
        }
    }

    @Test
    void consumedEntriesAreCountedByStreamAndResult(TestIssuer issuer) {
        String revocationGroup = RedisForTests.unique("revocation");
        String delegationGroup = RedisForTests.unique("delegation");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestApp app = redisApp(issuer, RedisForTests.unique("caracal-spring") + ":", revocationGroup, delegationGroup)
                .bean("meterRegistry", registry).start()) {
            assertThat(app.context().getBeansOfType(StreamEventListener.class).values()).containsExactlyInAnyOrder(
                    app.bean(RevocationEventMetrics.class), app.context().getBean("caracalLiveConnectionsRecheck", StreamEventListener.class));
            RevocationStore store = app.bean(RevocationStore.class);
            RedisForTests.awaitUsable(store);
            String sid = RedisForTests.unique("counted");

            connection.sync().xadd(RedisRevocationConsumer.DEFAULT_STREAM, Map.of("session_id", sid));

            Eventually.waitUntil(Duration.ofSeconds(20), "the entry to be applied and counted",
                    () -> store.isRevoked(sid) && applied(registry) != null && applied(registry).count() >= 1);
            assertThat(registry.find("caracal.revocation.events").tag("result", "APPLIED").counter()).isNull();
        } finally {
            destroyGroups(revocationGroup, delegationGroup);
        }
    }

    @Test
    void theConsumersHealthIsExported(TestIssuer issuer) {
        String revocationGroup = RedisForTests.unique("revocation");
        String delegationGroup = RedisForTests.unique("delegation");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestApp app = redisApp(issuer, RedisForTests.unique("caracal-spring") + ":", revocationGroup, delegationGroup)
                .bean("meterRegistry", registry).start()) {
            assertThat(app.context().getBeanNamesForType(ConsumerHealthMetrics.class)).hasSize(1);
            Eventually.waitUntil(Duration.ofSeconds(20), "the health gauge to show both consumers polling",
                    () -> registry.get(ConsumerHealthMetrics.HEALTHY).gauge().value() == 1);
            assertThat(app.bean(ConsumerRunner.class).healthy()).isTrue();
            assertThat(registry.get(ConsumerHealthMetrics.LAST_POLL_AGE).gauge().value())
                    .isLessThan(ConsumerRunner.HEALTHY_WITHIN.toSeconds());

            app.bean(ConsumerRunnerLifecycle.class).stop();
            assertThat(registry.get(ConsumerHealthMetrics.HEALTHY).gauge().value()).isZero();
        } finally {
            destroyGroups(revocationGroup, delegationGroup);
        }
    }

    private static Counter applied(SimpleMeterRegistry registry) {
        return registry.find("caracal.revocation.events")
                .tags("stream", RedisRevocationConsumer.DEFAULT_STREAM, "result", "applied").counter();
    }

    @Test
    void withoutARegistryTheConsumersOnlyRecheckLiveConnections(TestIssuer issuer) {
        String revocationGroup = RedisForTests.unique("revocation");
        String delegationGroup = RedisForTests.unique("delegation");
        try (TestApp app = redisApp(issuer, RedisForTests.unique("caracal-spring") + ":", revocationGroup, delegationGroup).start()) {
            assertThat(app.context().getBeanNamesForType(StreamEventListener.class)).containsExactly("caracalLiveConnectionsRecheck");
            assertThat(app.context().getBeanNamesForType(ConsumerHealthMetrics.class)).isEmpty();
        } finally {
            destroyGroups(revocationGroup, delegationGroup);
        }
    }

    @Test
    void consumerRunnerIsASmartLifecycleNamedAfterHostAndPid(TestIssuer issuer) {
        String revocationGroup = RedisForTests.unique("revocation");
        String delegationGroup = RedisForTests.unique("delegation");
        try (TestApp app = redisApp(issuer, RedisForTests.unique("caracal-spring") + ":", revocationGroup, delegationGroup).start()) {
            ConsumerRunnerLifecycle lifecycle = app.bean(ConsumerRunnerLifecycle.class);
            assertThat(app.context().getBeansOfType(SmartLifecycle.class)).containsValue(lifecycle);
            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(lifecycle.runner()).isSameAs(app.bean(ConsumerRunner.class));

            RedisCommands<String, String> redis = connection.sync();
            awaitConsumer(redis, revocationGroup);
            String expected = RedisRevocationConfiguration.Consumers.defaultName();
            assertThat(expected).endsWith("-" + ProcessHandle.current().pid());
            assertThat(consumers(redis, RedisRevocationConsumer.DEFAULT_STREAM, revocationGroup)).containsExactly(expected);
        } finally {
            destroyGroups(revocationGroup, delegationGroup);
        }
    }

    @Test
    void consumerNameComesFromProperties(TestIssuer issuer) {
        String revocationGroup = RedisForTests.unique("revocation");
        String delegationGroup = RedisForTests.unique("delegation");
        try (TestApp app = redisApp(issuer, RedisForTests.unique("caracal-spring") + ":", revocationGroup, delegationGroup)
                .property("caracal.revocation.redis.consumer.name", "replica-7").start()) {
            assertThat(app.bean(ConsumerRunnerLifecycle.class).isRunning()).isTrue();
            RedisCommands<String, String> redis = connection.sync();
            awaitConsumer(redis, revocationGroup);
            assertThat(consumers(redis, RedisRevocationConsumer.DEFAULT_STREAM, revocationGroup)).containsExactly("replica-7");
        } finally {
            destroyGroups(revocationGroup, delegationGroup);
        }
    }

    @Test
    void closingTheContextStopsTheConsumersGracefullyAndTheyLeaveTheirGroups(TestIssuer issuer) {
        String revocationGroup = RedisForTests.unique("revocation");
        String delegationGroup = RedisForTests.unique("delegation");
        ConsumerRunner runner;
        try {
            try (TestApp app = redisApp(issuer, RedisForTests.unique("caracal-spring") + ":", revocationGroup, delegationGroup)
                    .start()) {
                runner = app.bean(ConsumerRunner.class);
                awaitConsumer(connection.sync(), revocationGroup);
                Eventually.waitUntil(Duration.ofSeconds(20), "a successful poll", () -> runner.healthy());
                assertThat(consumerThreads()).hasSize(2);
            }
            assertThat(runner.isRunning()).isFalse();
            assertThat(runner.lastError()).isEmpty();
            assertThat(consumerThreads()).isEmpty();
            assertThat(consumers(connection.sync(), RedisRevocationConsumer.DEFAULT_STREAM, revocationGroup)).isEmpty();
        } finally {
            destroyGroups(revocationGroup, delegationGroup);
        }
    }

    @Test
    void streamHmacKeysAcceptEntriesSignedWithAnyOfThem(TestIssuer issuer) {
        String revocationGroup = RedisForTests.unique("revocation");
        String delegationGroup = RedisForTests.unique("delegation");
        byte[] oldKey = "old-stream-key-of-at-least-32-bytes!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String newKeyHex = "42".repeat(32);
        String prefix = RedisForTests.unique("caracal-spring") + ":";
        try (TestApp app = redisApp(issuer, prefix, revocationGroup, delegationGroup)
                .property("caracal.revocation.redis.consumer.stream-hmac-key", newKeyHex + "," + HexFormat.of().formatHex(oldKey))
                .start()) {
            RevocationStore store = app.bean(RevocationStore.class);
            RedisForTests.awaitUsable(store);
            String sid = RedisForTests.unique("rotated");
            Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of("session_id", sid));
            fields.put(StreamSignature.SIGNATURE_FIELD, StreamSignature.sign(oldKey, RedisRevocationConsumer.DEFAULT_STREAM, fields));

            connection.sync().xadd(RedisRevocationConsumer.DEFAULT_STREAM, fields);

            // Read the key itself: a lookup through the fail-closed store answers "revoked" when it times out.
            Eventually.waitUntil(Duration.ofSeconds(20), "the entry signed with the old key to be applied",
                    () -> connection.sync().exists(prefix + sid) == 1);
        } finally {
            destroyGroups(revocationGroup, delegationGroup);
        }
    }

    @Test
    void signedInstanceInAGroupRecordedUnsignedFailsStartup(TestIssuer issuer) {
        String revocationGroup = RedisForTests.unique("revocation");
        String delegationGroup = RedisForTests.unique("delegation");
        String prefix = RedisForTests.unique("caracal-spring") + ":";
        try {
            try (TestApp unsigned = redisApp(issuer, prefix, revocationGroup, delegationGroup).start()) {
                assertThat(connection.sync().get(prefix + "consumer-policy:" + RedisRevocationConsumer.DEFAULT_STREAM + ":"
                        + revocationGroup)).isEqualTo("unsigned");

                Throwable failure = redisApp(issuer, prefix, revocationGroup, delegationGroup)
                        .property("caracal.revocation.redis.consumer.stream-hmac-key", "42".repeat(32)).failure();

                assertThat(AutoConfigurationTest.rootCause(failure))
                        .isInstanceOfSatisfying(ConsumerGroupPolicyException.class, refused -> {
                            assertThat(refused.group()).isIn(revocationGroup, delegationGroup);
                            assertThat(refused).hasMessageContaining("consumer group " + refused.group());
                        })
                        .hasMessageContaining("'unsigned'").hasMessageContaining("'signed'").hasMessageContaining("revocation-group");
                assertThat(unsigned.bean(ConsumerRunner.class).isRunning()).isTrue();
            }
        } finally {
            destroyGroups(revocationGroup, delegationGroup);
        }
    }

    @Test
    void userStoreDisablesTheRedisStoreAndConsumers(TestIssuer issuer) {
        try (TestApp app = redisApp(issuer, "unused:", "unused", "unused").bean("myStore", issuer.revocations()).start()) {
            assertThat(app.bean(RevocationStore.class)).isSameAs(issuer.revocations());
            assertThat(app.context().getBeanNamesForType(ConsumerRunner.class)).isEmpty();
            assertThat(app.context().getBeanNamesForType(RedisRevocationConfiguration.CaracalRedisClient.class)).isEmpty();
        }
    }

    @Test
    void storeRedisWithoutUrlFailsStartup(TestIssuer issuer) {
        Throwable failure = TestApp.with(issuer).property("caracal.revocation.store", "redis").failure();
        assertThat(AutoConfigurationTest.rootCause(failure))
                .hasMessage("caracal.revocation.store=redis needs caracal.revocation.redis.url");
    }

    /**
     * Redis lists a consumer in its group once it has been served an entry (before 7.0, a blocked read
     * on an empty stream does not create it), so this publishes a harmless revocation first.
     */
    private static void awaitConsumer(RedisCommands<String, String> redis, String group) {
        redis.xadd(RedisRevocationConsumer.DEFAULT_STREAM, Map.of("session_id", RedisForTests.unique("nobody")));
        Eventually.waitUntil(Duration.ofSeconds(20), "the consumer to join its group",
                () -> !consumers(redis, RedisRevocationConsumer.DEFAULT_STREAM, group).isEmpty());
    }

    private static List<Thread> consumerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("caracal-consumer-") && thread.isAlive())
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> consumers(RedisCommands<String, String> redis, String stream, String group) {
        List<Object> info;
        try {
            info = redis.xinfoConsumers(stream, group);
        } catch (RedisCommandExecutionException e) {
            return List.of();   // NOGROUP: the runner has not created its group yet
        }
        return info.stream().map(entry -> {
            List<Object> fields = (List<Object>) entry;
            return (String) fields.get(fields.indexOf("name") + 1);
        }).toList();
    }

    private static void destroyGroups(String revocationGroup, String delegationGroup) {
        destroyGroup(RedisRevocationConsumer.DEFAULT_STREAM, revocationGroup);
        destroyGroup(DelegationInvalidationConsumer.DEFAULT_STREAM, delegationGroup);
    }

    private static void destroyGroup(String stream, String group) {
        try {
            connection.sync().xgroupDestroy(stream, group);
        } catch (RedisException e) {
            // The group was never created (the test failed before): nothing to clean up.
        }
        ScanIterator.scan(connection.sync(), ScanArgs.Builder.matches("*consumer-policy:" + stream + ":" + group).limit(1000))
                .forEachRemaining(key -> connection.sync().del(key));
    }

}
