package ai.caracal.revocation.redis;

import ai.caracal.revocation.InMemoryRevocationStore;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzz targets for the per-entry processing of both stream consumers (state.md §5, §6.4), without
 * Redis: {@link RevocationStreamConsumer#process} with each consumer's applier, signed and unsigned, then
 * the dead-letter payload. Invariants are the spec's rules restated independently: the anchors and
 * their order, reserved anchors, the epoch syntax, the signature policy (ambiguous fields first), and a
 * payload that is JSON holding exactly the
 * original fields.
 *
 * <p>Input: UTF-8 lines {@code name=value} (split at the first {@code =}; {@code \n} in a value stands for
 * a newline). A value {@code $SIG} is replaced by the valid signature of the other fields under the spec's
 * test key (32 bytes of 0x07), so the signed path is reachable.
 */
class StreamEntryFuzzTest {

    private static final byte[] KEY = filled(32, (byte) 0x07);
    private static final List<String> ANCHOR_FIELDS = List.of("session_id", "sid", "root_sid", "agent_session_id", "delegation_edge_id");
    private static final JsonFactory JSON = new JsonFactory();

    @FuzzTest
    void revocationEntry(byte[] input) {
        String stream = RedisRevocationConsumer.DEFAULT_STREAM;
        Map<String, String> fields = entry(input, stream);
        for (List<byte[]> keys : List.of(List.<byte[]>of(), List.of(KEY))) {
            ScriptedRevocationStore store = new ScriptedRevocationStore();
            Optional<String> reason = RevocationStreamConsumer.process(keys, stream, RedisRevocationConsumer::revokeAnchors, store, fields);
            boolean ambiguous = !keys.isEmpty() && isAmbiguous(stream, fields);
            boolean signatureFails = !keys.isEmpty() && !StreamSignature.verify(keys, stream, fields);
            List<String> anchors = expectedAnchors(fields);
            if (ambiguous) {
                require(reason.equals(Optional.of(RevocationStreamConsumer.AMBIGUOUS_FIELDS)), "ambiguous fields are dead-lettered");
                require(signatureFails, "ambiguous fields never verify");
                require(store.revokedInOrder().isEmpty(), "nothing applied from ambiguous fields");
            } else if (signatureFails) {
                require(reason.equals(Optional.of(RevocationStreamConsumer.INVALID_SIGNATURE)), "a bad signature is dead-lettered");
                require(store.revokedInOrder().isEmpty(), "nothing applied from a bad signature");
            } else if (anchors.isEmpty()) {
                require(reason.equals(Optional.of(RedisRevocationConsumer.MISSING_ANCHOR)), "no anchor is dead-lettered");
                require(store.revokedInOrder().isEmpty(), "nothing applied without an anchor");
            } else if (anchors.stream().anyMatch(anchor -> anchor.startsWith("delegation-epoch:") || anchor.startsWith("consumer-policy:"))) {
                require(reason.equals(Optional.of(RedisRevocationConsumer.RESERVED_ANCHOR)), "a reserved anchor is dead-lettered");
                require(store.revokedInOrder().isEmpty(), "nothing applied from an entry naming a reserved anchor");
            } else {
                require(reason.isEmpty(), "an entry with an anchor is applied");
                require(store.revokedInOrder().equals(anchors), "every anchor revoked once, in wire order");
                require(RedisRevocationConsumer.anchors(fields).equals(anchors), "anchors(fields)");
            }
            if (reason.isPresent()) {
                requireDeadLetterPayload(fields);
            }
        }
    }

    @FuzzTest
    void delegationEntry(byte[] input) {
        String stream = DelegationInvalidationConsumer.DEFAULT_STREAM;
        Map<String, String> fields = entry(input, stream);
        for (List<byte[]> keys : List.of(List.<byte[]>of(), List.of(KEY))) {
            InMemoryRevocationStore store = new InMemoryRevocationStore();
            Optional<String> reason = RevocationStreamConsumer.process(keys, stream, DelegationInvalidationConsumer::advanceEpoch, store, fields);
            boolean ambiguous = !keys.isEmpty() && isAmbiguous(stream, fields);
            boolean signatureFails = !keys.isEmpty() && !StreamSignature.verify(keys, stream, fields);
            OptionalLong epoch = expectedEpoch(fields.get("epoch"));
            require(DelegationInvalidationConsumer.parseEpoch(fields.get("epoch")).equals(epoch), "parseEpoch matches §6.4");
            String zone = fields.get("zone_id");
            if (ambiguous) {
                require(reason.equals(Optional.of(RevocationStreamConsumer.AMBIGUOUS_FIELDS)), "ambiguous fields are dead-lettered");
            } else if (signatureFails) {
                require(reason.equals(Optional.of(RevocationStreamConsumer.INVALID_SIGNATURE)), "a bad signature is dead-lettered");
            } else if (zone == null || zone.isBlank() || epoch.isEmpty()) {
                require(reason.equals(Optional.of(DelegationInvalidationConsumer.INVALID_EPOCH)), "an invalid zone or epoch is dead-lettered");
            } else {
                require(reason.isEmpty(), "a valid entry is applied");
                require(store.currentDelegationEpoch(zone) == epoch.getAsLong(), "the zone epoch is the entry's");
            }
            if (reason.isPresent()) {
                requireDeadLetterPayload(fields);
            }
        }
    }

    @FuzzTest
    void signature(byte[] input) {
        String stream = RedisRevocationConsumer.DEFAULT_STREAM;
        Map<String, String> fields = entry(input, stream);
        Map<String, String> signed = new LinkedHashMap<>(fields);
        if (isAmbiguous(stream, fields)) {
            try {
                StreamSignature.sign(KEY, stream, fields);
                throw new AssertionError("invariant broken: sign refuses ambiguous fields");
            } catch (IllegalArgumentException expected) {
                // S67
            }
            signed.put(StreamSignature.SIGNATURE_FIELD, unguardedSignature(stream, fields));
            require(!StreamSignature.verify(KEY, stream, signed), "ambiguous fields never verify, even with their MAC");
            return;
        }
        signed.put(StreamSignature.SIGNATURE_FIELD, StreamSignature.sign(KEY, stream, fields));
        require(StreamSignature.verify(KEY, stream, signed), "a freshly signed entry verifies");
        require(StreamSignature.verify(List.of(filled(32, (byte) 1), KEY), stream, signed), "any of several keys verifies");
        require(!StreamSignature.verify(KEY, DelegationInvalidationConsumer.DEFAULT_STREAM, signed), "the stream name is signed");
        String presented = fields.get(StreamSignature.SIGNATURE_FIELD);
        if (presented != null) {
            byte[] decoded = StreamSignature.decodeHex(presented);
            require((decoded != null) == presented.matches("(?:[0-9a-fA-F]{2})*"), "decodeHex accepts exactly even-length ASCII hex");
        }
    }

    /** The lines of the input as an entry; {@code $SIG} values become the valid signature. */
    private static Map<String, String> entry(byte[] input, String stream) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> signatureFields = new ArrayList<>();
        for (String line : new String(input, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq);
            String value = eq < 0 ? "" : line.substring(eq + 1).replace("\\n", "\n");
            fields.put(name, value);
            if (value.equals("$SIG")) {
                signatureFields.add(name);
            }
        }
        if (!signatureFields.isEmpty()) {
            String signature = unguardedSignature(stream, fields);
            signatureFields.forEach(name -> fields.put(name, signature));
        }
        return fields;
    }

    /** S67 restated: a field name with {@code =} or a line feed, or a value with a line feed ({@code _sig} aside). */
    private static boolean isAmbiguous(String stream, Map<String, String> fields) {
        return fields.entrySet().stream().anyMatch(field -> !field.getKey().equals(StreamSignature.SIGNATURE_FIELD)
                && (field.getKey().contains("=") || field.getKey().contains("\n") || field.getValue().contains("\n")));
    }

    /** The HMAC of the canonical string as a producer without the S67 check would sign it. */
    private static String unguardedSignature(String stream, Map<String, String> fields) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            byte[] digest = mac.doFinal(StreamSignature.canonical(stream, fields).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** §6.4 step 2: the five anchor fields in order, empty values skipped, duplicates dropped. */
    private static List<String> expectedAnchors(Map<String, String> fields) {
        List<String> anchors = new ArrayList<>();
        for (String field : ANCHOR_FIELDS) {
            String value = fields.get(field);
            if (value != null && !value.isEmpty() && !anchors.contains(value)) {
                anchors.add(value);
            }
        }
        return anchors;
    }

    /** §6.4 step 2: 1 to 19 ASCII digits that fit a signed 64-bit long. */
    private static OptionalLong expectedEpoch(String value) {
        if (value == null || !value.matches("[0-9]{1,19}")) {
            return OptionalLong.empty();
        }
        BigInteger epoch = new BigInteger(value);
        return epoch.bitLength() < 64 ? OptionalLong.of(epoch.longValue()) : OptionalLong.empty();
    }

    /** The dead-letter payload is one JSON object holding exactly the entry's fields. */
    private static void requireDeadLetterPayload(Map<String, String> fields) {
        String payload = DeadLetterPayload.json(fields);
        Map<String, String> parsed = new TreeMap<>();
        try (JsonParser parser = JSON.createParser(payload)) {
            require(parser.nextToken() == JsonToken.START_OBJECT, "payload is an object");
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                require(parser.nextToken() == JsonToken.VALUE_STRING, "payload values are strings");
                require(parsed.put(name, parser.getText()) == null, "payload names are unique");
            }
            require(parser.nextToken() == null, "nothing after the payload object");
        } catch (IOException e) {
            throw new AssertionError("the dead-letter payload is not JSON", e);
        }
        require(parsed.equals(new TreeMap<>(fields)), "the payload holds exactly the entry's fields");
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("invariant broken: " + what);
        }
    }
}
