package ai.caracal.verify;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token that passed the structural and header rules (check order steps 1 and 2): JWS Compact
 * Serialization with three unpadded base64url segments, a strict JSON header with {@code alg: ES256},
 * a non-empty string {@code kid} and no {@code crit}, and a 64-byte signature. Header members such
 * as {@code jku}, {@code jwk}, {@code x5u} and {@code x5c} are ignored and never dereferenced.
 */
final class CompactJws implements Candidate {

    /** Longest token accepted, in characters (a Java-specific guard). */
    static final int MAX_LENGTH = 16_384;

    /** An ES256 signature is R‖S, 64 bytes, which is 86 unpadded base64url characters. */
    static final int SIGNATURE_CHARS = 86;

    /**
     * Header segments that already passed the header rules, and their kid. An issuer signs every mandate
     * of a key under the same header, so first-seen mandates usually skip decoding and parsing it.
     * Bounded; only accepted headers are remembered, and the entry is the segment's deterministic result.
     */
    private static final ConcurrentHashMap<String, String> ACCEPTED_HEADERS = new ConcurrentHashMap<>();
    private static final int MAX_ACCEPTED_HEADERS = 256;

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
        String headerSegment = token.substring(0, first);
        String kid = ACCEPTED_HEADERS.get(headerSegment);
        if (kid == null) {
            kid = kidOfAcceptableHeader(headerSegment);
            if (ACCEPTED_HEADERS.size() < MAX_ACCEPTED_HEADERS) {
                ACCEPTED_HEADERS.put(headerSegment, kid);
            }
        }
        return new CompactJws(token, first, second, kid);
    }

    /** The header rules of §2: a strict JSON object, {@code alg} exactly {@code ES256}, a kid, no crit. */
    private static String kidOfAcceptableHeader(String segment) throws InvalidMandate {
        Map<String, Object> header = StrictJson.parseObject(Base64.getUrlDecoder().decode(segment), "header");
        if (!"ES256".equals(header.get("alg"))) {
            throw new InvalidMandate("alg");
        }
        Object kid = header.get("kid");
        if (!(kid instanceof String keyId) || keyId.isEmpty()) {
            throw new InvalidMandate("kid");
        }
        if (header.containsKey("crit")) {
            throw new InvalidMandate("crit");
        }
        return keyId;
    }

    /** @return the header's {@code kid} */
    @Override
    public String kid() {
        return kid;
    }

    /** @return the whole token as ASCII bytes; the signing input is its first {@link #signingInputLength()} bytes */
    byte[] bytes() {
        return token.getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the length of the signing input: the first two segments and the dot between them */
    int signingInputLength() {
        return secondDot;
    }

    /** @return the decoded signature (64 bytes) */
    byte[] signature() {
        return decode(token, secondDot + 1, token.length());
    }

    /** @return the decoded payload bytes */
    byte[] payload() {
        return decode(token, firstDot + 1, secondDot);
    }

    private static byte[] decode(String token, int from, int to) {
        return Base64.getUrlDecoder().decode(token.substring(from, to));
    }

    /**
     * Canonical unpadded base64url (V126): only {@code A-Z a-z 0-9 - _}, a length that is not 1 mod 4,
     * and no set bit among the unused low bits of the last character (4 bits when the length is 2 mod 4,
     * 2 bits when it is 3 mod 4). The JDK decoder ignores those bits, so without this rule every token
     * would have up to 16 accepted spellings per segment, and a deny-list or replay check keyed on the
     * token string could be walked around.
     */
    static boolean isBase64Url(String s, int from, int to) {
        return isBase64Url(s, from, to, true);
    }

    /**
     * @param canonical whether the unused low bits of the last character must be zero; JWK coordinates
     *     are checked without it (a key's spelling decides nothing, and a lenient encoder must not make a
     *     zone's keys unusable)
     */
    static boolean isBase64Url(String s, int from, int to, boolean canonical) {
        int unusedBits = switch ((to - from) % 4) {
            case 0 -> 0;
            case 2 -> 4;
            case 3 -> 2;
            default -> -1;
        };
        if (unusedBits < 0) {
            return false;
        }
        int last = -1;
        for (int i = from; i < to; i++) {
            last = sextet(s.charAt(i));
            if (last < 0) {
                return false;
            }
        }
        return !canonical || last < 0 || (last & ((1 << unusedBits) - 1)) == 0;
    }

    /** @return the 6-bit value of a base64url character, or -1 for any other character */
    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }
}
