package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * verification.md §3.5 during a key rotation under traffic: the issuer publishes a new key and signs
 * with it from then on, while several threads keep verifying mandates signed with the old key (still
 * published) and with the new one. The only rejections the spec allows are new-kid mandates checked
 * within {@code jwksRefetchCooldown} of the last fetch attempt; every other rejection is a false
 * rejection, and there must be none. The rotation is the issuer's worst case: the new key is published
 * at the moment it starts signing, with no pre-publication.
 *
 * <p>Each test rotates in a zone of its own, since keys live for the whole class. Old-key mandates are
 * minted before the rotation (the issuer always signs with its current key) and reused from a pool, so
 * most of their calls are verified-token-cache hits, which still look their {@code kid} up in the key set
 * (§6 step 3); new-key mandates are minted during the traffic, so each one is verified from scratch.
 * Each phase of the traffic lasts until it has made its calls (a condition, never a sleep racing the
 * machine's speed). Tagged {@code slow}.
 */
@Tag("slow")
@CaracalTest(extraZones = {"zone-rotate-test-clock", "zone-rotate-system-clock"})
@DisplayName("Key rotation under concurrent traffic (verification.md §3.5)")
class KeyRotationUnderTrafficTest {

    private static final Logger log = LoggerFactory.getLogger(KeyRotationUnderTrafficTest.class);

    private static final int CALLERS = 6;
    private static final int OLD_TOKENS = 64;
    /** Calls each phase of the traffic makes before the next phase starts. */
    private static final int CALLS_PER_PHASE = 20;
    /** How long a phase may take to make them, on a loaded machine. */
    private static final Duration PHASE_WAIT = Duration.ofSeconds(30);

    @BeforeAll
    static void warmUp(TestIssuer issuer) {
        Traffic.warmUpLibrary(issuer);
    }

    @Test
    @DisplayName("rotation 10 s after the last fetch (cooldown 30 s): new-kid mandates are rejected only until the cooldown passes, then one refetch; old-kid mandates never")
    void rotationOnTheTestClockRejectsOnlyWithinTheCooldown(TestIssuer issuer) throws Exception {
        String zone = "zone-rotate-test-clock";
        MandateVerifier verifier = issuer.verifier().zoneId(zone).jwksFetchTimeout(Duration.ofSeconds(10)).build();
        List<String> oldTokens = mint(issuer, zone, OLD_TOKENS);
        Instant lastFetch = issuer.clock().instant();
        assertThat(verifier.authenticate(oldTokens.get(0))).isOk();
        Instant cooldownEnds = lastFetch.plus(JwksCache.DEFAULT_REFETCH_COOLDOWN);
        Tally tally = new Tally();
        RotatingTraffic rotation = new RotatingTraffic(issuer, zone, verifier, oldTokens, issuer.clock(), tally,
                (kindIsNew, startedAt) -> kindIsNew && startedAt.isBefore(cooldownEnds));

        try (Traffic traffic = Traffic.start(CALLERS, rotation::call)) {
            Eventually.waitUntil(PHASE_WAIT, "old-kid calls before the rotation", () -> tally.oldOk.get() >= CALLS_PER_PHASE);
            issuer.clock().advance(Duration.ofSeconds(10));
            rotation.rotate();
            Eventually.waitUntil(PHASE_WAIT, "new-kid calls within the cooldown",
                    () -> tally.allowedRejections.get() + tally.falseRejections.get() >= CALLS_PER_PHASE);
            issuer.clock().set(cooldownEnds);
            Eventually.waitUntil(PHASE_WAIT, "new-kid calls after the cooldown", () -> tally.newOk.get() >= CALLS_PER_PHASE);
            traffic.stop();
            log.info("rotation [test clock]: {} {} jwksRequests={}", traffic.summary(), tally, issuer.jwks().requests(zone));
            assertThat(traffic.thrown()).isEmpty();
            assertThat(traffic.outcomes().keySet()).isSubsetOf("ok", "invalid_token");
        }

        assertThat(tally.falseRejections.get()).as("false rejections").isZero();
        assertThat(tally.oldOk.get()).isPositive();
        assertThat(tally.newOk.get()).as("new-kid mandates accepted after the cooldown").isPositive();
        // the window the spec allows was really exercised: new-kid mandates inside the cooldown were rejected
        assertThat(tally.allowedRejections.get()).isPositive();
        // the warm-up fetch and exactly one refetch, however many new-kid mandates arrived
        assertThat(issuer.jwks().requests(zone)).isEqualTo(2);
    }

    @Test
    @DisplayName("rotation on the system clock (cooldown 1 s, rotation 100 ms after the last fetch): no new-kid rejection after the cooldown, no old-kid rejection, one refetch")
    void rotationOnTheSystemClockRejectsOnlyWithinTheCooldown(TestIssuer issuer) throws Exception {
        String zone = "zone-rotate-system-clock";
        Duration cooldown = Duration.ofSeconds(1);
        Clock systemClock = Clock.systemUTC();
        JwksCache cache = JwksCache.builder().clock(systemClock).refetchCooldown(cooldown)
                .fetchTimeout(Duration.ofSeconds(10)).build();
        MandateVerifier verifier = MandateVerifier.builder()
                .issuer(issuer.url()).audience(issuer.audience()).zoneId(zone)
                .revocations(issuer.revocations()).clock(issuer.clock())
                .jwksCache(cache)
                .build();
        List<String> oldTokens = mint(issuer, zone, OLD_TOKENS);
        assertThat(verifier.authenticate(oldTokens.get(0))).isOk();
        // The cooldown runs from the start of the fetch attempt, which lies before this instant, so
        // cooldownEnds is at or after the true end: a rejection is only counted false when it surely is.
        Instant cooldownEnds = systemClock.instant().plus(cooldown);
        Tally tally = new Tally();
        RotatingTraffic rotation = new RotatingTraffic(issuer, zone, verifier, oldTokens, systemClock, tally,
                (kindIsNew, startedAt) -> kindIsNew && startedAt.isBefore(cooldownEnds));

        try (Traffic traffic = Traffic.start(CALLERS, rotation::call)) {
            Thread.sleep(100);
            Instant rotatedAt = rotation.rotate();
            Eventually.waitUntil(PHASE_WAIT, "new-kid calls after the cooldown", () -> tally.newOk.get() >= CALLS_PER_PHASE);
            traffic.stop();
            log.info("rotation [system clock]: rotated {} ms after the last fetch, cooldown {} ms; {} {} jwksRequests={}",
                    Duration.between(cooldownEnds.minus(cooldown), rotatedAt).toMillis(), cooldown.toMillis(),
                    traffic.summary(), tally, issuer.jwks().requests(zone));
            assertThat(traffic.thrown()).isEmpty();
            assertThat(traffic.outcomes().keySet()).isSubsetOf("ok", "invalid_token");
        }

        assertThat(tally.falseRejections.get()).as("false rejections").isZero();
        assertThat(tally.oldOk.get()).isPositive();
        assertThat(tally.newOk.get()).as("new-kid mandates accepted after the cooldown").isPositive();
        assertThat(issuer.jwks().requests(zone)).isEqualTo(2);
    }

    /** Decides whether a rejection is one the spec allows. */
    @FunctionalInterface
    private interface Allowance {
        boolean allows(boolean newKid, Instant startedAt);
    }

    /** Counters of one rotation run. */
    private static final class Tally {
        final AtomicInteger oldOk = new AtomicInteger();
        final AtomicInteger newOk = new AtomicInteger();
        final AtomicInteger allowedRejections = new AtomicInteger();
        final AtomicInteger falseRejections = new AtomicInteger();
        final AtomicReference<Instant> firstNewKidCall = new AtomicReference<>();
        final AtomicReference<Instant> firstNewKidOk = new AtomicReference<>();

        @Override
        public String toString() {
            return "oldKidOk=" + oldOk + " newKidOk=" + newOk + " rejectionsWithinCooldown=" + allowedRejections
                    + " falseRejections=" + falseRejections + " firstNewKidCall=" + firstNewKidCall
                    + " firstNewKidOk=" + firstNewKidOk;
        }
    }

    /**
     * Before {@link #rotate()} every call verifies an old-key mandate; afterwards calls alternate between
     * old-key mandates and freshly minted new-key ones. Each rejection is classified by the
     * {@link Allowance}, judged on the clock reading taken before the call.
     */
    private static final class RotatingTraffic {
        private final TestIssuer issuer;
        private final String zone;
        private final MandateVerifier verifier;
        private final List<String> oldTokens;
        private final Clock clock;
        private final Tally tally;
        private final Allowance allowance;
        private volatile boolean rotated;

        RotatingTraffic(TestIssuer issuer, String zone, MandateVerifier verifier, List<String> oldTokens, Clock clock,
                        Tally tally, Allowance allowance) {
            this.issuer = issuer;
            this.zone = zone;
            this.verifier = verifier;
            this.oldTokens = oldTokens;
            this.clock = clock;
            this.tally = tally;
            this.allowance = allowance;
        }

        /** @return when the new key started signing, on this traffic's clock */
        Instant rotate() {
            issuer.rotateKey(zone);
            rotated = true;
            return clock.instant();
        }

        AuthResult call(int caller, int iteration) {
            boolean newKid = rotated && iteration % 2 == 1;
            String token = newKid ? mintIn(issuer, zone).sign() : oldTokens.get((caller * 31 + iteration) % oldTokens.size());
            Instant startedAt = clock.instant();
            AuthResult result = verifier.authenticate(token);
            if (newKid) {
                tally.firstNewKidCall.accumulateAndGet(startedAt, KeyRotationUnderTrafficTest::earlier);
                if (result.ok()) {
                    tally.firstNewKidOk.accumulateAndGet(startedAt, KeyRotationUnderTrafficTest::earlier);
                }
            }
            if (result.ok()) {
                (newKid ? tally.newOk : tally.oldOk).incrementAndGet();
            } else if (allowance.allows(newKid, startedAt)) {
                tally.allowedRejections.incrementAndGet();
            } else {
                tally.falseRejections.incrementAndGet();
            }
            return result;
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static List<String> mint(TestIssuer issuer, String zone, int count) {
        return Stream.generate(() -> mintIn(issuer, zone).sign()).limit(count).toList();
    }

    private static MandateBuilder mintIn(TestIssuer issuer, String zone) {
        return issuer.mint().zoneId(zone).zoneKey(zone);
    }
}
