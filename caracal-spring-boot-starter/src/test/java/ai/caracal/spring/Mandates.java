package ai.caracal.spring;

import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import java.time.Instant;

/** Mints at wall-clock time: the starter's verifier uses the system clock, not the issuer's test clock. */
final class Mandates {

    private Mandates() {
    }

    static MandateBuilder now(TestIssuer issuer) {
        issuer.clock().set(Instant.now());
        return issuer.mint();
    }
}
