package ai.caracal.testkit.attacks;

import ai.caracal.testkit.TestJson;
import java.util.List;
import java.util.Map;

/**
 * {@link AttackCategory#NESTED_JWT}: {@code cty: JWT} is ignored; a payload that is an inner token is
 * not a JSON object and fails, whoever signed the inner token.
 */
final class NestedJwtAttacks {

    private NestedJwtAttacks() {
    }

    private static AttackCase.Builder c(String id, String description) {
        return AttackCase.builder(AttackCategory.NESTED_JWT, id, description);
    }

    static List<AttackCase> cases() {
        return List.of(
                c("NEST-01", "cty JWT, the payload is a valid inner mandate, outer signed by the zone key")
                        .token(a -> a.mint().header("cty", "JWT").rawPayload(a.token()).sign()).invalid().build(),
                c("NEST-02", "cty jwt (lowercase), inner mandate as the payload")
                        .token(a -> a.mint().header("cty", "jwt").rawPayload(a.token()).sign()).invalid().build(),
                c("NEST-03", "cty JWT, the payload is the inner mandate as a JSON string")
                        .token(a -> a.mint().header("cty", "JWT").rawPayload(TestJson.write(a.token())).sign()).invalid().build(),
                c("NEST-04", "cty JWT, outer alg none, valid inner mandate")
                        .token(a -> a.mint().unsigned().header("cty", "JWT").rawPayload(a.token()).sign()).invalidWithoutKeyFetch().build(),
                c("NEST-05", "cty JWT, outer signed by the attacker, valid inner mandate")
                        .token(a -> KeyInjectionAttacks.forged(a, a.kid()).header("cty", "JWT").rawPayload(a.token()).sign())
                        .invalid().build(),
                c("NEST-06", "cty JWT, payload {\"jwt\": inner mandate} without the mandate's own claims")
                        .token(a -> a.mint().header("cty", "JWT").rawPayload(TestJson.write(Map.of("jwt", a.token()))).sign())
                        .invalid().build(),
                c("NEST-07", "valid: cty JWT on an ordinary claims payload (ignored)")
                        .token(a -> a.mint().header("cty", "JWT").sign()).accepted().build());
    }
}
