package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.logging.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * verification.md §12.7 and §11: an outage (keys or store unavailable) and an attack answered with the
 * same wire code carry different causes in the result and the listener; an outage is logged at WARN at a
 * bounded rate, saying what failed and where, and an attack is not logged at WARN at all.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class OutageCauseTest {

    /** Records the cause of every outcome and every store failure. */
    static final class Causes implements VerificationListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void verified(AuthResult result, long durationNanos) {
            events.add((result.ok() ? "ok" : result.error().code().wire()) + "/" + result.cause().wire());
        }

        @Override
        public void revocationCheckFailed(RuntimeException error) {
            events.add("store-failed");
        }
    }

    @Test
    @DisplayName("JWKS down: invalid_token with cause keys_unavailable, one WARN naming the key set URL for many calls")
    void keysUnavailableIsAnOutage(TestIssuer issuer) {
        Causes causes = new Causes();
        MandateVerifier verifier = issuer.verifier().listener(causes).build();
        issuer.jwks().failWith(503);

        List<String> warnings;
        try (LogCapture log = LogCapture.of("ai.caracal.verify")) {
            for (int i = 0; i < 20; i++) {
                AuthResult result = verifier.authenticate(issuer.mint().sign());
                assertThat(result).failedWith(ErrorCode.INVALID_TOKEN);
                assertThat(result.cause()).isEqualTo(Cause.KEYS_UNAVAILABLE);
            }
            warnings = log.warnings();
        }

        assertThat(causes.events).hasSize(20).containsOnly("invalid_token/keys_unavailable");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains(issuer.jwksUrl().toString()).contains("503")
                .contains("keys_unavailable");
    }

    @Test
    @DisplayName("a fail-closed store: session_revoked with cause store_unavailable, reported as a store failure, one WARN")
    void failedClosedStoreIsAnOutage(TestIssuer issuer) {
        Causes causes = new Causes();
        MandateVerifier verifier = issuer.verifier().revocations(answering(anchors -> RevocationCheck.FAILED_CLOSED))
                .listener(causes).build();

        List<String> warnings;
        try (LogCapture log = LogCapture.of("ai.caracal.verify")) {
            for (int i = 0; i < 20; i++) {
                AuthResult result = verifier.authenticate(issuer.mint().sign());
                assertThat(result).failedWith(ErrorCode.SESSION_REVOKED);
                assertThat(result.cause()).isEqualTo(Cause.STORE_UNAVAILABLE);
            }
            warnings = log.warnings();
        }

        assertThat(causes.events).hasSize(40);
        assertThat(causes.events.stream().filter("store-failed"::equals)).hasSize(20);
        assertThat(causes.events.stream().filter("session_revoked/store_unavailable"::equals)).hasSize(20);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("failed closed").contains("store_unavailable");
    }

    @Test
    @DisplayName("a real revocation is session_revoked with cause revoked: no store failure, no WARN")
    void revokedIsNotAnOutage(TestIssuer issuer) {
        Causes causes = new Causes();
        MandateVerifier verifier = issuer.verifier().listener(causes).build();
        issuer.revoke("sid-revoked");

        try (LogCapture log = LogCapture.of("ai.caracal.verify")) {
            AuthResult result = verifier.authenticate(issuer.mint().sid("sid-revoked").sign());

            assertThat(result).failedWith(ErrorCode.SESSION_REVOKED);
            assertThat(result.cause()).isEqualTo(Cause.REVOKED);
            assertThat(log.warnings()).isEmpty();
        }
        assertThat(causes.events).containsExactly("session_revoked/revoked");
    }

    @Test
    @DisplayName("attacks answered invalid_token carry their own causes and log no WARN")
    void attacksAreNotOutages(TestIssuer issuer) {
        Causes causes = new Causes();
        MandateVerifier verifier = issuer.verifier().listener(causes).build();
        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        causes.events.clear();

        try (LogCapture log = LogCapture.of("ai.caracal.verify")) {
            for (int i = 0; i < 10; i++) {
                verifier.authenticate(issuer.mint().tamperSignature().sign());
                verifier.authenticate(issuer.mint().audience("https://other.test").sign());
                verifier.authenticate(issuer.mint().expiresAt(issuer.clock().instant().minusSeconds(5)).sign());
                verifier.authenticate(issuer.mint().zoneId("zone-2").sign());
                verifier.authenticate("not.a.token");
            }
            assertThat(log.warnings()).as("an attack is not an outage: no WARN").isEmpty();
        }
        assertThat(causes.events).hasSize(50).containsOnly("invalid_token/bad_signature", "invalid_token/audience",
                "invalid_token/expired", "invalid_zone/zone", "invalid_token/malformed");
        assertThat(causes.events).doesNotContain("store-failed");
    }

    private static RevocationStore answering(Function<List<String>, RevocationCheck> answer) {
        return new RevocationStore() {
            @Override
            public boolean isRevoked(String anchor) {
                return true;
            }

            @Override
            public void revoke(String anchor, Duration ttl) {
            }

            @Override
            public long currentDelegationEpoch(String zoneId) {
                return Long.MAX_VALUE;
            }

            @Override
            public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
                return false;
            }

            @Override
            public RevocationCheck check(List<String> anchors, String zoneId) {
                return answer.apply(anchors);
            }
        };
    }
}
