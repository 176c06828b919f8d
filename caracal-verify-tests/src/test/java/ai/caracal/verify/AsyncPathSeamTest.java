package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Proves that this module's two runs take the two paths: in the {@code async-path} run every blocking
 * {@code authenticate} reaches the store through {@code checkAsync}, in the default run through
 * {@code check}. Without it, a broken seam would let the second run silently repeat the first.
 */
@CaracalTest
@DisplayName("The specification runs through both paths")
class AsyncPathSeamTest {

    @Test
    @DisplayName("authenticate reaches the store through checkAsync exactly in the async-path run")
    void blockingCallsTakeThePathOfThisRun(TestIssuer issuer) {
        boolean asyncRun = Boolean.getBoolean("caracal.verify.async");
        CountingStore store = new CountingStore(issuer.revocations());
        MandateVerifier verifier = issuer.verifier().revocations(store).build();

        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();

        assertThat(store.async.get()).isEqualTo(asyncRun ? 1 : 0);
        assertThat(store.blocking.get()).isEqualTo(asyncRun ? 0 : 1);
    }

    private static final class CountingStore implements RevocationStore {
        final AtomicInteger blocking = new AtomicInteger();
        final AtomicInteger async = new AtomicInteger();
        private final RevocationStore delegate;

        CountingStore(RevocationStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public RevocationCheck check(List<String> anchors, String zoneId) {
            blocking.incrementAndGet();
            return delegate.check(anchors, zoneId);
        }

        @Override
        public CompletionStage<RevocationCheck> checkAsync(List<String> anchors, String zoneId) {
            async.incrementAndGet();
            return delegate.checkAsync(anchors, zoneId);
        }

        @Override
        public boolean isRevoked(String anchor) {
            return delegate.isRevoked(anchor);
        }

        @Override
        public void revoke(String anchor, Duration ttl) {
            delegate.revoke(anchor, ttl);
        }

        @Override
        public long currentDelegationEpoch(String zoneId) {
            return delegate.currentDelegationEpoch(zoneId);
        }

        @Override
        public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
            return delegate.advanceDelegationEpoch(zoneId, epoch, ttl);
        }
    }
}
