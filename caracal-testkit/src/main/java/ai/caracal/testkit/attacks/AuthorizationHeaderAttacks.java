package ai.caracal.testkit.attacks;

import java.util.List;
import java.util.function.Function;

/**
 * {@link AttackCategory#AUTHORIZATION_HEADER}: the whole header value around a valid mandate
 * {@code t}. The scheme is the first six characters, {@code bearer} in any ASCII case, followed by one
 * {@link Character#isWhitespace(char) Java whitespace} character; the rest, {@link String#strip()
 * stripped}, is the token. A missing or foreign scheme is {@code missing_token}; anything left in the
 * token is {@code invalid_token}, before any key lookup.
 */
final class AuthorizationHeaderAttacks {

    private AuthorizationHeaderAttacks() {
    }

    /** A case whose header is {@code shape} applied to a fresh valid mandate. */
    private static AttackCase.Builder h(String id, String description, Function<String, String> shape) {
        return AttackCase.builder(AttackCategory.AUTHORIZATION_HEADER, id, description).header(a -> shape.apply(a.token()));
    }

    static List<AttackCase> cases() {
        return List.of(
                h("HDR-01", "Bearer Bearer t", t -> "Bearer Bearer " + t).invalidWithoutKeyFetch().build(),
                h("HDR-02", "two credentials in one value: Bearer t, Bearer t", t -> "Bearer " + t + ", Bearer " + t).invalidWithoutKeyFetch().build(),
                h("HDR-03", "two credentials separated by a space", t -> "Bearer " + t + " Bearer " + t).invalidWithoutKeyFetch().build(),
                h("HDR-04", "Basic credentials first, then Bearer t", t -> "Basic dXNlcjpwYXNz, Bearer " + t).missing().build(),
                h("HDR-05", "Bearer followed by a no-break space (not Java whitespace)", t -> "Bearer\u00A0" + t).missing().build(),
                h("HDR-06", "leading space before Bearer", t -> " Bearer " + t).missing().build(),
                h("HDR-07", "t followed by NUL", t -> "Bearer " + t + "\u0000").invalidWithoutKeyFetch().build(),
                h("HDR-08", "Bearer, NUL, t", t -> "Bearer\u0000" + t).missing().build(),
                h("HDR-09", "a 20 000-character token", t -> "Bearer " + "a".repeat(20_000)).invalidWithoutKeyFetch().build(),
                h("HDR-10", "t with a zero-width space inside", t -> "Bearer " + t.substring(0, 10) + "\u200B" + t.substring(10))
                        .invalidWithoutKeyFetch().build(),
                h("HDR-11", "t followed by a dot", t -> "Bearer " + t + ".").invalidWithoutKeyFetch().build(),
                h("HDR-12", "t in double quotes", t -> "Bearer \"" + t + "\"").invalidWithoutKeyFetch().build(),
                h("HDR-13", "t as an access_token parameter", t -> "Bearer access_token=" + t).invalidWithoutKeyFetch().build(),
                h("HDR-14", "t followed by a semicolon", t -> "Bearer " + t + ";").invalidWithoutKeyFetch().build(),
                h("HDR-15", "t with its first character (e) replaced by a Cyrillic \u0435", t -> "Bearer \u0435" + t.substring(1))
                        .invalidWithoutKeyFetch().build(),
                h("HDR-16", "t followed by U+0085 NEL (not stripped)", t -> "Bearer " + t + "\u0085").invalidWithoutKeyFetch().build(),
                h("HDR-17", "t followed by a zero-width space (not stripped)", t -> "Bearer " + t + "\u200B").invalidWithoutKeyFetch().build(),
                h("HDR-18", "Bearer with a Cyrillic \u0412 for B", t -> "\u0412earer " + t).missing().build(),
                h("HDR-19", "Bearer with a colon", t -> "Bearer: " + t).missing().build(),
                h("HDR-20", "Bearer=t", t -> "Bearer=" + t).missing().build(),
                h("HDR-21", "Token scheme", t -> "Token " + t).missing().build(),
                h("HDR-22", "DPoP scheme", t -> "DPoP " + t).missing().build(),
                h("HDR-23", "Bearert (no separator)", t -> "Bearer" + t).missing().build(),
                h("HDR-24", "Bearer followed by 100 000 spaces", t -> "Bearer" + " ".repeat(100_000)).missing().build(),
                h("HDR-25", "empty header", t -> "").missing().build(),
                h("HDR-26", "Bearers t (a longer scheme)", t -> "Bearers " + t).missing().build(),
                h("HDR-27", "valid: bEaReR t (ASCII case-insensitive)", t -> "bEaReR " + t).accepted().build(),
                h("HDR-28", "valid: Bearer, tab, t", t -> "Bearer\t" + t).accepted().build(),
                h("HDR-29", "valid: two spaces after Bearer", t -> "Bearer  " + t).accepted().build(),
                h("HDR-30", "valid: t followed by CR LF (stripped)", t -> "Bearer " + t + "\r\n").accepted().build(),
                h("HDR-31", "valid: t followed by 100 000 spaces (stripped in linear time)", t -> "Bearer " + t + " ".repeat(100_000))
                        .accepted().build(),
                h("HDR-32", "valid: Bearer, ideographic space (U+3000, Java whitespace), t", t -> "Bearer\u3000" + t).accepted().build(),
                h("HDR-33", "valid: Bearer, line separator (U+2028), t", t -> "Bearer\u2028" + t).accepted().build(),
                h("HDR-34", "valid: Bearer, vertical tab, t", t -> "Bearer\u000B" + t).accepted().build(),
                h("HDR-35", "valid: Bearer, U+001C (Java counts it as whitespace), t", t -> "Bearer\u001C" + t).accepted().build(),
                h("HDR-36", "valid: t followed by one space", t -> "Bearer " + t + " ").accepted().build());
    }
}
