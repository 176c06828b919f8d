package ai.caracal.revocation.redis;

import static ai.caracal.revocation.redis.TestProducer.VECTOR_KEY;
import static ai.caracal.revocation.redis.TestProducer.fields;
import static ai.caracal.revocation.redis.TestProducer.filled;
import static ai.caracal.revocation.redis.TestProducer.publish;
import static ai.caracal.revocation.redis.TestProducer.publishSigned;
import static ai.caracal.testkit.Eventually.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * State.md S69 and S70: several keys for rotation; one signature policy per consumer group, recorded in
 * Redis; consumers leave their group when they stop. Before, one replica started with a key in the
 * shared group dead-lettered (and acknowledged) the unsigned revocations its peers would have applied,
 * and every stopped instance stayed in the group.
 */
class GroupPolicyTest {

    private static final Duration BLOCK = Duration.ofMillis(100);
    private static final byte[] OLD_KEY = filled(32, (byte) 0x07);
    private static final byte[] NEW_KEY = filled(32, (byte) 0x42);

    private final StreamLane lane = StreamLane.shared("caracal.sessions.revoke.policy");
    private final TestStreams streams = lane.streams;
    private final String stream = lane.stream;
    private final String group = lane.group;
    private final String prefix = lane.keyPrefix("policy");

    @AfterEach
    void tearDown() {
        lane.close();
    }

    private RedisRevocationConsumer.Builder consumer(String name, RevocationStore store) {
        return lane.revocationConsumer(store).consumer(name).block(BLOCK).pendingIdle(Duration.ofMillis(200));
    }

