package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import org.junit.jupiter.api.Test;

@CaracalTest
class SmokeTest {
    @Test
    void baselineIsAccepted(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        org.assertj.core.api.Assertions.assertThat(issuer.jwks().requests()).isEqualTo(1);
    }

    @Test
    void revokedIsRejected(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().requireAgent(true).build();
        String token = issuer.mint().agentSession("agent-7").sign();
        issuer.revoke("agent-7");
        assertThat(verifier.authenticate(token)).failedWith(ErrorCode.SESSION_REVOKED).hasStatus(401);
    }
}
