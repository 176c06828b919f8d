package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** verification.md §11: one listener SPI that sees every outcome, key set fetches and store failures. */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class VerificationListenerTest {

    /** Records every event. */
    static final class Recorder implements VerificationListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        /** Fetch events are reported on the fetching thread, so only their order among themselves is fixed. */
        List<String> fetches() {
            return events.stream().filter(e -> e.startsWith("jwks ")).collect(java.util.stream.Collectors.toList());
        }

        List<String> others() {
            return events.stream().filter(e -> !e.startsWith("jwks ")).collect(java.util.stream.Collectors.toList());
        }

        @Override
        public void verified(AuthResult result, long durationNanos) {
            events.add((result.ok() ? "ok" : result.error().code().wire()) + (durationNanos > 0 ? "" : " (no time)"));
        }

        @Override
        public void jwksFetched(URI jwksUri, JwksFetch outcome) {
            events.add("jwks " + outcome);
        }

        @Override
        public void revocationCheckFailed(RuntimeException error) {
            events.add("store " + error.getMessage());
        }
    }

    @Test
    @DisplayName("every outcome reaches the listener with its duration, and fetches are reported by the key cache")
    void outcomesAndFetchesAreObserved(TestIssuer issuer) {
        Recorder recorder = new Recorder();
        MandateVerifier verifier = issuer.verifier().requiredScopes("read").listener(recorder).build();

        verifier.authenticate(issuer.mint().sign());
        verifier.authenticate(issuer.mint().scope("write").sign());
        verifier.authenticate(null);

        awaitFetchEvents(recorder, 1);
        assertThat(recorder.fetches()).containsExactly("jwks SUCCESS");
        assertThat(recorder.others()).containsExactly("ok", "insufficient_scope", "missing_token");
    }

    @Test
    @DisplayName("a refetch held back by the cooldown and a failed fetch are reported")
    void cooldownAndFailureAreReported(TestIssuer issuer) {
        Recorder recorder = new Recorder();
        MandateVerifier verifier = issuer.verifier().listener(recorder).jwksRefetchCooldown(Duration.ofSeconds(30)).build();
        verifier.authenticate(issuer.mint().sign());
        awaitFetchEvents(recorder, 1);
        recorder.events.clear();

        verifier.authenticate(issuer.mint().kid("k-unknown").sign());
        issuer.clock().advance(Duration.ofMinutes(11));
        issuer.jwks().failWith(503);
        verifier.authenticate(issuer.mint().sign());

        awaitFetchEvents(recorder, 2);
        assertThat(recorder.fetches()).containsExactly("jwks REJECTED_COOLDOWN", "jwks FAILURE");
        assertThat(recorder.others()).containsExactly("invalid_token", "invalid_token");
    }

    @Test
    @DisplayName("a store that throws is reported, and a throwing listener changes nothing")
    void storeFailuresAreReportedAndListenerErrorsIgnored(TestIssuer issuer) {
        Recorder recorder = new Recorder();
        RevocationStore broken = new RevocationStore() {
            @Override
            public boolean isRevoked(String anchor) {
                return false;
            }

            @Override
            public void revoke(String anchor, Duration ttl) {
            }

            @Override
            public long currentDelegationEpoch(String zoneId) {
                return 0;
            }

            @Override
            public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
                return false;
            }

            @Override
            public RevocationCheck check(List<String> anchors, String zoneId) {
                throw new IllegalStateException("store down");
            }
        };
        VerificationListener throwing = new VerificationListener() {
            @Override
            public void verified(AuthResult result, long durationNanos) {
                throw new IllegalStateException("listener bug");
            }
        };
        MandateVerifier failing = issuer.verifier().revocations(broken).listener(throwing).listener(recorder).build();
        MandateVerifier healthy = issuer.verifier().listener(throwing).build();

        long failuresBefore = MandateVerifier.listenerFailures();
        AuthResult failed = failing.authenticate(issuer.mint().sign());

        assertThat(failed.error().description()).isEqualTo("Revocation state unavailable");
        awaitFetchEvents(recorder, 1);
        assertThat(recorder.fetches()).containsExactly("jwks SUCCESS");
        assertThat(recorder.others()).containsExactly("store store down", "invalid_token");
        assertThat(healthy.authenticate(issuer.mint().sign()).ok()).isTrue();
        assertThat(MandateVerifier.listenerFailures()).as("each throw is counted").isGreaterThanOrEqualTo(failuresBefore + 2);
    }

    private static void awaitFetchEvents(Recorder recorder, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (recorder.fetches().size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
