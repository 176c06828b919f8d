package ai.caracal.revocation.redis;

import static ai.caracal.revocation.redis.TestProducer.VECTOR_KEY;
import static ai.caracal.revocation.redis.TestProducer.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** State.md §5.3: the {@code _sig} wire format, with the spec's test vectors H1–H4. */
class StreamSignatureTest {

    private static final String H1_SIG = "4c746b7e0e80a775ba96c7f289c6b5217f86c722c8b0327d2aec92897e87c168";

    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("H1", "caracal.sessions.revoke", TestProducer.h1(),
                        "caracal.sessions.revoke\nagent_session_id=agent-1\ndelegation_edge_id=edge-1\nreason=grant_revoked\n"
                                + "root_sid=root-1\nsession_id=sid-1\nzone_id=zone1\n",
                        H1_SIG),
                Arguments.of("H2", "caracal.delegations.invalidate", TestProducer.h2(),
                        "caracal.delegations.invalidate\nedge_id=edge-1\nepoch=9\nevent=edge_revoke\nzone_id=zone1\n",
                        "af93be15944d57332651e8a37d422c792929ecc90736344cc4a672997b25dac5"),
                Arguments.of("H3", "caracal.sessions.revoke",
                        fields("zone_id", "zone1", "session_id", "sid-1", "reason", "grant_revoked", "grant_id", ""),
                        "caracal.sessions.revoke\ngrant_id=\nreason=grant_revoked\nsession_id=sid-1\nzone_id=zone1\n",
                        "c08f00bba25ca1f095a8877749d012d1430e6ba300d261ad5ebf7839a4abdb27"),
                Arguments.of("H4", "caracal.sessions.revoke", TestProducer.h2(),
                        "caracal.sessions.revoke\nedge_id=edge-1\nepoch=9\nevent=edge_revoke\nzone_id=zone1\n",
                        "4865aa1203db00873fade71d8443775c0c41a5790da8d499a1edcbe9d1c0672d"));
    }

    @ParameterizedTest(name = "S53 {0}: canonical string and _sig match the spec")
    @MethodSource("vectors")
    void signProducesTheSpecVectors(String vector, String stream, Map<String, String> fields, String canonical,
            String signature) {
        assertThat(StreamSignature.canonical(stream, fields)).isEqualTo(canonical);
        assertThat(StreamSignature.sign(VECTOR_KEY, stream, fields)).isEqualTo(signature);
        assertThat(StreamSignature.verify(VECTOR_KEY, stream, withSignature(fields, signature))).isTrue();
    }

    @Test
    @DisplayName("verify accepts the signature in uppercase hex")
    void verifyAcceptsUppercaseHex() {
        assertThat(StreamSignature.verify(VECTOR_KEY, "caracal.sessions.revoke",
                withSignature(TestProducer.h1(), H1_SIG.toUpperCase(java.util.Locale.ROOT)))).isTrue();
    }

    @Test
    @DisplayName("H2's signature does not verify on the revoke stream (the stream name is signed)")
    void signatureIsBoundToTheStream() {
        assertThat(StreamSignature.verify(VECTOR_KEY, "caracal.sessions.revoke", withSignature(TestProducer.h2(),
                "af93be15944d57332651e8a37d422c792929ecc90736344cc4a672997b25dac5"))).isFalse();
    }

    @ParameterizedTest(name = "malformed _sig \"{0}\" fails")
    @ValueSource(strings = {"", "00", "4c7", "zz", "4c746b7e0e80a775ba96c7f289c6b5217f86c722c8b0327d2aec92897e87c16",
            "4c746b7e0e80a775ba96c7f289c6b5217f86c722c8b0327d2aec92897e87c168 ",
            "４c746b7e0e80a775ba96c7f289c6b5217f86c722c8b0327d2aec92897e87c168",
            "0x4c746b7e0e80a775ba96c7f289c6b5217f86c722c8b0327d2aec92897e87c1"})
    void malformedSignaturesFail(String signature) {
        assertThat(StreamSignature.verify(VECTOR_KEY, "caracal.sessions.revoke", withSignature(TestProducer.h1(), signature)))
                .isFalse();
    }

    @Test
    @DisplayName("a missing _sig fails")
    void missingSignatureFails() {
        assertThat(StreamSignature.verify(VECTOR_KEY, "caracal.sessions.revoke", TestProducer.h1())).isFalse();
    }

    @Test
    @DisplayName("changing any value, or adding a field, breaks the signature")
    void tamperingBreaksTheSignature() {
        Map<String, String> changed = withSignature(TestProducer.h1(), H1_SIG);
        changed.put("root_sid", "root-2");
        Map<String, String> added = withSignature(TestProducer.h1(), H1_SIG);
        added.put("grant_id", "");

        assertThat(StreamSignature.verify(VECTOR_KEY, "caracal.sessions.revoke", changed)).isFalse();
        assertThat(StreamSignature.verify(VECTOR_KEY, "caracal.sessions.revoke", added)).isFalse();
    }

    @Test
    @DisplayName("an existing _sig and null values are left out of the canonical string; field order does not matter")
    void canonicalStringIgnoresSignatureNullsAndOrder() {
        Map<String, String> fields = new HashMap<>(TestProducer.h1());
        fields.put("_sig", "ffff");
        fields.put("outbox_id", null);

        assertThat(StreamSignature.sign(VECTOR_KEY, "caracal.sessions.revoke", fields)).isEqualTo(H1_SIG);
    }

    @Test
    @DisplayName("a key shorter than 32 bytes is rejected")
    void shortKeyIsRejected() {
        assertThatThrownBy(() -> StreamSignature.sign(new byte[31], "s", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> StreamSignature.verify(new byte[31], "s", Map.of("_sig", "00")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<String, String> withSignature(Map<String, String> fields, String signature) {
        Map<String, String> signed = new LinkedHashMap<>(fields);
        signed.put("_sig", signature);
        return signed;
    }
}
