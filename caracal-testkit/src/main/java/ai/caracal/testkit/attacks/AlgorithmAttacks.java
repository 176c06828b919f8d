package ai.caracal.testkit.attacks;

import static ai.caracal.testkit.attacks.Forge.hmac;

import ai.caracal.testkit.TestJson;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** {@link AttackCategory#ALG_CONFUSION}: every {@code alg} but the exact string {@code ES256}. */
final class AlgorithmAttacks {

    private AlgorithmAttacks() {
    }

    private static AttackCase.Builder c(String id, String description) {
        return AttackCase.builder(AttackCategory.ALG_CONFUSION, id, description);
    }

    static List<AttackCase> cases() {
        return List.of(
                c("ALG-01", "alg none, empty signature").token(a -> a.mint().unsigned().sign()).invalidWithoutKeyFetch().build(),
                c("ALG-02", "alg none, the valid ES256 signature kept").token(a -> a.mint().alg("none").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-03", "alg None (capitalised), valid signature").token(a -> a.mint().alg("None").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-04", "alg NONE, empty signature").token(a -> a.mint().unsigned().alg("NONE").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-05", "alg HS256, HMAC keyed with the published key's x bytes").token(a -> a.mint().hs256WithJwkX().sign()).invalidWithoutKeyFetch().build(),
                c("ALG-06", "alg HS256, HMAC keyed with the published JWK's JSON text")
                        .token(a -> a.mint().alg("HS256").forgeSignature((in, sig) -> hmac("HmacSHA256", jwkJson(a), in)).sign())
                        .invalidWithoutKeyFetch().build(),
                c("ALG-07", "alg HS256, HMAC keyed with the public key's PEM encoding")
                        .token(a -> a.mint().alg("HS256").forgeSignature((in, sig) -> hmac("HmacSHA256", pem(a), in)).sign())
                        .invalidWithoutKeyFetch().build(),
                c("ALG-08", "alg HS256, HMAC keyed with the public key's DER SubjectPublicKeyInfo")
                        .token(a -> a.mint().alg("HS256").forgeSignature((in, sig) -> hmac("HmacSHA256", spki(a), in)).sign())
                        .invalidWithoutKeyFetch().build(),
                c("ALG-09", "alg HS256, HMAC keyed with the uncompressed point 04||x||y")
                        .token(a -> a.mint().alg("HS256").forgeSignature((in, sig) -> hmac("HmacSHA256", point(a), in)).sign())
                        .invalidWithoutKeyFetch().build(),
                c("ALG-10", "alg HS384, HMAC keyed with the JWK JSON")
                        .token(a -> a.mint().alg("HS384").forgeSignature((in, sig) -> hmac("HmacSHA384", jwkJson(a), in)).sign())
                        .invalidWithoutKeyFetch().build(),
                c("ALG-11", "alg HS512 keyed with the JWK JSON: a 64-byte MAC, the length of an ES256 signature")
                        .token(a -> a.mint().alg("HS512").forgeSignature((in, sig) -> hmac("HmacSHA512", jwkJson(a), in)).sign())
                        .invalidWithoutKeyFetch().build(),
                c("ALG-12", "alg HS512 keyed with the PEM encoding (64-byte MAC)")
                        .token(a -> a.mint().alg("HS512").forgeSignature((in, sig) -> hmac("HmacSHA512", pem(a), in)).sign())
                        .invalidWithoutKeyFetch().build(),
                c("ALG-13", "alg RS256 with a real RSA-2048 signature by an attacker key")
                        .token(a -> a.mint().alg("RS256").forgeSignature((in, sig) -> AttackerKeys.rs256(in)).sign())
                        .invalidWithoutKeyFetch().build(),
                c("ALG-14", "alg RS256 over a valid ES256 signature").token(a -> a.mint().alg("RS256").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-15", "alg PS256 over a valid ES256 signature").token(a -> a.mint().alg("PS256").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-16", "alg ES384 over a valid ES256 signature").token(a -> a.mint().alg("ES384").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-17", "alg ES384 with a real P-384 signature (96 bytes)")
                        .token(a -> a.mint().alg("ES384").forgeSignature((in, sig) -> AttackerKeys.es384(in)).sign())
                        .invalidWithoutKeyFetch().build(),
                c("ALG-18", "alg ES512 over a valid ES256 signature").token(a -> a.mint().alg("ES512").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-19", "alg ES512 with a real P-521 signature (132 bytes)")
                        .token(a -> a.mint().alg("ES512").forgeSignature((in, sig) -> AttackerKeys.es512(in)).sign())
                        .invalidWithoutKeyFetch().build(),
                c("ALG-20", "alg EdDSA over a valid ES256 signature").token(a -> a.mint().alg("EdDSA").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-21", "alg EdDSA with a real Ed25519 signature (64 bytes, passes any length check)")
                        .token(a -> a.mint().alg("EdDSA").forgeSignature((in, sig) -> AttackerKeys.ed25519(in)).sign())
                        .invalidWithoutKeyFetch().build(),
                c("ALG-22", "alg Ed25519 (fully specified) with a real Ed25519 signature")
                        .token(a -> a.mint().alg("Ed25519").forgeSignature((in, sig) -> AttackerKeys.ed25519(in)).sign())
                        .invalidWithoutKeyFetch().build(),
                c("ALG-23", "alg ES256K (secp256k1) over a valid ES256 signature").token(a -> a.mint().alg("ES256K").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-24", "alg es256 (lowercase)").token(a -> a.mint().alg("es256").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-25", "alg ES256 with a trailing space").token(a -> a.mint().alg("ES256 ").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-26", "alg ES256 with a leading space").token(a -> a.mint().alg(" ES256").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-27", "alg ES256 followed by a NUL character").token(a -> a.mint().alg("ES256\u0000").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-28", "alg ES256 with fullwidth digits").token(a -> a.mint().alg("ES\uFF12\uFF15\uFF16").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-29", "alg as an array [\"ES256\"]").token(a -> a.mint().header("alg", List.of("ES256")).sign()).invalidWithoutKeyFetch().build(),
                c("ALG-30", "alg as an object {\"name\":\"ES256\"}").token(a -> a.mint().header("alg", Map.of("name", "ES256")).sign()).invalidWithoutKeyFetch().build(),
                c("ALG-31", "alg null").token(a -> a.mint().header("alg", null).sign()).invalidWithoutKeyFetch().build(),
                c("ALG-32", "alg true").token(a -> a.mint().header("alg", true).sign()).invalidWithoutKeyFetch().build(),
                c("ALG-33", "alg 256 (a number)").token(a -> a.mint().header("alg", 256).sign()).invalidWithoutKeyFetch().build(),
                c("ALG-34", "alg missing, valid signature").token(a -> a.mint().removeHeader("alg").sign()).invalidWithoutKeyFetch().build(),
                c("ALG-35", "valid: alg spelled with JSON escapes (\\u0045\\u0053256) decodes to exactly ES256")
                        .token(a -> a.mint().rawHeader("{\"alg\":\"\\u0045\\u0053256\",\"typ\":\"JWT\",\"kid\":\"" + a.kid() + "\"}").sign())
                        .accepted().build());
    }

    private static Map<String, Object> jwk(AttackContext a) {
        return a.issuer().publicJwk(a.issuer().zone());
    }

    private static byte[] jwkJson(AttackContext a) {
        return TestJson.write(jwk(a)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] spki(AttackContext a) {
        try {
            return ECKey.parse(jwk(a)).toECPublicKey().getEncoded();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("the test issuer publishes a valid P-256 JWK", e);
        }
    }

    private static byte[] pem(AttackContext a) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(spki(a));
        return ("-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] point(AttackContext a) {
        Base64.Decoder decoder = Base64.getUrlDecoder();
        byte[] x = decoder.decode((String) jwk(a).get("x"));
        byte[] y = decoder.decode((String) jwk(a).get("y"));
        byte[] point = new byte[65];
        point[0] = 0x04;
        System.arraycopy(x, 0, point, 1, 32);
        System.arraycopy(y, 0, point, 33, 32);
        return point;
    }
}
