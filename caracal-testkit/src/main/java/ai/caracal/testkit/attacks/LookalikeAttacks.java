package ai.caracal.testkit.attacks;

import ai.caracal.verify.ClaimNames;
import ai.caracal.verify.ErrorCode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@link AttackCategory#LOOKALIKES}: near-misses of {@code iss}, {@code aud} and {@code zone_id}, all
 * signed by the zone key. Comparison is exact, so each is rejected, except where JSON escapes decode to
 * the exact value or the audience array also holds the exact value.
 */
final class LookalikeAttacks {

    private LookalikeAttacks() {
    }

    private static AttackCase.Builder c(String id, String description) {
        return AttackCase.builder(AttackCategory.LOOKALIKES, id, description);
    }

    private static AttackCase.Builder iss(String id, String description, UnaryOperator<String> trick) {
        return c(id, description).token(a -> a.mint().claim(ClaimNames.ISS, trick.apply(a.issuer().url())).sign());
    }

    private static AttackCase.Builder aud(String id, String description, UnaryOperator<String> trick) {
        return c(id, description).token(a -> a.mint().audience(trick.apply(a.issuer().audience())).sign());
    }

    private static AttackCase.Builder zone(String id, String description, UnaryOperator<String> trick) {
        return c(id, description).token(a -> a.mint().zoneId(trick.apply(a.issuer().zone())).sign());
    }

    static List<AttackCase> cases() {
        return List.of(
                iss("ISS-01", "iss with a Cyrillic \u0440 for the p of http", u -> u.replaceFirst("p", "\u0440")).invalid().build(),
                iss("ISS-02", "iss with a trailing slash", u -> u + "/").invalid().build(),
                iss("ISS-03", "iss with a trailing dot after the host", u -> u.replaceFirst("(127\\.0\\.0\\.1)", "$1.")).invalid().build(),
                iss("ISS-04", "iss with the scheme in upper case", u -> u.replaceFirst("http", "HTTP")).invalid().build(),
                iss("ISS-05", "iss with localhost instead of 127.0.0.1", u -> u.replace("127.0.0.1", "localhost")).invalid().build(),
                iss("ISS-06", "iss with fullwidth digits in the host", u -> u.replace("127", "\uFF11\uFF12\uFF17")).invalid().build(),
                iss("ISS-07", "iss with a zero-width space appended", u -> u + "\u200B").invalid().build(),
                iss("ISS-08", "iss with userinfo", u -> u.replace("://", "://issuer@")).invalid().build(),
                iss("ISS-09", "iss with a dot segment path", u -> u + "/.").invalid().build(),
                iss("ISS-10", "iss with a trailing NUL", u -> u + "\u0000").invalid().build(),
                iss("ISS-11", "iss with the short loopback form 127.1", u -> u.replace("127.0.0.1", "127.1")).invalid().build(),
                iss("ISS-12", "iss as an IPv4-mapped IPv6 address", u -> u.replace("127.0.0.1", "[::ffff:127.0.0.1]")).invalid().build(),
                iss("ISS-13", "iss with the port's leading zero", u -> u.replaceFirst(":(\\d+)$", ":0$1")).invalid().build(),
                c("ISS-14", "iss as an array holding the issuer").token(a -> a.mint().claim(ClaimNames.ISS, List.of(a.issuer().url())).sign()).invalid().build(),
                c("ISS-15", "valid: iss spelled with a JSON escape for its first letter")
                        .token(a -> Forge.editPayload(a.mint().removeClaim(ClaimNames.ISS),
                                json -> Forge.withMembers(json, "\"iss\":\"\\u0068" + a.issuer().url().substring(1) + "\"")).sign())
                        .accepted().build(),
                aud("AUD-01", "aud with a trailing slash", u -> u + "/").invalid().build(),
                aud("AUD-02", "aud with a trailing dot", u -> u + ".").invalid().build(),
                aud("AUD-03", "aud in upper case", u -> u.toUpperCase(Locale.ROOT)).invalid().build(),
                aud("AUD-04", "aud with a Cyrillic \u0430", u -> u.replaceFirst("a", "\u0430")).invalid().build(),
                aud("AUD-05", "aud with a fullwidth first letter", u -> "\uFF48" + u.substring(1)).invalid().build(),
                aud("AUD-06", "aud with a zero-width space inside", u -> u.replaceFirst("\\.", "\u200B.")).invalid().build(),
                aud("AUD-07", "aud with a trailing NUL", u -> u + "\u0000").invalid().build(),
                aud("AUD-08", "aud with a trailing space", u -> u + " ").invalid().build(),
                aud("AUD-09", "aud with the default port spelled out", u -> u + ":443").invalid().build(),
                aud("AUD-10", "aud with a percent-encoded dot", u -> u.replaceFirst("\\.", "%2E")).invalid().build(),
                aud("AUD-11", "aud with an empty fragment", u -> u + "#").invalid().build(),
                aud("AUD-12", "aud with a combining accent", u -> u + "\u0301").invalid().build(),
                c("AUD-13", "aud as a nested array [[audience]]").token(a -> a.mint().claim(ClaimNames.AUD, List.of(List.of(a.issuer().audience()))).sign())
                        .invalid().build(),
                c("AUD-14", "aud as an object {\"0\": audience}").token(a -> a.mint().claim(ClaimNames.AUD, Map.of("0", a.issuer().audience())).sign())
                        .invalid().build(),
                c("AUD-15", "valid: aud array holding another audience first, then the exact one")
                        .token(a -> a.mint().audience("https://other.test", a.issuer().audience()).sign()).accepted().build(),
                c("AUD-16", "valid: aud array holding the audience twice")
                        .token(a -> a.mint().audience(a.issuer().audience(), a.issuer().audience()).sign()).accepted().build(),
                zone("ZONE-01", "zone_id with a Unicode hyphen (U+2010)", z -> z.replace('-', '\u2010')).rejected(ErrorCode.INVALID_ZONE).build(),
                zone("ZONE-02", "zone_id in upper case", z -> z.toUpperCase(Locale.ROOT)).rejected(ErrorCode.INVALID_ZONE).build(),
                zone("ZONE-03", "zone_id with a trailing space", z -> z + " ").rejected(ErrorCode.INVALID_ZONE).build(),
                zone("ZONE-04", "zone_id with a trailing NUL", z -> z + "\u0000").rejected(ErrorCode.INVALID_ZONE).build(),
                zone("ZONE-05", "zone_id with a fullwidth last character", z -> z.substring(0, z.length() - 1)
                        + (char) (z.charAt(z.length() - 1) - '!' + '\uFF01')).rejected(ErrorCode.INVALID_ZONE).build(),
                c("ZONE-06", "zone_id as an array holding the zone").token(a -> a.mint().claim(ClaimNames.ZONE_ID, List.of(a.issuer().zone())).sign())
                        .rejected(ErrorCode.INVALID_ZONE).build(),
                c("ZONE-07", "valid: zone_id spelled with JSON escapes")
                        .token(a -> Forge.editPayload(a.mint().removeClaim(ClaimNames.ZONE_ID),
                                json -> Forge.withMembers(json, "\"zone_id\":\"" + Forge.escapeAll(a.issuer().zone()) + "\"")).sign())
                        .accepted().build());
    }
}
