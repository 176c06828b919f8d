package ai.caracal.testkit.attacks;

import ai.caracal.testkit.MandateBuilder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.function.BiFunction;

/**
 * {@link AttackCategory#TIME} and {@link AttackCategory#USE_AND_SUB_TYPE}: correctly signed mandates
 * whose lifetime, {@code use} or {@code sub_type} is off. Times are relative to the issuer's clock.
 */
final class ClaimAttacks {

    private static final long DAY = 86_400;

    private ClaimAttacks() {
    }

    /** A valid mandate changed by {@code change}, which also gets the current epoch second. */
    private static AttackCase.Builder time(String id, String description, BiFunction<MandateBuilder, Long, MandateBuilder> change) {
        return AttackCase.builder(AttackCategory.TIME, id, description)
                .token(a -> change.apply(a.mint(), a.issuer().clock().instant().getEpochSecond()).sign());
    }

    private static AttackCase.Builder claim(String id, String description, String name, Object value) {
        return AttackCase.builder(AttackCategory.USE_AND_SUB_TYPE, id, description).token(a -> a.mint().claim(name, value).sign());
    }

    static List<AttackCase> time() {
        return List.of(
                time("TIME-01", "expired one second ago", (m, now) -> m.claim("exp", now - 1)).invalid().build(),
                time("TIME-02", "expired a day ago", (m, now) -> m.claim("iat", now - DAY - 600).claim("exp", now - DAY)).invalid().build(),
                time("TIME-03", "not valid for another hour (nbf)", (m, now) -> m.claim("nbf", now + 3_600)).invalid().build(),
                time("TIME-04", "nbf half a second past the 60 s leeway", (m, now) -> m.claim("nbf", new BigDecimal(now + 60).add(new BigDecimal("0.5"))))
                        .onClockEdge().invalid().build(),
                time("TIME-05", "valid: nbf exactly at the 60 s leeway, written 60.0", (m, now) -> m.claim("nbf", new BigDecimal((now + 60) + ".0")))
                        .accepted().build(),
                time("TIME-06", "issued an hour in the future", (m, now) -> m.claim("iat", now + 3_600).claim("exp", now + 4_200)).invalid().build(),
                time("TIME-07", "issued ten years in the future", (m, now) -> m.claim("iat", now + 3_650 * DAY).claim("exp", now + 3_650 * DAY + 600))
                        .invalid().build(),
                time("TIME-08", "valid: iat 0 (issued at the epoch)", (m, now) -> m.claim("iat", 0)).accepted().build(),
                // exp 40 s ahead, not less: the case stays valid on a clock that has moved 30 s on since minting.
                time("TIME-09", "valid: exp before iat (no ordering rule between them)", (m, now) -> m.claim("iat", now + 50).claim("exp", now + 40))
                        .accepted().build(),
                time("TIME-10", "exp = 10^19 (past 2^53 and the long range)", (m, now) -> m.claim("exp", BigInteger.TEN.pow(19))).invalid().build(),
                time("TIME-11", "valid: exp in the year 10000 (below 2^53)", (m, now) -> m.claim("exp", 253_402_300_800L)).accepted().build(),
                time("TIME-12", "valid: nbf null (absent)", (m, now) -> m.claim("nbf", null)).accepted().build(),
                time("TIME-13", "exp negative", (m, now) -> m.claim("exp", -1)).invalid().build(),
                time("TIME-14", "exp null (absent)", (m, now) -> m.claim("exp", null)).invalid().build(),
                time("TIME-15", "iat null (absent)", (m, now) -> m.claim("iat", null)).invalid().build());
    }

    static List<AttackCase> useAndSubType() {
        return List.of(
                claim("USE-01", "use gateway", "use", "gateway").invalid().build(),
                claim("USE-02", "use Resource (capitalised)", "use", "Resource").invalid().build(),
                claim("USE-03", "use resource with a trailing space", "use", "resource ").invalid().build(),
                claim("USE-04", "use as an array [resource]", "use", List.of("resource")).invalid().build(),
                claim("USE-05", "use session on a resource verifier", "use", "session").invalid().build(),
                claim("USE-06", "use resource followed by NUL", "use", "resource\u0000").invalid().build(),
                claim("USE-07", "use null", "use", null).invalid().build(),
                claim("USE-08", "use with a fullwidth first letter", "use", "\uFF52esource").invalid().build(),
                claim("USE-09", "use refresh", "use", "refresh").invalid().build(),
                AttackCase.builder(AttackCategory.USE_AND_SUB_TYPE, "USE-10", "valid: use spelled with JSON escapes")
                        .token(a -> Forge.editPayload(a.mint().removeClaim("use"),
                                json -> Forge.withMembers(json, "\"use\":\"\\u0072esource\"")).sign())
                        .accepted().build(),
                claim("SUBT-01", "sub_type admin", "sub_type", "admin").invalid().build(),
                claim("SUBT-02", "sub_type User (capitalised)", "sub_type", "User").invalid().build(),
                claim("SUBT-03", "sub_type as an array [user]", "sub_type", List.of("user")).invalid().build(),
                claim("SUBT-04", "sub_type with a zero-width space appended", "sub_type", "application\u200B").invalid().build(),
                claim("SUBT-05", "sub_type null", "sub_type", null).invalid().build(),
                claim("SUBT-06", "sub_type service", "sub_type", "service").invalid().build(),
                claim("SUBT-07", "sub_type with a Cyrillic \u0456", "sub_type", "applicat\u0456on").invalid().build(),
                claim("SUBT-08", "sub_type empty", "sub_type", "").invalid().build(),
                claim("SUBT-09", "valid: sub_type user", "sub_type", "user").accepted().build());
    }
}
