package ai.caracal.bench.load;

import ai.caracal.revocation.redis.StreamPublisher;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.ClaimNames;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a small, bounded pool of agent sessions whose mandates the load sends, and revokes the oldest
 * live one at each {@link #step()} by an {@code XADD} to the example's revocation stream in the producers'
 * format (through {@link StreamPublisher}, signed when the example has a stream key). Events alternate
 * between the two shapes producers send: the authority record ({@code session_id} = the mandate's
 * {@code sid}) and the governed session ({@code agent_session_id}, with another record's
 * {@code session_id}). {@link #watchApplied} notices when each revocation reaches Redis. Thread-safe.
 */
final class RevocationDriver {

    private static final int LIVE = 3;
    private static final int REVOKED_KEPT = 10;

    private final TestIssuer issuer;
    private final KeyRotations keys;
    private final StreamPublisher publisher;
    private final String stream;
    private final String keyPrefix;
    private final Deque<TrackedSession> live = new ArrayDeque<>();
    private final Deque<TrackedSession> revoked = new ArrayDeque<>();
    private final AtomicInteger published = new AtomicInteger();
    private final AtomicLong latestAcceptanceNanos = new AtomicLong(-1);
    private final List<TrackedSession> unapplied = new ArrayList<>();
    private final AtomicLong slowestApplyNanos = new AtomicLong(-1);
    private volatile List<TrackedSession> snapshot = List.of();

    /**
     * @param stream    the revocation stream the example's consumer reads
     * @param keyPrefix the example store's key prefix
     */
    RevocationDriver(TestIssuer issuer, KeyRotations keys, StreamPublisher publisher, String stream, String keyPrefix) {
        this.issuer = issuer;
        this.keys = keys;
        this.publisher = publisher;
        this.stream = stream;
        this.keyPrefix = keyPrefix;
    }

    /** @return the revocation stream this driver publishes to */
    String stream() {
        return stream;
    }

    /** Adds one live session, and revokes the oldest once {@value #LIVE} are live. */
    void step() {
        TrackedSession fresh = newSession();
        TrackedSession target = null;
        synchronized (this) {
            live.addLast(fresh);
            if (live.size() > LIVE) {
                target = live.removeFirst();
            }
            publishSnapshot();
        }
        if (target != null) {
            revoke(target);
        }
    }

    /**
     * Publishes the revocation of one session and keeps it in the pool as revoked.
     *
     * @param session the session to revoke
     */
    void revoke(TrackedSession session) {
        Map<String, String> event = new LinkedHashMap<>();
        event.put(ClaimNames.ZONE_ID, issuer.zone());
        int n = published.incrementAndGet();
        if (n % 2 == 0) {
            event.put("session_id", session.sid());
            event.put("reason", "grant_revoked");
            event.put("grant_id", "grant-" + UUID.randomUUID());
        } else {
            event.put("session_id", "record-" + UUID.randomUUID());
            event.put(ClaimNames.AGENT_SESSION_ID, session.agentSessionId());
            event.put("reason", "requested");
        }
        event.put("outbox_id", UUID.randomUUID().toString());
        session.xaddStarted(n % 2 == 0 ? session.sid() : session.agentSessionId());
        publisher.publish(stream, event);
        session.xaddReturned();
        synchronized (this) {
            unapplied.add(session);
            revoked.addLast(session);
            while (revoked.size() > REVOKED_KEPT) {
                TrackedSession dropped = revoked.removeFirst();
                latestAcceptanceNanos.accumulateAndGet(dropped.latestAcceptanceNanos(), Math::max);
            }
            publishSnapshot();
        }
    }

    /** @return a live or recently revoked session, or {@code null} before the first {@link #step()} */
    TrackedSession pick() {
        List<TrackedSession> sessions = snapshot;
        return sessions.isEmpty() ? null : sessions.get(ThreadLocalRandom.current().nextInt(sessions.size()));
    }

    /** @return a new session with its mandate, not yet in the pool */
    TrackedSession newSession() {
        String agent = "soak-agent-" + UUID.randomUUID();
        String sid = "soak-sid-" + UUID.randomUUID();
        issuer.clock().set(Instant.now());
        String token = keys.sign(issuer.mint().scope("documents:read").agentSession(agent).sid(sid));
        return new TrackedSession(agent, sid, token, KeyRotations.kidOf(token));
    }

    int published() {
        return published.get();
    }

    /**
     * Marks each published revocation whose key now exists in Redis (the example's store, under its key
     * prefix) as applied. From then on the example must reject the session: it reads Redis on every request.
     *
     * @param redis a connection to the example's Redis
     */
    void watchApplied(RedisCommands<String, String> redis) {
        List<TrackedSession> pending;
        synchronized (this) {
            pending = List.copyOf(unapplied);
        }
        for (TrackedSession session : pending) {
            if (redis.exists(keyPrefix + session.revokedAnchor()) > 0) {
                long now = System.nanoTime();
                session.applied(now);
                slowestApplyNanos.accumulateAndGet(now - session.xaddReturnedNanos(), Math::max);
                synchronized (this) {
                    unapplied.remove(session);
                }
            }
        }
    }

    /**
     * @param nowNanos the end of the run
     * @return the longest time a revocation took to reach Redis after its {@code XADD} returned, counting
     *         one still not there as taking until {@code nowNanos}; negative when nothing was published
     */
    synchronized double slowestApplyMillis(long nowNanos) {
        long slowest = slowestApplyNanos.get();
        for (TrackedSession session : unapplied) {
            slowest = Math.max(slowest, nowNanos - session.xaddReturnedNanos());
        }
        return slowest < 0 ? -1 : slowest / 1_000_000.0;
    }

    /**
     * @return the latest a revoked session's request was still accepted, in ms after its {@code XADD}
     *         returned; negative when none was
     */
    synchronized double latestAcceptanceAfterXaddMillis() {
        long latest = latestAcceptanceNanos.get();
        for (TrackedSession session : revoked) {
            latest = Math.max(latest, session.latestAcceptanceNanos());
        }
        return latest < 0 ? -1 : latest / 1_000_000.0;
    }

    private void publishSnapshot() {
        List<TrackedSession> sessions = new ArrayList<>(live);
        sessions.addAll(revoked);
        snapshot = List.copyOf(sessions);
    }
}
