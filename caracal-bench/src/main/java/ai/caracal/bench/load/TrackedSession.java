package ai.caracal.bench.load;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A governed agent session of the soak, its mandate, and when its revocation was published. Times are
 * {@link System#nanoTime()} values, 0 while unset. Thread-safe.
 */
final class TrackedSession {

    private final String agentSessionId;
    private final String sid;
    private final String token;
    private final String kid;
    private volatile long xaddStartedNanos;
    private volatile long xaddReturnedNanos;
    private final AtomicLong firstRejectionNanos = new AtomicLong();

    TrackedSession(String agentSessionId, String sid, String token, String kid) {
        this.agentSessionId = agentSessionId;
        this.sid = sid;
        this.token = token;
        this.kid = kid;
    }

    String agentSessionId() {
        return agentSessionId;
    }

    String sid() {
        return sid;
    }

    String token() {
        return token;
    }

    String kid() {
        return kid;
    }

    void xaddStarted() {
        xaddStartedNanos = System.nanoTime();
    }

    void xaddReturned() {
        xaddReturnedNanos = System.nanoTime();
    }

    long xaddStartedNanos() {
        return xaddStartedNanos;
    }

    long xaddReturnedNanos() {
        return xaddReturnedNanos;
    }

    void rejectedAt(long receivedNanos) {
        firstRejectionNanos.compareAndSet(0, receivedNanos);
    }

    /** @return from the {@code XADD} returning to the first rejection seen, in ns; -1 when none seen yet */
    long observedPropagationNanos() {
        long rejected = firstRejectionNanos.get();
        long returned = xaddReturnedNanos;
        return rejected == 0 || returned == 0 ? -1 : Math.max(0, rejected - returned);
    }
}
