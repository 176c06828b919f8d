package ai.caracal.testkit.attacks;

import ai.caracal.testkit.MandateBuilder;
import ai.caracal.verify.ClaimNames;
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
                time("TIME-01", "expired one second ago", (m, now) -> m.claim(ClaimNames.EXP, now - 1)).invalid().build(),
                time("TIME-02", "expired a day ago", (m, now) -> m.claim(ClaimNames.IAT, now - DAY - 600).claim(ClaimNames.EXP, now - DAY)).invalid().build(),
                time("TIME-03", "not valid for another hour (nbf)", (m, now) -> m.claim(ClaimNames.NBF, now + 3_600)).invalid().build(),
                time("TIME-04", "nbf half a second past the 60 s leeway", (m, now) -> m.claim(ClaimNames.NBF, new BigDecimal(now + 60).add(new BigDecimal("0.5"))))
                        .onClockEdge().invalid().build(),
                time("TIME-05", "valid: nbf exactly at the 60 s leeway, written 60.0", (m, now) -> m.claim(ClaimNames.NBF, new BigDecimal((now + 60) + ".0")))
                        .accepted().build(),
                time("TIME-06", "issued an hour in the future", (m, now) -> m.claim(ClaimNames.IAT, now + 3_600).claim(ClaimNames.EXP, now + 4_200)).invalid().build(),
                time("TIME-07", "issued ten years in the future", (m, now) -> m.claim(ClaimNames.IAT, now + 3_650 * DAY).claim(ClaimNames.EXP, now + 3_650 * DAY + 600))
                        .invalid().build(),
                time("TIME-08", "valid: iat 0 (issued at the epoch)", (m, now) -> m.claim(ClaimNames.IAT, 0)).accepted().build(),
                // exp 40 s ahead, not less: the case stays valid on a clock that has moved 30 s on since minting.
                time("TIME-09", "valid: exp before iat (no ordering rule between them)", (m, now) -> m.claim(ClaimNames.IAT, now + 50).claim(ClaimNames.EXP, now + 40))
                        .accepted().build(),
                time("TIME-10", "exp = 10^19 (past 2^53 and the long range)", (m, now) -> m.claim(ClaimNames.EXP, BigInteger.TEN.pow(19))).invalid().build(),
                time("TIME-11", "valid: exp in the year 10000 (below 2^53)", (m, now) -> m.claim(ClaimNames.EXP, 253_402_300_800L)).accepted().build(),
                time("TIME-12", "valid: nbf null (absent)", (m, now) -> m.claim(ClaimNames.NBF, null)).accepted().build(),
                time("TIME-13", "exp negative", (m, now) -> m.claim(ClaimNames.EXP, -1)).invalid().build(),
                time("TIME-14", "exp null (absent)", (m, now) -> m.claim(ClaimNames.EXP, null)).invalid().build(),
                time("TIME-15", "iat null (absent)", (m, now) -> m.claim(ClaimNames.IAT, null)).invalid().build());
    }

    static List<AttackCase> useAndSubType() {
        return List.of(
                claim("USE-01", "use gateway", ClaimNames.USE, "gateway").invalid().build(),
                claim("USE-02", "use Resource (capitalised)", ClaimNames.USE, "Resource").invalid().build(),
                claim("USE-03", "use resource with a trailing space", ClaimNames.USE, "resource ").invalid().build(),
                claim("USE-04", "use as an array [resource]", ClaimNames.USE, List.of("resource")).invalid().build(),
                claim("USE-05", "use session on a resource verifier", ClaimNames.USE, "session").invalid().build(),
                claim("USE-06", "use resource followed by NUL", ClaimNames.USE, "resource\u0000").invalid().build(),
                claim("USE-07", "use null", ClaimNames.USE, null).invalid().build(),
                claim("USE-08", "use with a fullwidth first letter", ClaimNames.USE, "\uFF52esource").invalid().build(),
                claim("USE-09", "use refresh", ClaimNames.USE, "refresh").invalid().build(),
                AttackCase.builder(AttackCategory.USE_AND_SUB_TYPE, "USE-10", "valid: use spelled with JSON escapes")
                        .token(a -> Forge.editPayload(a.mint().removeClaim(ClaimNames.USE),
                                json -> Forge.withMembers(json, "\"use\":\"\\u0072esource\"")).sign())
                        .accepted().build(),
                claim("SUBT-01", "sub_type admin", ClaimNames.SUB_TYPE, "admin").invalid().build(),
                claim("SUBT-02", "sub_type User (capitalised)", ClaimNames.SUB_TYPE, "User").invalid().build(),
                claim("SUBT-03", "sub_type as an array [user]", ClaimNames.SUB_TYPE, List.of("user")).invalid().build(),
                claim("SUBT-04", "sub_type with a zero-width space appended", ClaimNames.SUB_TYPE, "application\u200B").invalid().build(),
                claim("SUBT-05", "sub_type null", ClaimNames.SUB_TYPE, null).invalid().build(),
                claim("SUBT-06", "sub_type service", ClaimNames.SUB_TYPE, "service").invalid().build(),
                claim("SUBT-07", "sub_type with a Cyrillic \u0456", ClaimNames.SUB_TYPE, "applicat\u0456on").invalid().build(),
                claim("SUBT-08", "sub_type empty", ClaimNames.SUB_TYPE, "").invalid().build(),
                claim("SUBT-09", "valid: sub_type user", ClaimNames.SUB_TYPE, "user").accepted().build());
    }
}
