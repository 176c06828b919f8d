package ai.caracal.testkit.attacks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@link AttackCategory#KID}: near-misses of the real kid, each <b>signed by the real key</b>, so a
 * verifier that trimmed, case-folded, normalised or path-resolved the kid would accept them. Non-string
 * kids are rejected before any key lookup.
 */
final class KidAttacks {

    private KidAttacks() {
    }

    private static AttackCase.Builder c(String id, String description) {
        return AttackCase.builder(AttackCategory.KID, id, description);
    }

    /** A valid mandate whose header kid is {@code trick} applied to the real kid. */
    private static AttackCase.Builder kid(String id, String description, UnaryOperator<String> trick) {
        return c(id, description).token(a -> a.mint().kid(trick.apply(a.kid())).sign());
    }

    static List<AttackCase> cases() {
        return List.of(
                kid("KID-01", "path traversal ../../../../etc/passwd", k -> "../../../../etc/passwd").invalid().build(),
                kid("KID-02", "path traversal ../<kid>", k -> "../" + k).invalid().build(),
                kid("KID-03", "dot segment ./<kid>", k -> "./" + k).invalid().build(),
                kid("KID-04", "<kid>/../<kid> (resolves to the kid)", k -> k + "/../" + k).invalid().build(),
                kid("KID-05", "URL-encoded traversal %2e%2e%2f<kid>", k -> "%2e%2e%2f" + k).invalid().build(),
                kid("KID-06", "very long kid (8 000 characters)", k -> k + "x".repeat(8_000)).invalid().build(),
                kid("KID-07", "kid so long the token exceeds 16 384 characters", k -> k + "x".repeat(13_000))
                        .invalidWithoutKeyFetch().build(),
                kid("KID-08", "kid in upper case", k -> k.toUpperCase(Locale.ROOT)).invalid().build(),
                kid("KID-09", "kid with a leading space", k -> " " + k).invalid().build(),
                kid("KID-10", "kid with a trailing space", k -> k + " ").invalid().build(),
                kid("KID-11", "kid with a trailing newline", k -> k + "\n").invalid().build(),
                kid("KID-12", "kid followed by a NUL character", k -> k + "\u0000").invalid().build(),
                kid("KID-13", "kid followed by NUL and a suffix", k -> k + "\u0000.pem").invalid().build(),
                kid("KID-14", "kid with a zero-width space inside", k -> k.charAt(0) + "\u200B" + k.substring(1)).invalid().build(),
                kid("KID-15", "kid in fullwidth characters", KidAttacks::fullwidth).invalid().build(),
                kid("KID-16", "kid with a combining accent appended", k -> k + "\u0301").invalid().build(),
                kid("KID-17", "SQL-ish: <kid>' OR '1'='1", k -> k + "' OR '1'='1").invalid().build(),
                kid("KID-18", "SQL-ish: <kid>\"; DROP TABLE keys; --", k -> k + "\"; DROP TABLE keys; --").invalid().build(),
                kid("KID-19", "wildcard *", k -> "*").invalid().build(),
                kid("KID-20", "__proto__", k -> "__proto__").invalid().build(),
                kid("KID-21", "zone-qualified zone-2/<kid>", k -> "zone-2/" + k).invalid().build(),
                kid("KID-22", "LDAP/JNDI-ish ${jndi:ldap://attacker}", k -> "${jndi:ldap://127.0.0.1:1/a}").invalid().build(),
                c("KID-23", "kid as a number").token(a -> a.mint().header("kid", 1).sign()).invalidWithoutKeyFetch().build(),
                c("KID-24", "kid as an object {\"kid\":<kid>}").token(a -> a.mint().header("kid", Map.of("kid", a.kid())).sign())
                        .invalidWithoutKeyFetch().build(),
                c("KID-25", "kid as an array [<kid>]").token(a -> a.mint().header("kid", List.of(a.kid())).sign())
                        .invalidWithoutKeyFetch().build(),
                c("KID-26", "kid null").token(a -> a.mint().header("kid", null).sign()).invalidWithoutKeyFetch().build(),
                c("KID-27", "kid true").token(a -> a.mint().header("kid", true).sign()).invalidWithoutKeyFetch().build(),
                c("KID-28", "kid a single space").token(a -> a.mint().kid(" ").sign()).invalid().build(),
                c("KID-29", "valid: kid spelled with JSON escapes decodes to exactly the real kid")
                        .token(a -> a.mint().rawHeader("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" + Forge.escapeAll(a.kid()) + "\"}").sign())
                        .accepted().build());
    }

    private static String fullwidth(String kid) {
        StringBuilder out = new StringBuilder();
        kid.chars().forEach(ch -> out.append(ch >= '!' && ch <= '~' ? (char) (ch - '!' + '\uFF01') : (char) ch));
        return out.toString();
    }
}
