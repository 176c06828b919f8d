package ai.caracal.testkit.attacks;

import ai.caracal.testkit.TestJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@link AttackCategory#KEY_SET}: the issuer's JWKS endpoint serves a poisoned or malformed key set for
 * the configured zone (set up with {@code issuer.jwks().serveRaw(...)}) and the mandate is an ordinary,
 * correctly signed one. Keys that fail §3.4 are skipped; with no usable key for the kid the verifier
 * fails closed.
 */
final class KeySetAttacks {

    private KeySetAttacks() {
    }

    /** A case whose JWKS is {@code keys(context)} and whose mandate is the valid baseline. */
    private static AttackCase.Builder served(String id, String description, Function<AttackContext, List<Object>> keys) {
        return AttackCase.builder(AttackCategory.KEY_SET, id, description)
                .setup(a -> a.issuer().jwks().serveRaw(TestJson.write(Map.of("keys", keys.apply(a)))))
                .token(AttackContext::token);
    }

    /** A case whose JWKS holds only the real key, edited by {@code edit}. */
    private static AttackCase.Builder edited(String id, String description, UnaryOperator<Map<String, Object>> edit) {
        return served(id, description, a -> List.of(edit.apply(realKey(a))));
    }

    private static Map<String, Object> realKey(AttackContext a) {
        return a.issuer().publicJwk(a.issuer().zone());
    }

    private static Map<String, Object> with(Map<String, Object> jwk, String name, Object value) {
        jwk.put(name, value);
        return jwk;
    }

    static List<AttackCase> cases() {
        return List.of(
                edited("KS-01", "the real key published with a private scalar d", k -> with(k, "d", Forge.b64(new byte[32]).replace('A', 'Q')))
                        .invalid().build(),
                edited("KS-02", "the real key published with d: null (a present member)", k -> with(k, "d", null)).invalid().build(),
                edited("KS-03", "invalid curve point: y with its last bit flipped", k -> with(k, "y", flipLastBit((String) k.get("y"))))
                        .invalid().build(),
                edited("KS-04", "x and y swapped (off the curve)", k -> {
                    Object x = k.get("x");
                    k.put("x", k.get("y"));
                    return with(k, "y", x);
                }).invalid().build(),
                edited("KS-05", "the point (0, 0)", k -> with(with(k, "x", Forge.b64(new byte[32])), "y", Forge.b64(new byte[32])))
                        .invalid().build(),
                edited("KS-06", "crv secp256k1 with the same coordinates", k -> with(k, "crv", "secp256k1")).invalid().build(),
                edited("KS-07", "crv \"P-256 \" (trailing space)", k -> with(k, "crv", "P-256 ")).invalid().build(),
                edited("KS-08", "kty ec (lowercase)", k -> with(k, "kty", "ec")).invalid().build(),
                edited("KS-09", "kty oct holding x as a symmetric key k", k -> {
                    Object x = k.get("x");
                    k.keySet().retainAll(List.of("kid"));
                    k.put("kty", "oct");
                    return with(k, "k", x);
                }).invalid().build(),
                edited("KS-10", "x as 33 bytes with a leading zero", k -> with(k, "x", Forge.b64(Forge.append(new byte[] {0},
                        Base64.getUrlDecoder().decode((String) k.get("x")))))).invalid().build(),
                edited("KS-11", "x with base64 padding", k -> with(k, "x", k.get("x") + "=")).invalid().build(),
                edited("KS-12", "key_ops \"verify\" as a string, not an array", k -> with(k, "key_ops", "verify")).invalid().build(),
                edited("KS-13", "alg ES256K", k -> with(k, "alg", "ES256K")).invalid().build(),
                edited("KS-14", "use \"sig \" (trailing space)", k -> with(k, "use", "sig ")).invalid().build(),
                served("KS-15", "the real key, then an attacker key under the same kid (the later entry wins)",
                        a -> List.of(realKey(a), AttackerKeys.publicJwk(a.kid()))).invalid().build(),
                served("KS-16", "another issuer's key set: only the attacker's key, under the victim's kid",
                        a -> List.of(AttackerKeys.publicJwk(a.kid()))).invalid().build(),
                AttackCase.builder(AttackCategory.KEY_SET, "KS-17", "a JWKS with \"keys\" twice: the real set, then the attacker's")
                        .setup(a -> a.issuer().jwks().serveRaw("{\"keys\":" + TestJson.write(List.of(realKey(a)))
                                + ",\"keys\":" + TestJson.write(List.of(AttackerKeys.publicJwk(a.kid()))) + "}"))
                        .token(AttackContext::token).invalid().build(),
                AttackCase.builder(AttackCategory.KEY_SET, "KS-18", "a JWKS served with a UTF-8 byte order mark")
                        .setup(a -> a.issuer().jwks().serveRaw("\uFEFF" + TestJson.jwks(realKey(a))))
                        .token(AttackContext::token).invalid().build(),
                served("KS-19", "the keys array nested in another array", a -> List.of(List.of(realKey(a)))).invalid().build(),
                served("KS-20", "valid: the real key among garbage entries (null, a number, a string, an empty object, an RSA key)",
                        a -> new ArrayList<>(Arrays.asList(null, 7, a.kid(), Map.of(),
                                Map.of("kty", "RSA", "kid", a.kid() + "-rsa", "n", "AQAB", "e", "AQAB"), realKey(a))))
                        .accepted().build(),
                edited("KS-21", "valid: alg null (treated as absent)", k -> with(k, "alg", null)).accepted().build(),
                edited("KS-22", "valid: extra members ext, x5t and an unknown one", k -> with(with(with(k, "ext", true), "x5t", "AAAA"), "x-note", "n"))
                        .accepted().build());
    }

    private static String flipLastBit(String coordinate) {
        byte[] bytes = Base64.getUrlDecoder().decode(coordinate);
        bytes[31] ^= 0x01;
        return Forge.b64(bytes);
    }
}
