package ai.caracal.testkit.attacks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The attack corpus: hostile mandates and {@code Authorization} headers, each with the one result a
 * conforming verifier gives, plus valid-but-unusual inputs that must be accepted (so the corpus also
 * proves there is no false rejection).
 *
 * <p>The expectations are for the {@code @CaracalTest} baseline: a verifier from
 * {@code issuer.verifier()} with the case's {@link AttackRoute} requirements, the issuer's clock, its
 * empty revocation store and its JWKS. Run each case as {@link AttackCase} describes, with an
 * {@link AttackContext} whose {@link AttackerOrigin} must see no request at all.
 *
 * <pre>{@code
 * for (AttackCase attack : AttackCorpus.cases()) {
 *     issuer.reset();
 *     attack.prepare(context);
 *     String header = attack.authorization(context);
 *     AuthResult result = issuer.verifier().build()
 *             .authorization(header, attack.route().requirements().orElse(null));
 *     // result.ok() == attack.expected().isEmpty(); otherwise result.error().code() == attack.expected().get()
 * }
 * }</pre>
 *
 * <p>Over HTTP, {@link AttackHttpRunner} sends the cases to a running connector.
 */
public final class AttackCorpus {

    private static final List<AttackCase> CASES = load();

    private AttackCorpus() {
    }

    /** @return every case, grouped by category in declaration order; unmodifiable */
    public static List<AttackCase> cases() {
        return CASES;
    }

    /**
     * @param category a family
     * @return that family's cases; unmodifiable
     */
    public static List<AttackCase> cases(AttackCategory category) {
        return CASES.stream().filter(attack -> attack.category() == category).toList();
    }

    /** @return the number of cases per category, in declaration order */
    public static Map<AttackCategory, Integer> sizes() {
        Map<AttackCategory, Integer> sizes = new EnumMap<>(AttackCategory.class);
        for (AttackCategory category : AttackCategory.values()) {
            sizes.put(category, 0);
        }
        CASES.forEach(attack -> sizes.merge(attack.category(), 1, Integer::sum));
        return sizes;
    }

    private static List<AttackCase> load() {
        List<AttackCase> all = new ArrayList<>();
        Stream.of(
                AlgorithmAttacks.cases(),
                KeyInjectionAttacks.cases(),
                KidAttacks.cases(),
                CritAttacks.cases(),
                HeaderExtensionAttacks.cases(),
                NestedJwtAttacks.cases(),
                SerializationAttacks.cases(),
                JsonAttacks.duplicates(),
                JsonAttacks.nesting(),
                JsonAttacks.numbers(),
                LookalikeAttacks.cases(),
                SignatureAttacks.range(),
                SignatureAttacks.encoding(),
                KeySetAttacks.cases(),
                ClaimAttacks.time(),
                ClaimAttacks.useAndSubType(),
                ScopeAttacks.cases(),
                AuthorizationHeaderAttacks.cases())
                .forEach(all::addAll);
        all.sort(Comparator.comparing(AttackCase::category));
        Set<String> ids = new HashSet<>();
        for (AttackCase attack : all) {
            if (!ids.add(attack.id())) {
                throw new IllegalStateException("duplicate attack id " + attack.id());
            }
        }
        return List.copyOf(all);
    }
}
