package ai.caracal.bench.load;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A governed agent session of the soak, its mandate, when its revocation was published, and when the
 * revocation was seen in Redis (the store the example reads on every request). Times are
 * {@link System#nanoTime()} values, 0 while unset. Thread-safe.
 */
final class TrackedSession {

    private final String agentSessionId;
    private final String sid;
    private final String token;
    private final String kid;
    private volatile long xaddStartedNanos;
    private volatile long xaddReturnedNanos;
    private volatile String revokedAnchor;
    private volatile long appliedNanos;
    private final AtomicLong latestAcceptanceNanos = new AtomicLong(-1);

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

    /** @param anchor the anchor of this session's mandate that the revocation event names */
    void xaddStarted(String anchor) {
        revokedAnchor = anchor;
        xaddStartedNanos = System.nanoTime();
    }

    /** @return the anchor the revocation names, or {@code null} before it is published */
    String revokedAnchor() {
        return revokedAnchor;
    }

    /** @param nanos when the revocation was first seen in Redis; later calls are ignored */
    void applied(long nanos) {
        if (appliedNanos == 0) {
            appliedNanos = nanos;
        }
    }

    /** @return when the revocation was first seen in Redis; 0 while it was not */
    long appliedNanos() {
        return appliedNanos;
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

    /**
     * Records a 200 for a request sent after the {@code XADD} returned.
     *
     * @param sentNanos when the accepted request was sent
     */
    void acceptedAfterXadd(long sentNanos) {
        long returned = xaddReturnedNanos;
        if (returned != 0 && sentNanos > returned) {
            latestAcceptanceNanos.accumulateAndGet(sentNanos - returned, Math::max);
        }
    }

    /** @return how long after the {@code XADD} returned a request was still accepted, in ns; -1 when none was */
    long latestAcceptanceNanos() {
        return latestAcceptanceNanos.get();
    }
}