    @Test
    @DisplayName("S69 entries signed with the old and with the new key are both applied while both are configured;"
            + " one signed with a third key is dead-lettered")
    void everyConfiguredKeyVerifies() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (RedisRevocationConsumer consumer = consumer("c1", store)
                .streamHmacKeysHex(List.of(HexFormat.of().formatHex(NEW_KEY), HexFormat.of().formatHex(OLD_KEY))).build()) {
            consumer.ensureGroup();
            publishSigned(streams.redis, stream, fields("zone_id", "z", "sid", "signed-new", "reason", "requested"), NEW_KEY);
            publishSigned(streams.redis, stream, fields("zone_id", "z", "sid", "signed-old", "reason", "requested"), OLD_KEY);
            publishSigned(streams.redis, stream, fields("zone_id", "z", "sid", "signed-other", "reason", "requested"),
                    filled(32, (byte) 0x01));

            assertThat(consumer.pollOnce()).isEqualTo(3);

            assertThat(store.isRevoked("signed-new")).isTrue();
            assertThat(store.isRevoked("signed-old")).isTrue();
            assertThat(store.isRevoked("signed-other")).isFalse();
            assertThat(streams.deadLetters(stream)).singleElement()
                    .satisfies(dead -> assertThat(dead.getBody()).containsEntry("reason", "invalid_signature"));
        }
    }

    @Test
    @DisplayName("S70 an unsigned consumer runs in group G; a signed one started in G is refused, naming the group,"
            + " both policies and the fix; in group G2 it starts")
    void signedConsumerIsRefusedByAnUnsignedGroup() {
        RedisRevocationStore store = RedisRevocationStore.builder().client(streams.client).keyPrefix(prefix).build();
        String otherGroup = TestStreams.newGroup();
        try (store;
             RedisRevocationConsumer unsigned = consumer("replica-a", store).build();
             RedisRevocationConsumer signed = consumer("replica-b", store).streamHmacKey(VECTOR_KEY).build();
             RedisRevocationConsumer signedElsewhere = consumer("replica-b", store).group(otherGroup)
                     .streamHmacKey(VECTOR_KEY).build()) {
            unsigned.ensureGroup();
            unsigned.pollOnce();
            String policyKey = prefix + "consumer-policy:" + stream + ":" + group;
            assertThat(streams.redis.get(policyKey)).isEqualTo("unsigned");

            assertThatThrownBy(signed::ensureGroup)
                    .isInstanceOfSatisfying(ConsumerGroupPolicyException.class, refused -> {
                        assertThat(refused.group()).isEqualTo(group);
                        assertThat(refused.stream()).isEqualTo(stream);
                        assertThat(refused.recordedPolicy()).isEqualTo("unsigned");
                        assertThat(refused.policy()).isEqualTo("signed");
                    })
                    .hasMessageContaining("consumer group " + group).hasMessageContaining("'unsigned'")
                    .hasMessageContaining("'signed'").hasMessageContaining(policyKey)
                    .hasMessageContaining("a group of its own");
            assertThat(streams.redis.get(policyKey)).isEqualTo("unsigned");

            signedElsewhere.ensureGroup();
            assertThat(signedElsewhere.pollOnce()).isZero();
            assertThat(streams.redis.get(prefix + "consumer-policy:" + stream + ":" + otherGroup)).isEqualTo("signed");
        }
    }

    @Test
    @DisplayName("S70 replicas A (unsigned) and B (signed) in one group: B does not run, and all 8 unsigned"
            + " revocations are applied")
    void mixedReplicasLoseNoRevocation() throws InterruptedException {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (ConsumerRunner replicaA = ConsumerRunner.builder().add(consumer("replica-a", store).build()).build();
             ConsumerRunner replicaB = ConsumerRunner.builder()
                     .add(consumer("replica-b", store).streamHmacKey(VECTOR_KEY).build()).build()) {
            replicaA.start();
            assertThat(replicaA.awaitJoined(Duration.ofSeconds(10))).isTrue();
            replicaB.start();
            assertThatThrownBy(() -> replicaB.awaitJoined(Duration.ofSeconds(10)))
                    .isInstanceOf(ConsumerGroupPolicyException.class);
            assertThat(replicaB.lastError()).containsInstanceOf(ConsumerGroupPolicyException.class);

            List<String> anchors = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String anchor = RedisForTests.unique("sid-" + i);
                anchors.add(anchor);
                publish(streams.redis, stream, fields("zone_id", "z", "sid", anchor, "reason", "requested"));
            }

            waitUntil(Duration.ofSeconds(15), "all 8 revocations applied",
                    () -> anchors.stream().allMatch(store::isRevoked));
            assertThat(streams.deadLetters(stream)).isEmpty();
            assertThat(replicaB.healthy()).isFalse();
            assertThat(streams.redis.xinfoConsumers(stream, group).toString()).doesNotContain("replica-b");
        }
    }

    @Test
    @DisplayName("S70 a runner that stops gracefully with nothing pending leaves its group; started again, it rejoins")
    void stoppedConsumerLeavesItsGroup() throws InterruptedException {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (ConsumerRunner runner = ConsumerRunner.builder().add(consumer("serve-1", store).build()).build()) {
            runner.start();
            publish(streams.redis, stream, fields("zone_id", "z", "sid", "sid-1", "reason", "requested"));
            waitUntil(Duration.ofSeconds(10), "the entry is applied", () -> store.isRevoked("sid-1"));
            assertThat(streams.redis.xinfoConsumers(stream, group)).hasSize(1);

            runner.stop();

            assertThat(streams.redis.xinfoConsumers(stream, group)).isEmpty();
            assertThat(streams.redis.xinfoGroups(stream)).hasSize(1);

            runner.start();
            assertThat(runner.awaitJoined(Duration.ofSeconds(10))).isTrue();
            publish(streams.redis, stream, fields("zone_id", "z", "sid", "sid-2", "reason", "requested"));
            waitUntil(Duration.ofSeconds(10), "the next entry is applied", () -> store.isRevoked("sid-2"));
            assertThat(streams.redis.xinfoConsumers(stream, group)).hasSize(1);
        }
        assertThat(streams.redis.xinfoConsumers(stream, group)).isEmpty();
    }

    @Test
    @DisplayName("S70 a consumer with entries pending stays in the group, so that another member can re-claim them")
    void consumerWithPendingEntriesStays() {
        try (RedisRevocationConsumer consumer = consumer("c1", new InMemoryRevocationStore()).build()) {
            consumer.ensureGroup();
            publish(streams.redis, stream, fields("zone_id", "z", "sid", "sid-1", "reason", "requested"));
            assertThat(streams.deliverWithoutAck(stream, group, "c1", 1)).hasSize(1);

            assertThat(consumer.leaveGroup()).isFalse();

            assertThat(streams.redis.xinfoConsumers(stream, group)).hasSize(1);
            assertThat(streams.pending(stream, group)).isEqualTo(1);
        }
    }
}
