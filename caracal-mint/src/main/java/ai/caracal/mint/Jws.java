package ai.caracal.mint;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pieces of a compact JWS (RFC 7515 §7.1) that every minted mandate shares: the header and the
 * unpadded base64url text. {@link Es256Key#sign(MandateClaims)} assembles them; a test kit that breaks
 * tokens on purpose assembles them itself. Stateless and thread-safe.
 */
public final class Jws {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Jws() {
    }

    /**
     * @param kid the signing key's name; {@code null} writes a JSON {@code null} (a test kit fills it in
     *            at signing time)
     * @return a new modifiable map {@code {"alg":"ES256","typ":"JWT","kid":kid}}, in that order
     */
    public static Map<String, Object> header(String kid) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "ES256");
        header.put("typ", "JWT");
        header.put("kid", kid);
        return header;
    }

    /**
     * @param bytes any bytes; not null
     * @return their unpadded base64url text
     */
    public static String base64Url(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }

    /**
     * @param header  the header bytes (normally UTF-8 JSON); not null
     * @param payload the payload bytes; not null
     * @return the signing input {@code base64url(header) "." base64url(payload)}
     */
    public static String signingInput(byte[] header, byte[] payload) {
        return base64Url(header) + "." + base64Url(payload);
    }
}
