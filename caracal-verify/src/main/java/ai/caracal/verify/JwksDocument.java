package ai.caracal.verify;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses a JWKS body and keeps the keys that pass every acceptance rule (verification.md §3.4). Keys
 * that fail are skipped with a DEBUG line (a key carrying private material with a WARN line). When two
 * entries share a {@code kid}, the later one wins. A document with no usable key is a failure.
 *
 * <p>A key that the previous set already held under the same {@code kid} with the same point is kept as
 * it was, precomputed table included, so a refresh rebuilds nothing. With the table engine, at most
 * {@value #MAX_TABLES} keys of a set get a table (about 256 KiB each); the others verify through the
 * plain provider.
 */
final class JwksDocument {

    /** Most keys of one set that carry a precomputed table. */
    static final int MAX_TABLES = 8;

    private static final Logger log = LoggerFactory.getLogger(JwksDocument.class);

    private JwksDocument() {
    }

    /**
     * @param engine   how the keys check signatures
     * @param previous the keys held until now, by {@code kid} (empty when none)
     * @return the usable keys by {@code kid}; never empty
     * @throws JwksFetchException when the body is not a JWKS or holds no usable key
     */
    static Map<String, VerificationKey> parse(byte[] body, SignatureEngine engine, Map<String, VerificationKey> previous) {
        Map<String, Object> document;
        try {
            document = StrictJson.parseObject(body, "jwks");
        } catch (InvalidMandate e) {
            throw new JwksFetchException("body is not a strict JSON object (" + e.reason() + ")");
        }
        Object keys = document.get("keys");
        if (!(keys instanceof List<?> entries)) {
            throw new JwksFetchException("body has no \"keys\" array");
        }
        Map<String, VerificationKey> usable = new LinkedHashMap<>();
        int tables = 0;
        for (Object entry : entries) {
            VerificationKey key = accept(entry, engine, previous, tables < MAX_TABLES);
            if (key != null) {
                VerificationKey replaced = usable.put(key.kid(), key);
                tables += (key.hasTable() ? 1 : 0) - (replaced != null && replaced.hasTable() ? 1 : 0);
            }
        }
        if (usable.isEmpty()) {
            throw new JwksFetchException("no usable key");
        }
        return Collections.unmodifiableMap(usable);
    }

    private static VerificationKey accept(Object entry, SignatureEngine engine, Map<String, VerificationKey> previous,
                                          boolean table) {
        if (!(entry instanceof Map<?, ?> jwk)) {
            log.debug("JWKS entry skipped: not an object");
            return null;
        }
        if (!(jwk.get("kid") instanceof String kid) || kid.isEmpty()) {
            log.debug("JWKS entry skipped: no kid");
            return null;
        }
        String problem = problem(jwk);
        if (problem != null) {
            log.debug("JWKS key {} skipped: {}", kid, problem);
            return null;
        }
        if (jwk.containsKey("d")) {
            log.warn("JWKS key {} skipped: it carries private key material (\"d\"); the issuer is misconfigured", kid);
            return null;
        }
        String x = (String) jwk.get("x");
        String y = (String) jwk.get("y");
        try {
            byte[] xBytes = Base64.getUrlDecoder().decode(x);
            byte[] yBytes = Base64.getUrlDecoder().decode(y);
            VerificationKey held = previous.get(kid);
            if (held != null && held.sameMaterial(xBytes, yBytes) && (held.hasTable() == (table && engine.usesTables()))) {
                return held;
            }
            ECKey key = new ECKey.Builder(Curve.P_256, new Base64URL(x), new Base64URL(y)).keyID(kid).build();
            return VerificationKey.of(key, xBytes, yBytes, engine, table);
        } catch (Exception e) {
            log.debug("JWKS key {} skipped: point not on P-256 or not usable ({})", kid, e.getClass().getSimpleName());
            return null;
        }
    }

    /** @return why the JWK is not an ES256 verification key, or {@code null} when it is */
    private static String problem(Map<?, ?> jwk) {
        if (!"EC".equals(jwk.get("kty"))) {
            return "kty is not EC";
        }
        if (!"P-256".equals(jwk.get("crv"))) {
            return "crv is not P-256";
        }
        Object alg = jwk.get("alg");
        if (alg != null && !"ES256".equals(alg)) {
            return "alg is not ES256";
        }
        Object use = jwk.get("use");
        if (use != null && !"sig".equals(use)) {
            return "use is not sig";
        }
        Object ops = jwk.get("key_ops");
        if (ops != null && !(ops instanceof List<?> operations && operations.contains("verify"))) {
            return "key_ops lacks verify";
        }
        if (!isCoordinate(jwk.get("x")) || !isCoordinate(jwk.get("y"))) {
            return "x or y is not 32 bytes of unpadded base64url";
        }
        return null;
    }

    /** 32 bytes are exactly 43 unpadded base64url characters. */
    private static boolean isCoordinate(Object value) {
        return value instanceof String text && text.length() == 43
                && CompactJws.isBase64Url(text, 0, 43, false);
    }
}
