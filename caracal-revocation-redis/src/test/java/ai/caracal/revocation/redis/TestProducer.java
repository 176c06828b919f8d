package ai.caracal.revocation.redis;

import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.sync.RedisStreamCommands;
import java.util.LinkedHashMap;
import java.util.Map;

/** Publishes test entries the way Caracal's producers do (state.md §5.2): {@code XADD <stream> MAXLEN ~ 100000 * ...}. */
final class TestProducer {

    /** H1–H4 key: 32 bytes of {@code 0x07}. */
    static final byte[] VECTOR_KEY = filled(32, (byte) 0x07);
    static final String VECTOR_KEY_HEX = "07".repeat(32);

    private TestProducer() {
    }

    /** @return the fields in the given order, as producers send them */
    static Map<String, String> fields(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /** H1's fields (unsigned). */
    static Map<String, String> h1() {
        return fields("zone_id", "zone1", "session_id", "sid-1", "root_sid", "root-1", "agent_session_id", "agent-1",
                "delegation_edge_id", "edge-1", "reason", "grant_revoked");
    }

    /** H2's fields (unsigned). */
    static Map<String, String> h2() {
        return fields("event", "edge_revoke", "zone_id", "zone1", "edge_id", "edge-1", "epoch", "9");
    }

    /** Adds the entry as it is, with no signature added. @return the entry ID */
    static String publish(RedisStreamCommands<String, String> redis, String stream, Map<String, String> fields) {
        return redis.xadd(stream, XAddArgs.Builder.maxlen(100_000).approximateTrimming(), fields);
    }

    /** Signs the fields for {@code stream}, appends {@code _sig} last and adds the entry. @return the entry ID */
    static String publishSigned(RedisStreamCommands<String, String> redis, String stream, Map<String, String> fields,
            byte[] key) {
        Map<String, String> signed = new LinkedHashMap<>(fields);
        signed.put(StreamSignature.SIGNATURE_FIELD, StreamSignature.sign(key, stream, fields));
        return publish(redis, stream, signed);
    }

    /**
     * The {@code _sig} a producer without the S67 check would compute: HMAC-SHA256 of the canonical string,
     * even when a field makes it ambiguous.
     */
    static String unguardedSignature(byte[] key, String stream, Map<String, String> fields) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(StreamSignature.canonical(stream, fields)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, value);
        return bytes;
    }
}
