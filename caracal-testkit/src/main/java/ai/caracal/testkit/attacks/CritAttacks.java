package ai.caracal.testkit.attacks;

import java.util.List;
import java.util.Map;

/** {@link AttackCategory#CRIT}: a {@code crit} member of any value is rejected before any key lookup. */
final class CritAttacks {

    private CritAttacks() {
    }

    private static AttackCase.Builder c(String id, String description) {
        return AttackCase.builder(AttackCategory.CRIT, id, description);
    }

    static List<AttackCase> cases() {
        return List.of(
                c("CRIT-01", "crit [\"b64\"] with b64 false (RFC 7797 unencoded payload)")
                        .token(a -> a.mint().header("b64", false).header("crit", List.of("b64")).sign()).invalidWithoutKeyFetch().build(),
                c("CRIT-02", "crit [\"zip\"] with zip DEF").token(a -> a.mint().header("zip", "DEF").header("crit", List.of("zip")).sign())
                        .invalidWithoutKeyFetch().build(),
                c("CRIT-03", "crit naming an unknown extension").token(a -> a.mint().header("x-ext", 1).header("crit", List.of("x-ext")).sign())
                        .invalidWithoutKeyFetch().build(),
                c("CRIT-04", "crit naming a registered member (alg)").token(a -> a.mint().header("crit", List.of("alg")).sign())
                        .invalidWithoutKeyFetch().build(),
                c("CRIT-05", "crit as a string").token(a -> a.mint().header("crit", "b64").sign()).invalidWithoutKeyFetch().build(),
                c("CRIT-06", "crit null").token(a -> a.mint().header("crit", null).sign()).invalidWithoutKeyFetch().build(),
                c("CRIT-07", "crit as an empty object").token(a -> a.mint().header("crit", Map.of()).sign()).invalidWithoutKeyFetch().build(),
                c("CRIT-08", "crit [1]").token(a -> a.mint().header("crit", List.of(1)).sign()).invalidWithoutKeyFetch().build(),
                c("CRIT-09", "crit [\"\"]").token(a -> a.mint().header("crit", List.of("")).sign()).invalidWithoutKeyFetch().build(),
                c("CRIT-10", "crit false").token(a -> a.mint().header("crit", false).sign()).invalidWithoutKeyFetch().build());
    }
}
