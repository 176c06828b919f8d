package ai.caracal.testkit.attacks;

import static ai.caracal.testkit.attacks.Forge.editPayload;
import static ai.caracal.testkit.attacks.Forge.withMembers;

import ai.caracal.testkit.MandateBuilder;
import ai.caracal.verify.ClaimNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * JSON-level tricks: {@link AttackCategory#DUPLICATE_MEMBERS}, {@link AttackCategory#DEEP_NESTING} and
 * {@link AttackCategory#NUMBERS}. Payload cases are signed by the zone key, so only the payload rules
 * stand between them and acceptance.
 */
final class JsonAttacks {

    private static final BigInteger TWO_TO_53 = BigInteger.ONE.shiftLeft(53);

    private JsonAttacks() {
    }

    private static AttackCase.Builder dup(String id, String description) {
        return AttackCase.builder(AttackCategory.DUPLICATE_MEMBERS, id, description);
    }

    private static AttackCase.Builder deep(String id, String description) {
        return AttackCase.builder(AttackCategory.DEEP_NESTING, id, description);
    }

    private static AttackCase.Builder num(String id, String description) {
        return AttackCase.builder(AttackCategory.NUMBERS, id, description);
    }

    /** A valid mandate whose payload gets {@code members} (JSON text) appended. */
    private static AttackCase.Builder payloadPlus(AttackCase.Builder builder, Function<AttackContext, String> members) {
        return builder.token(a -> editPayload(a.mint(), json -> withMembers(json, members.apply(a))).sign());
    }

    /** A valid mandate whose claim {@code name} is written as the raw JSON text {@code json}. */
    private static AttackCase.Builder rawClaim(AttackCase.Builder builder, String name, Function<AttackContext, String> json) {
        return builder.token(a -> {
            MandateBuilder mandate = a.mint().removeClaim(name);
            return editPayload(mandate, payload -> withMembers(payload, "\"" + name + "\":" + json.apply(a))).sign();
        });
    }

    private static long now(AttackContext a) {
        return a.issuer().clock().instant().getEpochSecond();
    }

    static List<AttackCase> duplicates() {
        return List.of(
                dup("DUP-01", "header kid twice: the real kid, then the attacker's")
                        .token(a -> a.mint().rawHeader(withMembers(Forge.header(a), "\"kid\":\"attacker-1\"")).sign())
                        .invalidWithoutKeyFetch().build(),
                dup("DUP-02", "header alg twice: none, then ES256")
                        .token(a -> a.mint().rawHeader("{\"alg\":\"none\"," + Forge.header(a).substring(1)).sign())
                        .invalidWithoutKeyFetch().build(),
                dup("DUP-03", "header alg twice: ES256, then none")
                        .token(a -> a.mint().rawHeader(withMembers(Forge.header(a), "\"alg\":\"none\"")).sign())
                        .invalidWithoutKeyFetch().build(),
                dup("DUP-04", "header kid twice, the second spelled \\u006bid")
                        .token(a -> a.mint().rawHeader(withMembers(Forge.header(a), "\"\\u006bid\":\"attacker-1\"")).sign())
                        .invalidWithoutKeyFetch().build(),
                dup("DUP-05", "header typ twice with different values")
                        .token(a -> a.mint().rawHeader(withMembers(Forge.header(a), "\"typ\":\"at+jwt\"")).sign())
                        .invalidWithoutKeyFetch().build(),
                payloadPlus(dup("DUP-06", "payload iss twice: the issuer, then the attacker"), a -> "\"iss\":\"" + a.attacker().uri() + "\"")
                        .invalid().build(),
                payloadPlus(dup("DUP-07", "payload aud twice: the audience, then another"), a -> "\"aud\":\"https://other.test\"")
                        .invalid().build(),
                payloadPlus(dup("DUP-08", "payload exp twice: valid, then far future"), a -> "\"exp\":" + (now(a) + 10 * 365 * 86_400L))
                        .invalid().build(),
                payloadPlus(dup("DUP-09", "payload zone_id twice (zone-2 last): a duplicate, not a zone mismatch"), a -> "\"zone_id\":\"zone-2\"")
                        .invalid().build(),
                payloadPlus(dup("DUP-10", "payload scope twice: read, then read admin"), a -> "\"scope\":\"read admin\"")
                        .invalid().build(),
                payloadPlus(dup("DUP-11", "payload sub twice, the second spelled \\u0073ub"), a -> "\"\\u0073ub\":\"admin\"")
                        .invalid().build(),
                payloadPlus(dup("DUP-12", "payload use twice: resource, then gateway"), a -> "\"use\":\"gateway\"")
                        .invalid().build(),
                payloadPlus(dup("DUP-13", "nested: a delegation_chain element with application_id twice"),
                        a -> "\"delegation_chain\":[{\"application_id\":\"app-1\",\"application_id\":\"app-parent\"}]")
                        .invalid().build(),
                payloadPlus(dup("DUP-14", "nested: an unknown claim object with a member twice"), a -> "\"x-meta\":{\"a\":1,\"a\":2}")
                        .invalid().build(),
                payloadPlus(dup("DUP-15", "nested: an object inside an array inside an unknown claim, member twice"),
                        a -> "\"x-list\":[1,[{\"k\":true,\"k\":true}]]")
                        .invalid().build(),
                dup("DUP-16", "valid: header alg plus ALG:none (a different member name, ignored)")
                        .token(a -> a.mint().rawHeader(withMembers(Forge.header(a), "\"ALG\":\"none\"")).sign()).accepted().build(),
                payloadPlus(dup("DUP-17", "valid: payload sub plus \"sub \" (a different member name, ignored)"), a -> "\"sub \":\"admin\"")
                        .accepted().build());
    }

    static List<AttackCase> nesting() {
        return List.of(
                payloadPlus(deep("DEEP-01", "valid: an unknown claim nested in 40 arrays"), a -> "\"x\":" + Forge.nestedArrays(40, "1"))
                        .accepted().build(),
                payloadPlus(deep("DEEP-02", "valid: an unknown claim nested in 40 objects"), a -> "\"x\":" + Forge.nestedObjects(40, "1"))
                        .accepted().build(),
                payloadPlus(deep("DEEP-03", "an unknown claim nested in 64 arrays (65 levels with the payload)"),
                        a -> "\"x\":" + Forge.nestedArrays(64, "1"))
                        .invalid().build(),
                payloadPlus(deep("DEEP-04", "an unknown claim nested in 1 000 arrays"), a -> "\"x\":" + Forge.nestedArrays(1_000, "1"))
                        .invalid().build(),
                payloadPlus(deep("DEEP-05", "an unknown claim nested in 500 objects"), a -> "\"x\":" + Forge.nestedObjects(500, "1"))
                        .invalid().build(),
                payloadPlus(deep("DEEP-06", "5 000 unclosed arrays"), a -> "\"x\":" + "[".repeat(5_000))
                        .invalid().build(),
                deep("DEEP-07", "header member nested in 100 arrays")
                        .token(a -> a.mint().rawHeader(withMembers(Forge.header(a), "\"x\":" + Forge.nestedArrays(100, "0"))).sign())
                        .invalidWithoutKeyFetch().build(),
                payloadPlus(deep("DEEP-08", "delegation_chain element wrapped in an extra array"),
                        a -> "\"delegation_chain\":[[{\"application_id\":\"app-1\"}]]")
                        .invalid().build(),
                deep("DEEP-09", "aud nested in an array: [[audience]]").token(a ->
                                editPayload(a.mint().removeClaim(ClaimNames.AUD), json -> withMembers(json, "\"aud\":[[\"" + a.issuer().audience() + "\"]]")).sign())
                        .invalid().build());
    }

    static List<AttackCase> numbers() {
        return List.of(
                num("NUM-01", "exp = 2^53 (one past the largest safe integer)").token(a -> a.mint().claim(ClaimNames.EXP, TWO_TO_53).sign()).invalid().build(),
                num("NUM-02", "valid: exp = 2^53 - 1").token(a -> a.mint().claim(ClaimNames.EXP, TWO_TO_53.subtract(BigInteger.ONE)).sign()).accepted().build(),
                num("NUM-03", "exp = 2^63 (past the long range)").token(a -> a.mint().claim(ClaimNames.EXP, BigInteger.ONE.shiftLeft(63)).sign()).invalid().build(),
                rawClaim(num("NUM-04", "exp = 1e400"), ClaimNames.EXP, a -> "1e400").invalid().build(),
                rawClaim(num("NUM-05", "exp = 1E+999999999"), ClaimNames.EXP, a -> "1E+999999999").invalid().build(),
                rawClaim(num("NUM-06", "exp with 5 000 digits"), ClaimNames.EXP, a -> "9".repeat(5_000)).invalid().build(),
                rawClaim(num("NUM-07", "exp with a huge negative exponent"), ClaimNames.EXP, a -> "1E-999999999").invalid().build(),
                num("NUM-08", "exp as a string").token(a -> a.mint().claim(ClaimNames.EXP, Long.toString(now(a) + 600)).sign()).invalid().build(),
                num("NUM-09", "iat as a string").token(a -> a.mint().claim(ClaimNames.IAT, Long.toString(now(a))).sign()).invalid().build(),
                rawClaim(num("NUM-10", "valid: exp in integral exponent form (digits then e2)"), ClaimNames.EXP, a -> (now(a) + 600) / 100 + "e2")
                        .accepted().build(),
                rawClaim(num("NUM-11", "valid: iat as 1.8e9-style exponent form equal to now"), ClaimNames.IAT,
                        a -> new BigDecimal(now(a)).stripTrailingZeros().toString().toLowerCase(Locale.ROOT))
                        .accepted().build(),
                rawClaim(num("NUM-12", "exp with a fraction 25 digits down"), ClaimNames.EXP, a -> (now(a) + 600) + ".0000000000000000000000001")
                        .invalid().build(),
                rawClaim(num("NUM-13", "exp = -0"), ClaimNames.EXP, a -> "-0").invalid().build(),
                rawClaim(num("NUM-14", "exp = NaN"), ClaimNames.EXP, a -> "NaN").invalid().build(),
                rawClaim(num("NUM-15", "exp = Infinity"), ClaimNames.EXP, a -> "Infinity").invalid().build(),
                rawClaim(num("NUM-16", "exp with a leading zero"), ClaimNames.EXP, a -> "0" + (now(a) + 600)).invalid().build(),
                rawClaim(num("NUM-17", "exp with a leading plus sign"), ClaimNames.EXP, a -> "+" + (now(a) + 600)).invalid().build(),
                rawClaim(num("NUM-18", "exp in hexadecimal"), ClaimNames.EXP, a -> "0x" + Long.toHexString(now(a) + 600)).invalid().build(),
                num("NUM-19", "hop_count = 2^31 (past the int range)").token(a -> a.mint().claim(ClaimNames.HOP_COUNT, 2_147_483_648L).sign()).invalid().build(),
                rawClaim(num("NUM-20", "valid: hop_count = 1e1 (10, the default limit)"), ClaimNames.HOP_COUNT, a -> "1e1").accepted().build(),
                num("NUM-21", "delegation_graph_epoch = 1e16 (past 2^53 - 1)")
                        .token(a -> a.mint().claim(ClaimNames.DELEGATION_GRAPH_EPOCH, new BigDecimal("1e16")).sign()).invalid().build(),
                rawClaim(num("NUM-22", "valid: delegation_graph_epoch = 7.0"), ClaimNames.DELEGATION_GRAPH_EPOCH, a -> "7.0").accepted().build(),
                rawClaim(num("NUM-23", "valid: nbf = -1e30 (any number at or before now + 60 s)"), ClaimNames.NBF, a -> "-1e30").accepted().build(),
                rawClaim(num("NUM-24", "nbf = 1e400"), ClaimNames.NBF, a -> "1e400").invalid().build(),
                num("NUM-25", "nbf as a string").token(a -> a.mint().claim(ClaimNames.NBF, "0").sign()).invalid().build(),
                num("NUM-26", "hop_count as a string").token(a -> a.mint().claim(ClaimNames.HOP_COUNT, "0").sign()).invalid().build(),
                num("NUM-27", "exp as an array").token(a -> a.mint().claim(ClaimNames.EXP, List.of(now(a) + 600)).sign()).invalid().build(),
                num("NUM-28", "exp as an extended-JSON object {$numberLong}")
                        .token(a -> a.mint().claim(ClaimNames.EXP, Map.of("$numberLong", Long.toString(now(a) + 600))).sign()).invalid().build(),
                num("NUM-29", "hop_count = -0.5").token(a -> a.mint().claim(ClaimNames.HOP_COUNT, new BigDecimal("-0.5")).sign()).invalid().build());
    }
}
