package ai.caracal.bench.load;

import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rotates the issuer's signing key on demand and tells, for a mandate signed with a given key, whether
 * the verifier may legitimately not know that key yet.
 *
 * <p>The verifier learns a new key by an unknown-kid refetch, at most once per 30 s refetch cooldown
 * (verification.md §3.5). So a mandate signed with a rotated key may be rejected with
 * {@code invalid_token} only until the issuer has served a JWKS request received after the rotation (plus
 * five seconds for the answer to reach the verifier, however loaded the machine), and never later than the
 * rotation plus the cooldown plus two seconds. {@link #watchFetches()} notices those requests; it runs every 100 ms. Thread-safe.
 */
final class KeyRotations {

    /** The verifier's default unknown-kid refetch cooldown. */
    static final Duration REFETCH_COOLDOWN = Duration.ofSeconds(30);
    private static final long FETCH_MARGIN_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long LATEST_NANOS = REFETCH_COOLDOWN.plusSeconds(2).toNanos();
    private static final Pattern KID = Pattern.compile("\"kid\"\\s*:\\s*\"([^\"]*)\"");

    private final TestIssuer issuer;
    private final String initialKid;
    private final Map<String, Rotation> rotations = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    // Signing shares the lock, so no mandate carries a kid before its rotation is recorded.
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    KeyRotations(TestIssuer issuer, String initialKid) {
        this.issuer = issuer;
        this.initialKid = initialKid;
    }

    /** Makes a new key current (earlier keys stay published). */
    void rotate() {
        lock.writeLock().lock();
        try {
            String kid = issuer.rotateKey();
            rotations.put(kid, new Rotation(System.nanoTime(), issuer.jwks().requests()));
            count.incrementAndGet();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * @param mandate a mandate about to be signed with the current key
     * @return the compact JWS
     */
    String sign(MandateBuilder mandate) {
        lock.readLock().lock();
        try {
            return mandate.sign();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Records the first JWKS request the issuer received after each rotation. */
    void watchFetches() {
        int requests = issuer.jwks().requests();
        long now = System.nanoTime();
        for (Rotation rotation : rotations.values()) {
            if (rotation.fetchSeenNanos == 0 && requests > rotation.requestsAtRotation) {
                rotation.fetchSeenNanos = now;
            }
        }
    }

    /**
     * @param kid       the key a mandate was signed with, or {@code null} when it has none
     * @param sentNanos when the mandate was sent
     * @return whether an {@code invalid_token} rejection of an otherwise valid mandate is tolerable
     */
    boolean mayBeUnknown(String kid, long sentNanos) {
        Rotation rotation = kid == null ? null : rotations.get(kid);
        if (rotation == null) {
            return false;
        }
        long fetched = rotation.fetchSeenNanos;
        if (fetched != 0 && sentNanos - fetched > FETCH_MARGIN_NANOS) {
            return false;
        }
        return sentNanos - rotation.rotatedNanos < LATEST_NANOS;
    }

    /**
     * @param kid a key ID
     * @return whether it is a key created by a rotation during the run
     */
    boolean isRotated(String kid) {
        return kid != null && !kid.equals(initialKid);
    }

    int count() {
        return count.get();
    }

    /**
     * @param token a compact JWS
     * @return its header {@code kid}, or {@code null}
     */
    static String kidOf(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            Matcher kid = KID.matcher(header);
            return kid.find() ? kid.group(1) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static final class Rotation {
        final long rotatedNanos;
        final int requestsAtRotation;
        volatile long fetchSeenNanos;

        Rotation(long rotatedNanos, int requestsAtRotation) {
            this.rotatedNanos = rotatedNanos;
            this.requestsAtRotation = requestsAtRotation;
        }
    }
}
