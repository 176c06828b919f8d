package ai.caracal.revocation.redis;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RevocationStore} for failure injection: an {@link InMemoryRevocationStore} that records the
 * order of writes and can be told to fail them until told otherwise.
 */
final class ScriptedRevocationStore implements RevocationStore {

    private final InMemoryRevocationStore delegate = new InMemoryRevocationStore();
    private final List<String> revoked = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    /** From now on, every write throws {@link RevocationStoreException} (when {@code true}). */
    void failWrites(boolean failing) {
        this.failing = failing;
    }

    /** @return every anchor successfully revoked, in call order, repeats included */
    List<String> revokedInOrder() {
        return List.copyOf(revoked);
    }

    @Override
    public boolean isRevoked(String anchor) {
        return delegate.isRevoked(anchor);
    }

    @Override
    public void revoke(String anchor, Duration ttl) {
        if (failing) {
            throw new RevocationStoreException("injected store failure");
        }
        delegate.revoke(anchor, ttl);
        revoked.add(anchor);
    }

    @Override
    public long currentDelegationEpoch(String zoneId) {
        return delegate.currentDelegationEpoch(zoneId);
    }

    @Override
    public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
        if (failing) {
            throw new RevocationStoreException("injected store failure");
        }
        return delegate.advanceDelegationEpoch(zoneId, epoch, ttl);
    }
}
