package ai.caracal.revocation.redis;

import static ai.caracal.revocation.redis.TestProducer.VECTOR_KEY;
import static ai.caracal.revocation.redis.TestProducer.fields;
import static ai.caracal.revocation.redis.TestProducer.publish;
import static ai.caracal.revocation.redis.TestProducer.unguardedSignature;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * State.md S67: the canonical string of §5.3 has no escaping, so a signature over a value holding a line
 * feed also verifies for the entry re-split at that line feed. Signatures are never made over such
 * entries, and signed consumers refuse them.
 */
class AmbiguousFieldsTest {

    private final StreamLane lane = StreamLane.shared("caracal.sessions.revoke.ambiguous");
    private final TestStreams streams = lane.streams;
    private final String stream = lane.stream;
    private final String group = lane.group;

    @AfterEach
    void tearDown() {
        lane.close();
    }

    static Stream<Arguments> ambiguousEntries() {
        return Stream.of(
                Arguments.of("a value with a line feed", "caracal.sessions.revoke",
                        fields("zone_id", "z", "session_id", "sid-1", "reason", "requested\nroot_sid=victim")),
                Arguments.of("a name with =", "caracal.sessions.revoke", fields("session_id", "sid-1", "reason=x", "y")),
                Arguments.of("a name with a line feed", "caracal.sessions.revoke", fields("session_id", "sid-1", "a\nb", "y")),
                Arguments.of("a stream name with a line feed", "caracal.sessions.revoke\nsid=victim",
                        fields("session_id", "sid-1")));
    }

    @ParameterizedTest(name = "S67 sign refuses {0}; verify fails even with its MAC")
    @MethodSource("ambiguousEntries")
    void ambiguousEntriesAreNeverSigned(String what, String streamName, Map<String, String> fields) {
        assertThatThrownBy(() -> StreamSignature.sign(VECTOR_KEY, streamName, fields))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ambiguous")
                .hasMessageNotContaining("victim");

        Map<String, String> entry = new LinkedHashMap<>(fields);
        entry.put(StreamSignature.SIGNATURE_FIELD, unguardedSignature(VECTOR_KEY, streamName, fields));
        assertThat(StreamSignature.verify(VECTOR_KEY, streamName, entry)).isFalse();
    }

    @Test
    @DisplayName("S67 reason=\"requested\\nroot_sid=victim\" signed as one field: dead-lettered ambiguous_fields;"
            + " victim is not revoked")
    void lineFeedInASignedValueIsDeadLettered() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        Map<String, String> fields = fields("zone_id", "zone-1", "session_id", "sid-1", "reason", "requested\nroot_sid=victim");
        Map<String, String> entry = new LinkedHashMap<>(fields);
        entry.put(StreamSignature.SIGNATURE_FIELD, unguardedSignature(VECTOR_KEY, stream, fields));
        // The same MAC verifies for the entry re-split at the line feed: the reason the signer must refuse.
        Map<String, String> resplit = fields("zone_id", "zone-1", "session_id", "sid-1", "reason", "requested",
                "root_sid", "victim", StreamSignature.SIGNATURE_FIELD, entry.get(StreamSignature.SIGNATURE_FIELD));
        assertThat(StreamSignature.verify(VECTOR_KEY, stream, resplit)).isTrue();

        try (RedisRevocationConsumer consumer = lane.revocationConsumer(store)
                .block(Duration.ofMillis(100)).streamHmacKey(VECTOR_KEY).build()) {
            consumer.ensureGroup();
            String id = publish(streams.redis, stream, entry);

            assertThat(consumer.pollOnce()).isEqualTo(1);

            assertThat(store.isRevoked("victim")).isFalse();
            assertThat(store.isRevoked("sid-1")).isFalse();
            assertThat(streams.deadLetters(stream)).singleElement().satisfies(dead -> assertThat(dead.getBody())
                    .containsEntry("source_id", id).containsEntry("reason", "ambiguous_fields"));
            assertThat(streams.pending(stream, group)).isZero();
        }
    }

    @Test
    @DisplayName("S67 a signed entry merged into one ambiguous field (its anchor hidden in reason) is dead-lettered"
            + " ambiguous_fields, not dropped as missing_revocation_anchor")
    void hiddenAnchorIsReportedAsAmbiguous() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        Map<String, String> signed = fields("reason", "grant_revoked", "session_id", "sid-1", "zone_id", "zone-1");
        String signature = StreamSignature.sign(VECTOR_KEY, stream, signed);
        Map<String, String> merged = fields("reason", "grant_revoked\nsession_id=sid-1", "zone_id", "zone-1",
                StreamSignature.SIGNATURE_FIELD, signature);

        try (RedisRevocationConsumer consumer = lane.revocationConsumer(store)
                .block(Duration.ofMillis(100)).streamHmacKey(VECTOR_KEY).build()) {
            consumer.ensureGroup();
            publish(streams.redis, stream, merged);

            assertThat(consumer.pollOnce()).isEqualTo(1);

            assertThat(streams.deadLetters(stream)).singleElement()
                    .satisfies(dead -> assertThat(dead.getBody()).containsEntry("reason", "ambiguous_fields"));
        }
    }

    @Test
    @DisplayName("S67 without a key there is no signed form to re-split: an entry with a line feed in reason is applied")
    void unsignedConsumerAppliesEntriesWithLineFeeds() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (RedisRevocationConsumer consumer = lane.revocationConsumer(store).block(Duration.ofMillis(100)).build()) {
            consumer.ensureGroup();
            publish(streams.redis, stream, fields("zone_id", "zone-1", "session_id", "sid-1", "reason", "requested\nroot_sid=victim"));

            assertThat(consumer.pollOnce()).isEqualTo(1);

            assertThat(store.isRevoked("sid-1")).isTrue();
            assertThat(store.isRevoked("victim")).isFalse();
            assertThat(streams.deadLetters(stream)).isEmpty();
        }
    }
}
