package ai.caracal.verify;

import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestClock;
import ai.caracal.testkit.TestIssuer;
import java.util.Optional;

/**
 * The baseline mandate of verification.md §12, minted by the test kit: {@code sub:user-1},
 * {@code client_id:app-1}, {@code sid:sid-1}, {@code root_sid:root-1}, {@code jti:j-1},
 * {@code scope:"read write"}, {@code iat:T}, {@code exp:T+600}, {@code use:resource},
 * {@code sub_type:application}, in the issuer's zone.
 */
final class SpecBaseline {

    /** The §12 clock: epoch second 1 800 000 000, where every {@link TestClock} starts. */
    static final long T = TestClock.START.getEpochSecond();

    /** The target that {@link #withEveryOptionalClaim(TestIssuer)} grants. */
    static final String FILES = "https://api.test/files";

    private SpecBaseline() {
    }

    /** @return the §12 baseline token builder */
    static MandateBuilder mandate(TestIssuer issuer) {
        return issuer.mint().scope("read", "write").sid("sid-1").rootSid("root-1").jti("j-1");
    }

    /** @return the baseline plus every optional claim, as in V57 */
    static MandateBuilder withEveryOptionalClaim(TestIssuer issuer) {
        return mandate(issuer)
                .target(FILES)
                .agentSession("agent-1")
                .delegationEdge("edge-1")
                .sourceSession("s-src")
                .targetSession("s-tgt")
                .delegationPath("e0", "edge-1")
                .chain(new ChainHop("app-parent", Optional.of("s1"), Optional.of("e1")), ChainHop.of("app-1"))
                .hopCount(2)
                .graphEpoch(7);
    }
}
