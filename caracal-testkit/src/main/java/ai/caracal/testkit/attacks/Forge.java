package ai.caracal.testkit.attacks;

import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestJson;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.Deflater;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Byte- and text-level tools the attack families share: signatures, segments, JSON edits. */
final class Forge {

    /** The order n of the P-256 group. */
    static final BigInteger N =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private Forge() {
    }

    // ---- signatures ------------------------------------------------------------------------------

    /** @return R‖S of 64 bytes; each value must fit 32 bytes */
    static byte[] rs(BigInteger r, BigInteger s) {
        byte[] out = new byte[64];
        put(out, 0, r);
        put(out, 32, s);
        return out;
    }

    /** @return the r of a 64-byte R‖S signature */
    static BigInteger r(byte[] signature) {
        return new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    }

    /** @return the s of a 64-byte R‖S signature */
    static BigInteger s(byte[] signature) {
        return new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    }

    private static void put(byte[] out, int offset, BigInteger value) {
        byte[] bytes = value.toByteArray();
        int from = 0;
        while (bytes.length - from > 32 && bytes[from] == 0) {
            from++;
        }
        int length = bytes.length - from;
        if (length > 32 || value.signum() < 0) {
            throw new IllegalArgumentException("value does not fit 32 unsigned bytes");
        }
        System.arraycopy(bytes, from, out, offset + 32 - length, length);
    }

    /** @return the HMAC of {@code input} under {@code key}, for example with {@code HmacSHA256} */
    static byte[] hmac(String algorithm, byte[] key, byte[] input) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return {@code bytes} followed by {@code extra} */
    static byte[] append(byte[] bytes, byte... extra) {
        byte[] out = Arrays.copyOf(bytes, bytes.length + extra.length);
        System.arraycopy(extra, 0, out, bytes.length, extra.length);
        return out;
    }

    /**
     * A well-formed DER {@code SEQUENCE { INTEGER, INTEGER }} that is exactly 64 bytes long, so it
     * passes a length check for R‖S: two 29-byte integers.
     */
    static byte[] derOfSixtyFourBytes(byte[] raw) {
        byte[] out = new byte[64];
        out[0] = 0x30;
        out[1] = 62;
        out[2] = 0x02;
        out[3] = 29;
        System.arraycopy(raw, 3, out, 4, 29);
        out[4] &= 0x7F;
        out[33] = 0x02;
        out[34] = 29;
        System.arraycopy(raw, 35, out, 35, 29);
        out[35] &= 0x7F;
        return out;
    }

    // ---- segments and serializations -------------------------------------------------------------

    /** @return segment {@code index} of a compact token */
    static String segment(String token, int index) {
        return token.split("\\.", -1)[index];
    }

    /** @return unpadded base64url of the UTF-8 text */
    static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return unpadded base64url */
    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** @return the decoded UTF-8 text of a base64url segment */
    static String text(String segment) {
        return new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8);
    }

    /** @return the JWS flattened JSON serialization of a compact token */
    static String flattenedJson(String token) {
        Map<String, Object> jws = new LinkedHashMap<>();
        jws.put("protected", segment(token, 0));
        jws.put("payload", segment(token, 1));
        jws.put("signature", segment(token, 2));
        return TestJson.write(jws);
    }

    /** @return the JWS general JSON serialization of a compact token */
    static String generalJson(String token) {
        Map<String, Object> signature = new LinkedHashMap<>();
        signature.put("protected", segment(token, 0));
        signature.put("signature", segment(token, 2));
        Map<String, Object> jws = new LinkedHashMap<>();
        jws.put("payload", segment(token, 1));
        jws.put("signatures", List.of(signature));
        return TestJson.write(jws);
    }

    /** @return raw DEFLATE (RFC 1951, as {@code zip: DEF} means) of the UTF-8 text */
    static byte[] deflate(String text) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    // ---- JSON text -------------------------------------------------------------------------------

    /** @return the JSON object text with {@code members} (already JSON) added before its closing brace */
    static String withMembers(String objectJson, String members) {
        int end = objectJson.lastIndexOf('}');
        String separator = objectJson.substring(0, end).trim().endsWith("{") ? "" : ",";
        return objectJson.substring(0, end) + separator + members + objectJson.substring(end);
    }

    /** @return the baseline payload text of {@code mandate}, edited, set as its raw payload */
    static MandateBuilder editPayload(MandateBuilder mandate, UnaryOperator<String> edit) {
        return mandate.rawPayload(edit.apply(TestJson.write(mandate.claims())));
    }

    /** @return the baseline header of the context's zone key, as JSON text */
    static String header(AttackContext context) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "ES256");
        header.put("typ", "JWT");
        header.put("kid", context.kid());
        return TestJson.write(header);
    }

    /** @return the text with every character written as a JSON unicode escape (backslash, u, four hex digits) */
    static String escapeAll(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(ch -> out.append(String.format("\\u%04x", ch)));
        return out.toString();
    }

    /** @return {@code value} nested in {@code depth} arrays, as JSON text */
    static String nestedArrays(int depth, String value) {
        return "[".repeat(depth) + value + "]".repeat(depth);
    }

    /** @return {@code value} nested in {@code depth} single-member objects, as JSON text */
    static String nestedObjects(int depth, String value) {
        return "{\"a\":".repeat(depth) + value + "}".repeat(depth);
    }
}
