package ai.caracal.verify;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link RevocationStore} fake that delegates to a real store and records every read, so tests can
 * assert how often, and with what, the verifier consulted revocation state. Can be told to throw
 * from {@link #check(List, String)}. Thread-safe.
 */
final class RecordingRevocationStore implements RevocationStore {

    /** One {@link #check(List, String)} call, with the anchors as passed. */
    record Check(List<String> anchors, String zoneId) {
    }

    private final RevocationStore delegate;
    private final List<Check> checks = new CopyOnWriteArrayList<>();
    private final AtomicInteger singleReads = new AtomicInteger();
    private volatile RuntimeException failure;

    RecordingRevocationStore(RevocationStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @param failure thrown by every later {@code check} call (after recording it) */
    RecordingRevocationStore failWith(RuntimeException failure) {
        this.failure = failure;
        return this;
    }

    /** @return every {@code check} call so far, in order */
    List<Check> checks() {
        return List.copyOf(checks);
    }

    /** @return all reads so far: {@code check}, {@code isRevoked} and {@code currentDelegationEpoch} calls */
    int reads() {
        return checks.size() + singleReads.get();
    }

    @Override
    public RevocationCheck check(List<String> anchors, String zoneId) {
        checks.add(new Check(List.copyOf(anchors), zoneId));
        RuntimeException toThrow = failure;
        if (toThrow != null) {
            throw toThrow;
        }
        return delegate.check(anchors, zoneId);
    }

    @Override
    public boolean isRevoked(String anchor) {
        singleReads.incrementAndGet();
        return delegate.isRevoked(anchor);
    }

    @Override
    public long currentDelegationEpoch(String zoneId) {
        singleReads.incrementAndGet();
        return delegate.currentDelegationEpoch(zoneId);
    }

    @Override
    public void revoke(String anchor, Duration ttl) {
        delegate.revoke(anchor, ttl);
    }

    @Override
    public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
        return delegate.advanceDelegationEpoch(zoneId, epoch, ttl);
    }
}
