package ai.caracal.revocation.redis;

import static ai.caracal.revocation.redis.TestProducer.VECTOR_KEY;
import static ai.caracal.revocation.redis.TestProducer.fields;
import static ai.caracal.revocation.redis.TestProducer.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** State.md §9.3 rows for {@link DelegationInvalidationConsumer}, against a real Redis. */
class DelegationInvalidationConsumerTest {

    private final StreamLane lane = StreamLane.shared("caracal.delegations.invalidate.test");
    private final TestStreams streams = lane.streams;
    private final String stream = lane.stream;
    private final String group = lane.group;

    @AfterEach
    void tearDown() {
        lane.close();
    }

    private DelegationInvalidationConsumer.Builder consumer(RevocationStore store) {
        return lane.delegationConsumer(store).block(Duration.ofMillis(100)).pendingIdle(Duration.ofMillis(200));
    }

    @Test
    @DisplayName("S49 signed delegation entry H2 raises zone1's epoch to 9 and is acked")
    void signedH2RaisesTheEpoch() {
        try (RedisForTests.OwnedRedis server = RedisForTests.startOwned();
             TestStreams owned = new TestStreams(server.uri())) {
            InMemoryRevocationStore store = new InMemoryRevocationStore();
            try (DelegationInvalidationConsumer consumer = DelegationInvalidationConsumer.builder().client(owned.client)
                    .store(store).consumer("c1").streamHmacKey(VECTOR_KEY).block(Duration.ofMillis(100)).build()) {
                consumer.ensureGroup();
                Map<String, String> entry = new LinkedHashMap<>(TestProducer.h2());
                entry.put("_sig", "af93be15944d57332651e8a37d422c792929ecc90736344cc4a672997b25dac5");
                publish(owned.redis, "caracal.delegations.invalidate", entry);

                assertThat(consumer.pollOnce()).isEqualTo(1);

                assertThat(store.currentDelegationEpoch("zone1")).isEqualTo(9);
                assertThat(owned.pending("caracal.delegations.invalidate", "resource-delegation-invalidation")).isZero();
                assertThat(owned.deadLetters("caracal.delegations.invalidate")).isEmpty();
            }
        }
    }

    static Stream<Arguments> invalidEntries() {
        return Stream.of(
                Arguments.of("epoch nan", fields("zone_id", "zone1", "epoch", "nan")),
                Arguments.of("epoch empty", fields("zone_id", "zone1", "epoch", "")),
                Arguments.of("epoch -1", fields("zone_id", "zone1", "epoch", "-1")),
                Arguments.of("epoch +7", fields("zone_id", "zone1", "epoch", "+7")),
                Arguments.of("epoch ' 7'", fields("zone_id", "zone1", "epoch", " 7")),
                Arguments.of("epoch 1e3", fields("zone_id", "zone1", "epoch", "1e3")),
                Arguments.of("no zone_id", fields("epoch", "7")));
    }

    @ParameterizedTest(name = "S50 {0} is dead-lettered as invalid_delegation_epoch, acked, epoch unchanged")
    @MethodSource("invalidEntries")
    void invalidEpochEntriesAreDeadLettered(String name, Map<String, String> entry) {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        store.advanceDelegationEpoch("zone1", 3);
        try (DelegationInvalidationConsumer consumer = consumer(store).build()) {
            consumer.ensureGroup();
            String id = publish(streams.redis, stream, entry);

            assertThat(consumer.pollOnce()).isEqualTo(1);

            assertThat(store.currentDelegationEpoch("zone1")).isEqualTo(3);
            assertThat(streams.pending(stream, group)).isZero();
            assertThat(streams.deadLetters(stream)).singleElement().satisfies(dead -> assertThat(dead.getBody())
                    .containsEntry("source_id", id)
                    .containsEntry("reason", "invalid_delegation_epoch")
                    .containsEntry("payload", DeadLetterPayload.json(entry)));
        }
    }

