package ai.caracal.revocation.redis;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC wire format of Caracal's revocation streams: the {@code _sig} field of an entry.
 *
 * <p>The signature is HMAC-SHA256 over the UTF-8 bytes of a canonical string, rendered as lowercase
 * hex. The canonical string is the stream name followed by {@code \n}, then, for every field except
 * {@code _sig} in ascending field-name order ({@link String#compareTo}), {@code name=value\n}. Empty
 * values are included; {@code null} values are left out. Because the stream name is signed, an entry
 * copied into another stream does not verify.
 *
 * <p><b>Unambiguous fields (state.md S67).</b> The canonical string has no escaping, so a value holding a
 * line feed could be re-split: a signature over {@code reason="x\nroot_sid=victim"} would also verify for
 * the entry {@code reason=x, root_sid=victim}. {@link #sign} therefore refuses a field name that contains
 * {@code =} or a line feed, a value that contains a line feed, and a stream name that contains a line
 * feed; {@link #verify} fails for such entries whatever their {@code _sig}. Signatures made here can thus
 * never be re-split. A foreign producer that signs such values stays exploitable.
 *
 * <p><b>Key rotation (S69).</b> {@link #verify(List, String, Map)} accepts a signature made with any of
 * several keys; publishers sign with the first.
 *
 * <p>Publishers (the dev STS, the CLI, tests) and the stream consumers share this one implementation.
 * Stateless and thread-safe. Keys and signatures are never logged and never appear in exception
 * messages.
 */
public final class StreamSignature {

    /** The name of the field that carries the signature: {@code _sig}. */
    public static final String SIGNATURE_FIELD = "_sig";

    /** The shortest accepted key: 32 bytes. */
    public static final int MIN_KEY_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private StreamSignature() {
    }

    /**
     * Computes the {@code _sig} value of an entry.
     *
     * @param key    the stream HMAC key, at least 32 bytes; never {@code null}
     * @param stream the name of the stream the entry is added to; never {@code null}
     * @param fields the entry's fields; a {@code _sig} field, if present, is ignored, and {@code null}
     *               values are left out; never {@code null}
     * @return the signature as 64 lowercase hex characters
     * @throws IllegalArgumentException if the key is shorter than 32 bytes, or a field name contains
     *                                  {@code =} or a line feed, or a value or the stream name contains a
     *                                  line feed (the message names the field, never its value)
     */
    public static String sign(byte[] key, String stream, Map<String, String> fields) {
        String ambiguous = ambiguity(stream, fields);
        if (ambiguous != null) {
            throw new IllegalArgumentException("cannot sign an entry whose " + ambiguous
                    + ": the signed form would be ambiguous (state.md S67)");
        }
        return toHex(mac(key, stream, fields));
    }

    /**
     * Checks the {@code _sig} field of an entry. The hex may be in either case; a missing or malformed
     * {@code _sig} fails. The comparison takes constant time.
     *
     * @param key    the stream HMAC key, at least 32 bytes; never {@code null}
     * @param stream the name of the stream the entry was read from; never {@code null}
     * @param fields the entry's fields, {@code _sig} included; never {@code null}
     * @return {@code true} only if {@code _sig} is present and matches, and no field is ambiguous
     *         (see {@link #sign})
     * @throws IllegalArgumentException if the key is shorter than 32 bytes
     */
    public static boolean verify(byte[] key, String stream, Map<String, String> fields) {
        Objects.requireNonNull(key, "key");
        return verify(List.of(key), stream, fields);
    }

    /**
     * Checks the {@code _sig} field of an entry against several keys, for key rotation: the entry
     * verifies if its signature was made with any of them. Otherwise as {@link #verify(byte[], String, Map)}.
     *
     * @param keys   the stream HMAC keys, each at least 32 bytes; never {@code null} or empty
     * @param stream the name of the stream the entry was read from; never {@code null}
     * @param fields the entry's fields, {@code _sig} included; never {@code null}
     * @return {@code true} only if {@code _sig} is present and matches one of the keys, and no field is
     *         ambiguous
     * @throws IllegalArgumentException if the list is empty or a key is shorter than 32 bytes
     */
    public static boolean verify(List<byte[]> keys, String stream, Map<String, String> fields) {
        Objects.requireNonNull(keys, "keys");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one key is required");
        }
        keys.forEach(key -> checkKeyLength(key, "key"));
        if (ambiguity(stream, fields) != null) {
            return false;
        }
        String signature = fields.get(SIGNATURE_FIELD);
        byte[] presented = signature == null ? null : decodeHex(signature);
        if (presented == null) {
            return false;
        }
        byte[] canonical = canonical(stream, fields).getBytes(StandardCharsets.UTF_8);
        boolean matched = false;
        for (byte[] key : keys) {
            // Every key is tried, so the time taken does not tell which one matched.
            matched |= MessageDigest.isEqual(mac(key, canonical), presented);
        }
        return matched;
    }

    /**
     * Why the entry's signed form would be ambiguous (S67), or {@code null} when it is not: a field
     * name holding {@code =} or a line feed, or a value or the stream name holding a line feed. The
     * {@code _sig} field is not signed and not checked. The answer names a field, never a value.
     */
    static String ambiguity(String stream, Map<String, String> fields) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(fields, "fields");
        if (stream.indexOf('\n') >= 0) {
            return "stream name contains a line feed";
        }
        for (Map.Entry<String, String> field : fields.entrySet()) {
            String name = field.getKey();
            if (SIGNATURE_FIELD.equals(name) || field.getValue() == null) {
                continue;
            }
            if (name.indexOf('=') >= 0 || name.indexOf('\n') >= 0) {
                return "field name contains '=' or a line feed";
            }
            if (field.getValue().indexOf('\n') >= 0) {
                return "field " + name + " has a value with a line feed";
            }
        }
        return null;
    }

    /** The canonical string of §5.3; package-private so tests can compare it with the spec's table. */
    static String canonical(String stream, Map<String, String> fields) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(fields, "fields");
        StringBuilder canonical = new StringBuilder(stream).append('\n');
        for (Map.Entry<String, String> field : new TreeMap<>(fields).entrySet()) {
            if (field.getValue() != null && !SIGNATURE_FIELD.equals(field.getKey())) {
                canonical.append(field.getKey()).append('=').append(field.getValue()).append('\n');
            }
        }
        return canonical.toString();
    }

    /**
     * Decodes hex in either case.
     *
     * @return the bytes, or {@code null} when the text is not an even number of hex digits
     */
    static byte[] decodeHex(String hex) {
        if (hex.length() % 2 != 0) {
            return null;
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            char high = hex.charAt(2 * i);
            char low = hex.charAt(2 * i + 1);
            if (!isAsciiHex(high) || !isAsciiHex(low)) {
                return null;
            }
            bytes[i] = (byte) (Character.digit(high, 16) << 4 | Character.digit(low, 16));
        }
        return bytes;
    }

    /** Rejects keys shorter than {@link #MIN_KEY_BYTES}, naming the option in the message. */
    static void checkKeyLength(byte[] key, String option) {
        Objects.requireNonNull(key, option);
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(option + " must be at least " + MIN_KEY_BYTES
                    + " bytes, got " + key.length);
        }
    }

    private static boolean isAsciiHex(char c) {
        // Checked before Character.digit, which also accepts non-ASCII digits such as fullwidth ones.
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static byte[] mac(byte[] key, String stream, Map<String, String> fields) {
        checkKeyLength(key, "key");
        return mac(key, canonical(stream, fields).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] mac(byte[] key, byte[] canonical) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(canonical);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static String toHex(byte[] bytes) {
        char[] hex = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            hex[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xf];
        }
        return new String(hex);
    }
}
