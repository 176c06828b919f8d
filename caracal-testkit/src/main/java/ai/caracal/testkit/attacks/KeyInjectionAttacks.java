package ai.caracal.testkit.attacks;

import static ai.caracal.testkit.attacks.AttackerKeys.ATTACKER_KID;

import ai.caracal.testkit.MandateBuilder;
import ai.caracal.verify.ClaimNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@link AttackCategory#KEY_INJECTION}: header members that name or carry keys. The URLs point at the
 * {@link AttackerOrigin}, which would serve a JWKS that makes every forgery here verify; a correct
 * verifier never asks it.
 */
final class KeyInjectionAttacks {

    private KeyInjectionAttacks() {
    }

    private static AttackCase.Builder c(String id, String description) {
        return AttackCase.builder(AttackCategory.KEY_INJECTION, id, description);
    }

    /** A mandate for the victim, signed by the attacker's P-256 key under {@code kid}. */
    static MandateBuilder forged(AttackContext a, String kid) {
        return a.mint().kid(kid).forgeSignature((input, valid) -> AttackerKeys.es256(input));
    }

    static List<AttackCase> cases() {
        return List.of(
                c("KEY-01", "jku to the attacker's JWKS, signed by the attacker key under its own kid")
                        .token(a -> forged(a, ATTACKER_KID).header("jku", a.attackerUrl("/jwks.json")).sign()).invalid().build(),
                c("KEY-02", "jku to the attacker's JWKS, signed by the attacker key reusing the victim's kid")
                        .token(a -> forged(a, a.kid()).header("jku", a.attackerUrl("/jwks.json")).sign()).invalid().build(),
                c("KEY-03", "jku to the victim issuer's own JWKS for another zone, zone_id of that zone, attacker-signed")
                        .token(a -> forged(a, a.kid()).header("jku", a.issuer().jwksUrl("zone-evil").toString()).zoneId("zone-evil").sign())
                        .invalid().build(),
                c("KEY-04", "x5u to the attacker, signed by the attacker key")
                        .token(a -> forged(a, ATTACKER_KID).header("x5u", a.attackerUrl("/cert.pem")).sign()).invalid().build(),
                c("KEY-05", "embedded jwk holding the attacker's public key, attacker kid")
                        .token(a -> forged(a, ATTACKER_KID).header("jwk", AttackerKeys.publicJwk(ATTACKER_KID)).sign()).invalid().build(),
                c("KEY-06", "embedded jwk holding the attacker's public key under the victim's kid")
                        .token(a -> forged(a, a.kid()).header("jwk", AttackerKeys.publicJwk(a.kid())).sign()).invalid().build(),
                c("KEY-07", "x5c with the attacker's key as a certificate chain, attacker kid")
                        .token(a -> forged(a, ATTACKER_KID).header("x5c", List.of(attackerSpki())).sign()).invalid().build(),
                c("KEY-08", "x5c plus x5t#S256 under the victim's kid, attacker-signed")
                        .token(a -> forged(a, a.kid()).header("x5c", List.of(attackerSpki())).header("x5t#S256", "AAAA").sign())
                        .invalid().build(),
                c("KEY-09", "jku to a file: URL, attacker-signed")
                        .token(a -> forged(a, ATTACKER_KID).header("jku", "file:///etc/passwd").sign()).invalid().build(),
                c("KEY-10", "jku and x5u as arrays of attacker URLs, attacker-signed")
                        .token(a -> forged(a, ATTACKER_KID).header("jku", List.of(a.attackerUrl("/a"), a.attackerUrl("/b")))
                                .header("x5u", List.of(a.attackerUrl("/c"))).sign())
                        .invalid().build(),
                c("KEY-11", "kid is the attacker's JWKS URL, attacker-signed (a kid is never dereferenced)")
                        .token(a -> forged(a, a.attackerUrl("/jwks.json")).sign()).invalid().build(),
                c("KEY-12", "embedded symmetric jwk (kty oct) with alg HS256 keyed by it")
                        .token(a -> a.mint().alg("HS256").header("jwk", Map.of("kty", "oct", "k", "c2VjcmV0"))
                                .forgeSignature((in, sig) -> Forge.hmac("HmacSHA256", "secret".getBytes(StandardCharsets.US_ASCII), in)).sign())
                        .invalidWithoutKeyFetch().build(),
                c("KEY-13", "jwk, jku and x5u together, all attacker material")
                        .token(a -> forged(a, ATTACKER_KID).header("jwk", AttackerKeys.publicJwk(ATTACKER_KID))
                                .header("jku", a.attackerUrl("/jwks.json")).header("x5u", a.attackerUrl("/x5u")).sign())
                        .invalid().build(),
                c("KEY-14", "the attacker as issuer: iss is the attacker origin, jku next to it, attacker-signed")
                        .token(a -> forged(a, ATTACKER_KID).claim(ClaimNames.ISS, a.attacker().uri().toString())
                                .header("jku", a.attackerUrl("/.well-known/jwks.json")).sign())
                        .invalid().build(),
                c("KEY-15", "jku with userinfo tricks (victim@attacker), attacker-signed")
                        .token(a -> forged(a, a.kid()).header("jku", "http://" + a.issuer().url().substring(7) + "@"
                                + a.attacker().uri().getAuthority() + "/jwks.json").sign())
                        .invalid().build(),
                c("KEY-16", "valid: a correctly signed mandate carrying jku to the attacker (ignored, never fetched)")
                        .token(a -> a.mint().header("jku", a.attackerUrl("/jwks.json")).sign()).accepted().build(),
                c("KEY-17", "valid: a correctly signed mandate carrying x5u to the attacker (ignored, never fetched)")
                        .token(a -> a.mint().header("x5u", a.attackerUrl("/cert.pem")).sign()).accepted().build(),
                c("KEY-18", "valid: jwk holding the issuer's own public key (ignored)")
                        .token(a -> a.mint().header("jwk", a.issuer().publicJwk(a.issuer().zone())).sign()).accepted().build());
    }

    private static String attackerSpki() {
        return Base64.getEncoder().encodeToString(AttackerKeys.p256().getPublic().getEncoded());
    }
}