    @Test
    @DisplayName("S51 epochs 9 then 4 leave the epoch at 9; both entries are acked")
    void lowerEpochIsANoOpButAcked() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (DelegationInvalidationConsumer consumer = consumer(store).build()) {
            consumer.ensureGroup();
            publish(streams.redis, stream, fields("event", "edge_create", "zone_id", "zone1", "epoch", "9"));
            publish(streams.redis, stream, fields("event", "edge_expire", "zone_id", "zone1", "epoch", "4"));

            assertThat(consumer.pollOnce()).isEqualTo(2);

            assertThat(store.currentDelegationEpoch("zone1")).isEqualTo(9);
            assertThat(streams.pending(stream, group)).isZero();
            assertThat(streams.deadLetters(stream)).isEmpty();
        }
    }

    @Test
    @DisplayName("absurd epochs: 20 digits and Long.MAX_VALUE + 1 are dead-lettered; Long.MAX_VALUE is applied")
    void absurdEpochsNeverCrashOrLowerTheEpoch() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (DelegationInvalidationConsumer consumer = consumer(store).build()) {
            consumer.ensureGroup();
            publish(streams.redis, stream, fields("zone_id", "zone1", "epoch", "99999999999999999999"));
            publish(streams.redis, stream, fields("zone_id", "zone1", "epoch", "9223372036854775808"));
            publish(streams.redis, stream, fields("zone_id", "zone1", "epoch", "9".repeat(100_000)));
            publish(streams.redis, stream, fields("zone_id", "zone2", "epoch", "9223372036854775807"));
            publish(streams.redis, stream, fields("zone_id", "zone2", "epoch", "0"));

            assertThat(consumer.pollOnce()).isEqualTo(5);

            assertThat(store.currentDelegationEpoch("zone1")).isZero();
            assertThat(store.currentDelegationEpoch("zone2")).isEqualTo(Long.MAX_VALUE);
            assertThat(streams.deadLetters(stream)).hasSize(3);
        }
    }

    @Test
    @DisplayName("a failing store aborts the poll and leaves the delegation entry pending")
    void failingStoreLeavesEntryPending() {
        ScriptedRevocationStore store = new ScriptedRevocationStore();
        store.failWrites(true);
        try (DelegationInvalidationConsumer consumer = consumer(store).build()) {
            consumer.ensureGroup();
            publish(streams.redis, stream, fields("zone_id", "zone1", "epoch", "5"));

            assertThatThrownBy(consumer::pollOnce).isInstanceOf(RevocationStoreException.class);

            assertThat(streams.pending(stream, group)).isEqualTo(1);
            assertThat(store.currentDelegationEpoch("zone1")).isZero();
        }
    }

    @Test
    @DisplayName("a blank zone_id is dead-lettered: the store could never apply it")
    void blankZoneIsDeadLettered() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (DelegationInvalidationConsumer consumer = consumer(store).build()) {
            consumer.ensureGroup();
            publish(streams.redis, stream, fields("zone_id", "  ", "epoch", "5"));

            assertThat(consumer.pollOnce()).isEqualTo(1);

            assertThat(streams.deadLetters(stream)).singleElement()
                    .satisfies(dead -> assertThat(dead.getBody()).containsEntry("reason", "invalid_delegation_epoch"));
        }
    }

    @ParameterizedTest(name = "epoch \"{0}\" parses")
    @ValueSource(strings = {"0", "7", "007", "9223372036854775807"})
    void validEpochsParse(String epoch) {
        assertThat(DelegationInvalidationConsumer.parseEpoch(epoch)).isEqualTo(OptionalLong.of(Long.parseLong(epoch)));
    }

    @ParameterizedTest(name = "epoch \"{0}\" is invalid")
    @ValueSource(strings = {"", "nan", "-1", "+7", " 7", "7 ", "1e3", "0x10", "٣", "9223372036854775808",
            "00000000000000000001"})
    void invalidEpochsDoNotParse(String epoch) {
        assertThat(DelegationInvalidationConsumer.parseEpoch(epoch)).isEmpty();
    }
}
