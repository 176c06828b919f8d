package ai.caracal.testkit.attacks;

import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import java.util.Objects;

/**
 * What an {@link AttackCase} is built against: the victim {@link TestIssuer} (its keys, JWKS endpoint and
 * clock) and the {@link AttackerOrigin} that every attacker URL points at. Immutable; the issuer and the
 * origin are owned by the caller.
 */
public final class AttackContext {

    private final TestIssuer issuer;
    private final AttackerOrigin attacker;

    private AttackContext(TestIssuer issuer, AttackerOrigin attacker) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.attacker = Objects.requireNonNull(attacker, "attacker");
    }

    /**
     * @param issuer   the victim issuer; its verifier is the one under attack
     * @param attacker where attacker URLs point; assert its {@link AttackerOrigin#requests()} stays zero
     * @return the context
     */
    public static AttackContext of(TestIssuer issuer, AttackerOrigin attacker) {
        return new AttackContext(issuer, attacker);
    }

    /** @return the victim issuer */
    public TestIssuer issuer() {
        return issuer;
    }

    /** @return the attacker's server */
    public AttackerOrigin attacker() {
        return attacker;
    }

    /** @return a valid baseline mandate builder of the victim issuer (see {@link TestIssuer#mint()}) */
    public MandateBuilder mint() {
        return issuer.mint();
    }

    /** @return a valid baseline mandate */
    public String token() {
        return issuer.mint().sign();
    }

    /** @return the kid of the victim zone's current key */
    public String kid() {
        return (String) issuer.publicJwk(issuer.zone()).get("kid");
    }

    /**
     * @param path a path starting with {@code /}
     * @return the attacker URL for that path
     */
    public String attackerUrl(String path) {
        return attacker.url(path);
    }
}
