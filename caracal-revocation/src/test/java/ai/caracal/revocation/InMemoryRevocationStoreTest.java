package ai.caracal.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** state.md §9.1, S1–S14, S66, plus the concurrency promises of §2. */
class InMemoryRevocationStoreTest {

    private final MutableClock clock = new MutableClock();
    private final InMemoryRevocationStore store = InMemoryRevocationStore.builder().clock(clock).build();

    @Test
    @DisplayName("S1 a revocation lives exactly 24 h by default and is reaped when read after expiry")
    void defaultTtlIs24HoursAndExpiryIsLazy() {
        store.revoke("a");
        clock.advance(Duration.ofHours(24).minusMillis(1));
        assertThat(store.isRevoked("a")).isTrue();

        clock.advance(Duration.ofMillis(1));
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.isRevoked("a")).isFalse();
        assertThat(store.size()).isZero();
    }

    @Test
    @DisplayName("S2 an explicit TTL overrides the default")
    void explicitTtlOverridesDefault() {
        store.revoke("a", Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.isRevoked("a")).isFalse();
    }

    @ParameterizedTest(name = "S3 ttl {0} means the 24 h default")
    @NullSource
    @ValueSource(strings = {"PT0S", "PT-5S"})
    void nullZeroOrNegativeTtlMeansDefault(String ttl) {
        store.revoke("a", ttl == null ? null : Duration.parse(ttl));
        clock.advance(Duration.ofHours(24).minusMillis(1));
        assertThat(store.isRevoked("a")).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(store.isRevoked("a")).isFalse();
    }

    @Test
    @DisplayName("S4 re-revoking re-arms the expiry")
    void reRevokingReArmsExpiry() {
        store.revoke("a", Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(500));
        store.revoke("a", Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(700));
        assertThat(store.isRevoked("a")).isTrue();
    }

    @Test
    @DisplayName("S5 empty and null anchors are never revoked and never stored")
    void blankAnchorsAreIgnored() {
        store.revoke("");
        store.revoke(null);
        assertThat(store.isRevoked("")).isFalse();
        assertThat(store.isRevoked(null)).isFalse();
        assertThat(store.size()).isZero();
    }

    @Test
    @DisplayName("S6 a full store refuses a new anchor and keeps the existing ones")
    void fullStoreRefusesNewAnchor() {
        InMemoryRevocationStore small = InMemoryRevocationStore.builder().clock(clock).maxEntries(2).build();
        small.revoke("a");
        small.revoke("b");
        assertThatThrownBy(() -> small.revoke("c"))
                .isInstanceOf(RevocationStoreFullException.class)
                .isInstanceOf(RevocationStoreException.class)
                .hasMessageContaining("capacity exceeded");
        assertThat(small.isRevoked("a")).isTrue();
        assertThat(small.isRevoked("b")).isTrue();
        assertThat(small.isRevoked("c")).isFalse();
    }

    @Test
    @DisplayName("S7 a full store reaps expired entries to make room")
    void fullStoreReapsExpiredEntries() {
        InMemoryRevocationStore small = InMemoryRevocationStore.builder().clock(clock).maxEntries(2).build();
        small.revoke("a", Duration.ofSeconds(1));
        small.revoke("b", Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        small.revoke("c");
        assertThat(small.size()).isEqualTo(1);
        assertThat(small.isRevoked("c")).isTrue();
    }

    @Test
    @DisplayName("S8 a full store still re-arms an existing anchor")
    void fullStoreAllowsReRevokingExistingAnchor() {
        InMemoryRevocationStore small = InMemoryRevocationStore.builder().clock(clock).maxEntries(2).build();
        small.revoke("a", Duration.ofSeconds(1));
        small.revoke("b");
        clock.advance(Duration.ofMillis(900));
        small.revoke("a", Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(900));
        assertThat(small.isRevoked("a")).isTrue();
        assertThat(small.size()).isEqualTo(2);
    }

    @Test
    @DisplayName("S9 epochs only go up")
    void epochsAreMonotonic() {
        assertThat(store.currentDelegationEpoch("z")).isZero();
        assertThat(store.advanceDelegationEpoch("z", 5)).isTrue();
        assertThat(store.advanceDelegationEpoch("z", 4)).isFalse();
        assertThat(store.advanceDelegationEpoch("z", 5)).isFalse();
        assertThat(store.currentDelegationEpoch("z")).isEqualTo(5);
    }

    @Test
    @DisplayName("S10 an expired epoch reads as 0")
    void expiredEpochReadsAsZero() {
        store.advanceDelegationEpoch("z", 6, Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.currentDelegationEpoch("z")).isZero();
    }

    @Test
    @DisplayName("S11 an equal epoch write does not refresh the TTL")
    void equalEpochDoesNotRefreshTtl() {
        store.advanceDelegationEpoch("z", 9);
        clock.advance(Duration.ofHours(23));
        assertThat(store.advanceDelegationEpoch("z", 9)).isFalse();
        clock.advance(Duration.ofHours(2));
        assertThat(store.currentDelegationEpoch("z")).isZero();
    }

    @Test
    @DisplayName("S12 reaping anchors leaves epochs alone")
    void reapingAnchorsKeepsEpochs() {
        store.advanceDelegationEpoch("z", 9);
        store.revoke("a", Duration.ofSeconds(1));
        store.revoke("b", Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        store.isRevoked("a");
        store.isRevoked("b");
        assertThat(store.size()).isZero();
        assertThat(store.currentDelegationEpoch("z")).isEqualTo(9);
    }

    @Test
    @DisplayName("S13 blank zones and negative epochs are refused without a write")
    void blankZoneAndNegativeEpochAreRefused() {
        assertThat(store.advanceDelegationEpoch("", 7)).isFalse();
        assertThat(store.advanceDelegationEpoch("z", -1)).isFalse();
        assertThat(store.currentDelegationEpoch("")).isZero();
        assertThat(store.currentDelegationEpoch("z")).isZero();
    }

    @Test
    @DisplayName("S14 check combines anchors and the zone epoch")
    void checkCombinesAnchorsAndEpoch() {
        store.revoke("b");
        store.advanceDelegationEpoch("z", 3);
        assertThat(store.check(List.of("a", "b"), "z")).isEqualTo(new RevocationCheck(true, 3));
        assertThat(store.check(List.of("a"), "z")).isEqualTo(new RevocationCheck(false, 3));
        assertThat(store.check(List.of("a"), "")).isEqualTo(RevocationCheck.CLEAR);
    }

    @Test
    @DisplayName("S72 checkEach answers every query as check does, in order")
    void checkEachAnswersEveryQueryInOrder() {
        store.revoke("b");
        store.advanceDelegationEpoch("z", 3);
        assertThat(store.checkEach(List.of(new RevocationQuery(List.of("a", "b"), "z"),
                new RevocationQuery(List.of("a"), "z"), new RevocationQuery(List.of("a"), null),
                new RevocationQuery(List.of(), "other"))))
                .containsExactly(new RevocationCheck(true, 3), new RevocationCheck(false, 3), RevocationCheck.CLEAR,
                        RevocationCheck.CLEAR);
        assertThat(store.checkEach(List.of())).isEmpty();
    }

    @ParameterizedTest(name = "S66 revoke(\"{0}\") throws IllegalArgumentException and writes nothing")
    @ValueSource(strings = {"delegation-epoch:zone-1", "delegation-epoch:", "consumer-policy:caracal.sessions.revoke:g"})
    void reservedAnchorsAreRefused(String anchor) {
        store.advanceDelegationEpoch("zone-1", 50);

        assertThatThrownBy(() -> store.revoke(anchor)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> store.revoke(anchor, Duration.ofSeconds(5))).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.size()).isZero();
        assertThat(store.isRevoked(anchor)).isFalse();
        assertThat(store.currentDelegationEpoch("zone-1")).isEqualTo(50);
    }

    @ParameterizedTest(name = "S66 \"{0}\" is not reserved")
    @ValueSource(strings = {"0193a4c2-7e1f-7c3a-9d2b-5f6e7a8b9c0d", "delegation-epoch", "Delegation-Epoch:z", "x-delegation-epoch:z"})
    void onlyTheReservedPrefixesAreRefused(String anchor) {
        store.revoke(anchor);
        assertThat(store.isRevoked(anchor)).isTrue();
        assertThat(RevocationStore.isReservedAnchor(anchor)).isFalse();
    }

    @Test
    @DisplayName("a raised epoch that expired can be written again at a lower value")
    void expiredEpochCanBeReplacedByLowerOne() {
        store.advanceDelegationEpoch("z", 9, Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        assertThat(store.advanceDelegationEpoch("z", 2)).isTrue();
        assertThat(store.currentDelegationEpoch("z")).isEqualTo(2);
    }

    @Test
    @DisplayName("concurrent writers never push the store past its capacity")
    void capacityHoldsUnderConcurrentWriters() throws Exception {
        int capacity = 500;
        InMemoryRevocationStore bounded = InMemoryRevocationStore.builder().clock(clock).maxEntries(capacity).build();
        AtomicInteger refused = new AtomicInteger();
        runConcurrently(8, 200, (thread, i) -> {
            try {
                bounded.revoke("t" + thread + "-" + i);
            } catch (RevocationStoreFullException e) {
                refused.incrementAndGet();
            }
        });
        assertThat(bounded.size()).isEqualTo(capacity);
        assertThat(refused.get()).isEqualTo(8 * 200 - capacity);
    }

    @Test
    @DisplayName("concurrent epoch writers leave the maximum")
    void concurrentEpochWritersLeaveTheMaximum() throws Exception {
        AtomicInteger raised = new AtomicInteger();
        runConcurrently(8, 1000, (thread, i) -> {
            if (store.advanceDelegationEpoch("z", i * 8L + thread)) {
                raised.incrementAndGet();
            }
        });
        assertThat(store.currentDelegationEpoch("z")).isEqualTo(999 * 8L + 7);
        assertThat(raised.get()).isPositive();
    }

    private interface Work {
        void run(int thread, int iteration);
    }

    private static void runConcurrently(int threads, int iterations, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < iterations; i++) {
                        work.run(thread, i);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
