package ai.caracal.revocation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.InMemoryRevocationStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.StreamMessage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared interoperability fixtures of interop.md §2–§3 that concern streams, read from
 * {@code src/test/resources/interop/} (named by {@code caracal-resource-verifier-manifest.json}) and run
 * through {@link StreamSignature} and {@link RedisRevocationConsumer} on a real Redis.
 */
class InteropFixturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestStreams streams;

    @BeforeEach
    void setUp() {
        streams = TestStreams.shared();
    }

    @AfterEach
    void tearDown() {
        streams.close();
    }

    static JsonNode fixture(String name) throws IOException {
        try (InputStream in = InteropFixturesTest.class.getResourceAsStream("/interop/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return JSON.readTree(in);
        }
    }

    /** The fields of a fixture object, JSON null kept as a null value. */
    static Map<String, String> fields(JsonNode object) {
        Map<String, String> fields = new LinkedHashMap<>();
        object.properties().forEach(field -> fields.put(field.getKey(),
                field.getValue().isNull() ? null : field.getValue().asText()));
        return fields;
    }

    static Stream<JsonNode> signatureVectors() throws IOException {
        JsonNode vectors = fixture("stream-sig-canonicalize.vectors.json").path("vectors");
        assertThat(vectors.size()).isEqualTo(4);
        return Stream.iterate(0, i -> i < vectors.size(), i -> i + 1).map(vectors::get);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signatureVectors")
    @DisplayName("stream-sig-canonicalize.vectors.json: canonical string and HMAC-SHA256 of each vector")
    void streamSignatureVectors(JsonNode vector) throws IOException {
        JsonNode file = fixture("stream-sig-canonicalize.vectors.json");
        byte[] key = HexFormat.of().parseHex(file.path("key_hex").asText());
        String stream = file.path("stream").asText();
        Map<String, String> fields = fields(vector.path("fields"));

        assertThat(StreamSignature.canonical(stream, fields)).isEqualTo(vector.path("canonical").asText());
        assertThat(StreamSignature.sign(key, stream, fields)).isEqualTo(vector.path("signature").asText());

        Map<String, String> signed = new LinkedHashMap<>(fields);
        signed.put(StreamSignature.SIGNATURE_FIELD, vector.path("signature").asText());
        assertThat(StreamSignature.verify(key, stream, signed)).isTrue();
        signed.put(StreamSignature.SIGNATURE_FIELD, "00".repeat(32));
        assertThat(StreamSignature.verify(key, stream, signed)).isFalse();
    }

    @Test
    @DisplayName("revocation-event.session.valid.json: an unsigned consumer revokes session_id and acks it")
    void revocationEventAppliedByUnsignedConsumer() throws IOException {
        Map<String, String> event = fields(fixture("revocation-event.session.valid.json"));
        String stream = streams.newStream("caracal.sessions.revoke.interop");
        String group = TestStreams.newGroup();
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(streams.client).store(store)
                .consumer("c1").stream(stream).group(group).block(Duration.ofMillis(100)).build()) {
            consumer.ensureGroup();
            TestProducer.publish(streams.redis, stream, event);

            assertThat(consumer.pollOnce()).isEqualTo(1);
        }
        assertThat(store.isRevoked("authority-record-1")).isTrue();
        assertThat(store.size()).as("grant_id and outbox_id are not anchors").isEqualTo(1);
        assertThat(streams.pending(stream, group)).isZero();
        assertThat(streams.deadLetters(stream)).isEmpty();
    }

    @Test
    @DisplayName("revocation-event.session.valid.json: a signed consumer dead-letters it (its _sig is valid for no key)")
    void revocationEventDeadLetteredBySignedConsumer() throws IOException {
        Map<String, String> event = fields(fixture("revocation-event.session.valid.json"));
        String stream = streams.newStream("caracal.sessions.revoke.interop");
        String group = TestStreams.newGroup();
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(streams.client).store(store)
                .consumer("c1").stream(stream).group(group).block(Duration.ofMillis(100))
                .streamHmacKeyHex("0123456789abcdef".repeat(4)).build()) {
            consumer.ensureGroup();
            String id = TestProducer.publish(streams.redis, stream, event);

            assertThat(consumer.pollOnce()).isEqualTo(1);

            List<StreamMessage<String, String>> dead = streams.deadLetters(stream);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).getBody()).containsEntry("source_id", id).containsEntry("reason", "invalid_signature");
        }
        assertThat(store.isRevoked("authority-record-1")).isFalse();
        assertThat(streams.pending(stream, group)).isZero();
    }
}
