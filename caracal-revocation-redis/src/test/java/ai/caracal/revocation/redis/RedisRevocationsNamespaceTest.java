package ai.caracal.revocation.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.testkit.Eventually;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisRevocations#fromEnvironment} and {@link RedisRevocations.Builder#namespace}: a set-up that
 * shares a Redis with production consumers without joining their groups, recording a policy for them,
 * or reading and writing their keys and streams.
 */
class RedisRevocationsNamespaceTest {

    private RedisClient admin;
    private RedisCommands<String, String> redis;
    private String namespace;

    @BeforeEach
    void connect() {
        admin = RedisForTests.client(RedisForTests.sharedUri());
        StatefulRedisConnection<String, String> connection = admin.connect();
        redis = connection.sync();
        namespace = RedisForTests.unique("caracal-ns-test");
    }

    @AfterEach
    void cleanUp() {
        List<String> keys = new ArrayList<>();
        ScanIterator.scan(redis, ScanArgs.Builder.matches(namespace + ":*").limit(500)).forEachRemaining(keys::add);
        if (!keys.isEmpty()) {
            redis.del(keys.toArray(String[]::new));
        }
        admin.shutdown();
    }

    @Test
    @DisplayName("CARACAL_REDIS_NAMESPACE: the consumers read <ns>:caracal.sessions.revoke in group <ns>, the store writes <ns>:revoked:<anchor>, and the default group never sees them")
    void namespaceKeepsGroupKeysAndStreamsApart() {
        String anchor = "sid-" + RedisForTests.unique("a");
        Map<String, String> env = Map.of("REDIS_URL", RedisForTests.sharedUri().toURI().toString(),
                "CARACAL_REDIS_NAMESPACE", namespace);
        try (RedisRevocations revocations = RedisRevocations.fromEnvironment(env::get).orElseThrow()) {
            Eventually.waitUntil(Duration.ofSeconds(30), "the namespaced group exists",
                    () -> groupsOf(namespace + ":" + RedisRevocationConsumer.DEFAULT_STREAM).contains(namespace));

            TestProducer.publish(redis, namespace + ":" + RedisRevocationConsumer.DEFAULT_STREAM,
                    TestProducer.fields("zone_id", "zone-1", "session_id", anchor, "reason", "requested"));

            Eventually.waitUntil(Duration.ofSeconds(30), "the revocation is applied under the namespace's prefix",
                    () -> redis.exists(namespace + ":revoked:" + anchor) == 1);
            assertThat(revocations.store().isRevoked(anchor)).isTrue();
            assertThat(redis.exists(RedisRevocationStore.DEFAULT_KEY_PREFIX + anchor)).isZero();
            assertThat(redis.exists(RedisRevocationStore.DEFAULT_KEY_PREFIX + "consumer-policy:"
                    + RedisRevocationConsumer.DEFAULT_STREAM + ":" + namespace)).isZero();
            assertThat(redis.exists(namespace + ":revoked:consumer-policy:" + namespace + ":"
                    + RedisRevocationConsumer.DEFAULT_STREAM + ":" + namespace)).isOne();
        }
    }

    @Test
    @DisplayName("listener(...) is told of the entries both consumers apply")
    void listenerHearsBothConsumers() {
        String anchor = "sid-" + RedisForTests.unique("l");
        List<String> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RedisRevocations revocations = RedisRevocations.builder(RedisForTests.sharedUri().toURI().toString())
                .namespace(namespace).listener((stream, result) -> applied.add(stream + " " + result)).start()) {
            String revokeStream = namespace + ":" + RedisRevocationConsumer.DEFAULT_STREAM;
            String invalidateStream = namespace + ":" + DelegationInvalidationConsumer.DEFAULT_STREAM;
            Eventually.waitUntil(Duration.ofSeconds(30), "both groups exist",
                    () -> groupsOf(revokeStream).contains(namespace) && groupsOf(invalidateStream).contains(namespace));

            TestProducer.publish(redis, revokeStream, TestProducer.fields("zone_id", "zone-1", "session_id", anchor,
                    "reason", "requested"));
            TestProducer.publish(redis, invalidateStream, TestProducer.fields("zone_id", "zone-1", "epoch", "4"));

            Eventually.waitUntil(Duration.ofSeconds(30), "both entries are reported", () -> applied.size() == 2);
            assertThat(applied).containsExactlyInAnyOrder(revokeStream + " APPLIED", invalidateStream + " APPLIED");
            assertThat(revocations.store().currentDelegationEpoch("zone-1")).isEqualTo(4);
        }
    }

    @Test
    @DisplayName("no REDIS_URL: empty; a namespace with other characters: IllegalArgumentException naming it")
    void unsetUrlAndBadNamespace() {
        assertThat(RedisRevocations.fromEnvironment(Map.<String, String>of()::get)).isEqualTo(Optional.empty());
        assertThat(RedisRevocations.fromEnvironment(Map.of("REDIS_URL", " ")::get)).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> RedisRevocations.builder("redis://127.0.0.1:6379").namespace("a b:c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a b:c");
    }

    private List<String> groupsOf(String stream) {
        try {
            List<String> names = new ArrayList<>();
            for (Object group : redis.xinfoGroups(stream)) {
                List<?> fields = (List<?>) group;
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    if ("name".equals(String.valueOf(fields.get(i)))) {
                        names.add(String.valueOf(fields.get(i + 1)));
                    }
                }
            }
            return names;
        } catch (io.lettuce.core.RedisCommandExecutionException noStreamYet) {
            return List.of();
        }
    }
}
