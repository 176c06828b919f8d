package ai.caracal.testkit.attacks;

import ai.caracal.verify.Requirements;
import java.util.Optional;

/**
 * The verifier rule an {@link AttackCase} is aimed at. Every case's expectation holds for the
 * {@code @CaracalTest} baseline verifier ({@code issuer.verifier().build()}, no requirements) with the
 * route's requirements applied, and, for {@link #DEFAULT} cases, also for a default rule that requires
 * scope {@code read} (every {@code DEFAULT} case keeps the minted {@code scope: read}), so the corpus runs
 * unchanged on the connector parity fixture.
 */
public enum AttackRoute {

    /** The default rule: the baseline verifier. */
    DEFAULT("/", null),

    /** A rule requiring exactly scope {@code read}, registered on connectors at {@code /scoped}. */
    SCOPED("/scoped", Requirements.builder().requiredScopes("read").build());

    private final String prefix;
    private final Requirements requirements;

    AttackRoute(String prefix, Requirements requirements) {
        this.prefix = prefix;
        this.requirements = requirements;
    }

    /** @return the path prefix a connector registers this rule at ({@code /} for the default rule) */
    public String prefix() {
        return prefix;
    }

    /** @return the rule's requirements, or empty for the default rule */
    public Optional<Requirements> requirements() {
        return Optional.ofNullable(requirements);
    }
}
