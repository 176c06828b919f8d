package ai.caracal.devsts;

import ai.caracal.mint.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Decodes the parts of a compact JWS for assertions (tests only; never verification). */
final class Tokens {

    private Tokens() {
    }

    static Map<String, Object> header(String token) {
        return part(token, 0);
    }

    static Map<String, Object> payload(String token) {
        return part(token, 1);
    }

    /** @return the exact JSON text of a part */
    static String text(String token, int index) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(String token, int index) {
        try {
            return (Map<String, Object>) Json.read(text(token, index).getBytes(StandardCharsets.UTF_8));
        } catch (Json.SyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
