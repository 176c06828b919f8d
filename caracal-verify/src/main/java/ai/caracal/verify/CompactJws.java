package ai.caracal.verify;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A token that passed the structural and header rules (check order steps 1 and 2): JWS Compact
 * Serialization with three unpadded base64url segments, a strict JSON header with {@code alg: ES256},
 * a non-empty string {@code kid} and no {@code crit}, and a 64-byte signature. Header members such
 * as {@code jku}, {@code jwk}, {@code x5u} and {@code x5c} are ignored and never dereferenced.
 */
final class CompactJws {

    /** Longest token accepted, in characters (a Java-specific guard). */
    static final int MAX_LENGTH = 16_384;

    /** An ES256 signature is R‖S, 64 bytes, which is 86 unpadded base64url characters. */
    private static final int SIGNATURE_CHARS = 86;

    private final String token;
    private final int firstDot;
    private final int secondDot;
    private final String kid;

    private CompactJws(String token, int firstDot, int secondDot, String kid) {
        this.token = token;
        this.firstDot = firstDot;
        this.secondDot = secondDot;
        this.kid = kid;
    }

    static CompactJws parse(String token) throws InvalidMandate {
        if (token.length() > MAX_LENGTH) {
            throw new InvalidMandate("too-long");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new InvalidMandate("not-compact-jws");
        }
        if (!isBase64Url(token, 0, first) || !isBase64Url(token, first + 1, second)
                || !isBase64Url(token, second + 1, token.length())) {
            throw new InvalidMandate("not-base64url");
        }
        if (token.length() - second - 1 != SIGNATURE_CHARS) {
            throw new InvalidMandate("signature-length");
        }
        Map<String, Object> header = StrictJson.parseObject(decode(token, 0, first), "header");
        if (!"ES256".equals(header.get("alg"))) {
            throw new InvalidMandate("alg");
        }
        Object kid = header.get("kid");
        if (!(kid instanceof String) || ((String) kid).isEmpty()) {
            throw new InvalidMandate("kid");
        }
        if (header.containsKey("crit")) {
            throw new InvalidMandate("crit");
        }
        return new CompactJws(token, first, second, (String) kid);
    }

    /** @return the header's {@code kid} */
    String kid() {
        return kid;
    }

    /** @return the signing input: ASCII of the first two segments and the dot between them */
    byte[] signingInput() {
        return token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the signature segment, still base64url-encoded */
    String signature() {
        return token.substring(secondDot + 1);
    }

    /** @return the decoded payload bytes */
    byte[] payload() {
        return decode(token, firstDot + 1, secondDot);
    }

    private static byte[] decode(String token, int from, int to) {
        return Base64.getUrlDecoder().decode(token.substring(from, to));
    }

    /** Unpadded base64url: only {@code A-Z a-z 0-9 - _}, and a length that is not 1 mod 4. */
    static boolean isBase64Url(String s, int from, int to) {
        if ((to - from) % 4 == 1) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
