package ai.caracal.testkit;

import ai.caracal.mint.Json;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes plain Java values as compact JSON, for hand-built mandate parts and JWKS documents
 * ({@link MandateBuilder#rawPayload(String)}, {@link MandateBuilder#rawHeader(String)},
 * {@link JwksControl#serveRaw(String)}). Accepts maps (in their iteration order; member names written
 * with {@link String#valueOf(Object)}), collections, arrays, strings, numbers, booleans and {@code null}.
 * The writer is the dev tools' shared one ({@code ai.caracal.mint.Json}), so a hand-built part is written
 * exactly as {@link MandateBuilder} and the dev STS write theirs. Stateless and thread-safe.
 */
public final class TestJson {

    private TestJson() {
    }

    /**
     * @param value a JSON value built from plain Java values
     * @return its compact JSON text
     * @throws IllegalArgumentException for a value that has no JSON form (another type, NaN, infinities)
     */
    public static String write(Object value) {
        return Json.write(value);
    }

    /**
     * @param keys JWK members, in the order to publish them
     * @return the JWKS document {@code {"keys":[...]}}
     */
    public static String jwks(Map<?, ?>... keys) {
        return write(Map.of("keys", Arrays.asList(keys)));
    }
}
