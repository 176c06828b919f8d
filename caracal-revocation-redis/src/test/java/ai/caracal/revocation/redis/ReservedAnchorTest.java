package ai.caracal.revocation.redis;

import static ai.caracal.revocation.redis.TestProducer.VECTOR_KEY;
import static ai.caracal.revocation.redis.TestProducer.fields;
import static ai.caracal.revocation.redis.TestProducer.publishSigned;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.MandateVerifier;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * State.md S66: a revocation can never overwrite the store's own records. Before, one signed event whose
 * anchor was {@code delegation-epoch:<zone>} set the zone's epoch key to {@code 1}, so stale delegated
 * mandates passed again.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class ReservedAnchorTest {

    private final StreamLane lane = StreamLane.shared("caracal.sessions.revoke.reserved");
    private final TestStreams streams = lane.streams;
    private final String stream = lane.stream;
    private final String group = lane.group;
    private final String prefix = lane.keyPrefix("reserved");
    private RedisRevocationStore store;

    @BeforeEach
    void setUp() {
        // A roomy timeout: a lookup that times out fails closed ("revoked"), which is not what these rows are about.
        store = RedisRevocationStore.builder().client(streams.client).keyPrefix(prefix)
                .commandTimeout(Duration.ofSeconds(2)).build();
        RedisForTests.awaitUsable(store);
    }

    @AfterEach
    void tearDown() {
        store.close();
        lane.close();
    }

    private RedisRevocationConsumer signedConsumer() {
        return lane.revocationConsumer(store).block(Duration.ofMillis(100)).streamHmacKey(VECTOR_KEY).build();
    }

    @Test
    @DisplayName("S66 a signed revocation of delegation-epoch:zone-1 after the epoch reached 50: dead-lettered"
            + " reserved_anchor; the epoch stays 50; a mandate with epoch 3 stays delegation_stale")
    void reservedAnchorCannotLowerTheEpoch(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().revocations(store).build();
        store.advanceDelegationEpoch("zone-1", 50);
        String stale = issuer.mint().delegationEdge().graphEpoch(3).sign();
        assertThat(code(verifier.authenticate(stale))).isEqualTo(ErrorCode.DELEGATION_STALE);

        try (RedisRevocationConsumer consumer = signedConsumer()) {
            consumer.ensureGroup();
            String id = publishSigned(streams.redis, stream,
                    fields("zone_id", "zone-1", "session_id", "delegation-epoch:zone-1", "reason", "requested"), VECTOR_KEY);

            assertThat(consumer.pollOnce()).isEqualTo(1);

            assertThat(streams.redis.get(prefix + "delegation-epoch:zone-1")).isEqualTo("50");
            assertThat(store.currentDelegationEpoch("zone-1")).isEqualTo(50);
            assertThat(code(verifier.authenticate(stale))).isEqualTo(ErrorCode.DELEGATION_STALE);
            List<StreamMessage<String, String>> dead = streams.deadLetters(stream);
            assertThat(dead).singleElement().satisfies(entry -> {
                assertThat(entry.getBody()).containsEntry("source_id", id).containsEntry("reason", "reserved_anchor");
            });
            assertThat(streams.pending(stream, group)).isZero();
        }
    }

    @Test
    @DisplayName("S66 an entry naming a reserved anchor next to a real one is dead-lettered whole; nothing is revoked")
    void entryWithAReservedAnchorIsNotHalfApplied() {
        String policyKey = prefix + "consumer-policy:" + stream + ":" + group;
        try (RedisRevocationConsumer consumer = signedConsumer()) {
            consumer.ensureGroup();
            assertThat(streams.redis.get(policyKey)).isEqualTo("signed");
            String real = RedisForTests.unique("sid");
            publishSigned(streams.redis, stream, fields("zone_id", "zone-1", "sid", real,
                    "root_sid", "consumer-policy:" + stream + ":" + group, "reason", "requested"), VECTOR_KEY);

            assertThat(consumer.pollOnce()).isEqualTo(1);

            assertThat(streams.redis.exists(prefix + real)).isZero();
            assertThat(streams.redis.get(policyKey)).isEqualTo("signed");
            assertThat(streams.deadLetters(stream)).singleElement()
                    .satisfies(entry -> assertThat(entry.getBody()).containsEntry("reason", "reserved_anchor"));
        }
    }

    private static ErrorCode code(AuthResult result) {
        return result.ok() ? null : result.error().code();
    }
}
