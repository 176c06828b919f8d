package ai.caracal.revocation.redis;

import static ai.caracal.revocation.redis.RedisForTests.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.testkit.Eventually;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Redis store's plain rows (state.md §9.2) on the shared server. Every test writes under its own
 * random key prefix, or a random anchor or zone under the default prefix, and deletes what it wrote.
 * The store's traffic is observed with a {@link CommandLog} on the client it uses; raw reads and writes
 * go through a second, unobserved client.
 */
class RedisRevocationStoreTest {

    private static final CommandLog commands = new CommandLog();
    private static RedisClient observedClient;
    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> observed;
    private static RedisCommands<String, String> redis;

    private String prefix;
    private final List<String> defaultPrefixKeys = new ArrayList<>();

    @BeforeAll
    static void connect() {
        observedClient = RedisForTests.client(RedisForTests.sharedUri());
        observedClient.addListener(commands);
        observed = observedClient.connect();
        adminClient = RedisForTests.client(RedisForTests.sharedUri());
        redis = adminClient.connect().sync();
    }

    @AfterAll
    static void disconnect() {
        observedClient.shutdown();
        adminClient.shutdown();
    }

    @BeforeEach
    void freshPrefix() {
        prefix = unique("caracal-test") + ":";
        commands.clear();
    }

    @AfterEach
    void deleteKeys() {
        List<String> keys = new ArrayList<>(defaultPrefixKeys);
        ScanIterator.scan(redis, ScanArgs.Builder.matches(prefix + "*").limit(500)).forEachRemaining(keys::add);
        if (!keys.isEmpty()) {
            redis.del(keys.toArray(String[]::new));
        }
    }

    private RedisRevocationStore.Builder builder() {
        // A roomy timeout: these rows are not about timeouts, and the shared server may be busy.
        return RedisRevocationStore.builder().connection(observed).commandTimeout(Duration.ofSeconds(2))
                .warnOnUnsafeEviction(false);
    }

    private RedisRevocationStore store() {
        return builder().keyPrefix(prefix).build();
    }

    @Test
    @DisplayName("S15 revoke(a) writes 1 at caracal:revoked:sessions:<a> with a 24 h TTL")
    void revokeWritesOneUnderTheDefaultPrefixForTheDefaultTtl() {
        String anchor = unique("sid-1");
        String key = "caracal:revoked:sessions:" + anchor;
        defaultPrefixKeys.add(key);
        try (RedisRevocationStore store = builder().build()) {
            store.revoke(anchor);
        }
        assertThat(redis.get(key)).isEqualTo("1");
        assertThat(redis.pttl(key)).isBetween(86_400_000L - 60_000L, 86_400_000L);
    }

    @Test
    @DisplayName("S16 keyPrefix(rev:) and revoke(a, 456 ms) send SET rev:<a> 1 PX 456")
    void revokeWithPrefixAndTtlSendsOneSetWithPx() {
        String anchor = unique("sid-1");
        defaultPrefixKeys.add("rev:" + anchor);
        try (RedisRevocationStore store = builder().keyPrefix("rev:").build()) {
            store.revoke(anchor, Duration.ofMillis(456));
        }
        assertThat(commands.sent()).containsExactly("SET rev:" + anchor + " 1 PX 456");
        // revoke() returned, so Redis answered OK. Reading the key back would race its 456 ms on a loaded
        // machine; that it goes by itself shows the expiry was set.
        Eventually.waitUntil(Duration.ofSeconds(30), "the revocation to expire", () -> redis.exists("rev:" + anchor) == 0);
    }

    @Test
    @DisplayName("S17 isRevoked: key absent, 1, yes -> false, true, true")
    void anyValueMeansRevoked() {
        try (RedisRevocationStore store = store()) {
            assertThat(store.isRevoked("absent")).isFalse();
            redis.set(prefix + "one", "1");
            assertThat(store.isRevoked("one")).isTrue();
            redis.set(prefix + "yes", "yes");
            assertThat(store.isRevoked("yes")).isTrue();
        }
    }

    @Test
    @DisplayName("S18 isRevoked(\"\") is false and sends no command")
    void emptyAnchorIsNotRevokedAndSendsNothing() {
        try (RedisRevocationStore store = store()) {
            assertThat(store.isRevoked("")).isFalse();
            assertThat(store.isRevoked(null)).isFalse();
            store.revoke("");
            store.revoke(null, Duration.ofSeconds(1));
            assertThat(store.check(List.of(), "")).isEqualTo(RevocationCheck.CLEAR);
            assertThat(store.currentDelegationEpoch(" ")).isZero();
        }
        assertThat(commands.sent()).isEmpty();
    }

    @Test
    @DisplayName("S23 check with a blank zone: MGET of the anchors only, epoch 0")
    void checkWithBlankZoneGetsOnlyTheAnchors() {
        try (RedisRevocationStore store = store()) {
            store.revoke("b");
            commands.clear();
            assertThat(store.check(List.of("a", "b"), "")).isEqualTo(new RevocationCheck(true, 0));
            assertThat(store.check(List.of("a"), null)).isEqualTo(RevocationCheck.CLEAR);
            assertThat(store.check(List.of("a"), "  ")).isEqualTo(RevocationCheck.CLEAR);
        }
        assertThat(commands.sent()).containsExactly(
                "MGET " + prefix + "a " + prefix + "b",
                "MGET " + prefix + "a",
                "MGET " + prefix + "a");
    }

    @Test
    @DisplayName("check: any revoked anchor, and the zone's epoch, in one MGET")
    void checkReportsAnyRevokedAnchorAndTheEpoch() {
        try (RedisRevocationStore store = store()) {
            store.revoke("b");
            store.advanceDelegationEpoch("z", 3);
            commands.clear();
            assertThat(store.check(List.of("a", "b"), "z")).isEqualTo(new RevocationCheck(true, 3));
            assertThat(store.check(List.of("a", "c"), "z")).isEqualTo(new RevocationCheck(false, 3));
            assertThat(store.check(List.of("a"), "unknown")).isEqualTo(RevocationCheck.CLEAR);
            assertThat(store.check(List.of(), "z")).isEqualTo(new RevocationCheck(false, 3));
        }
        assertThat(commands.sent()).hasSize(4).allMatch(command -> command.startsWith("MGET "));
    }

    @ParameterizedTest(name = "stored {0}")
    @ValueSource(strings = {"nan", "-3", "0", "99999999999999999999", "", " 7", "+7", "1e3"})
    @DisplayName("S24 a stored epoch that is not a positive 64-bit decimal reads as 0")
    void garbageEpochReadsAsZero(String stored) {
        redis.set(prefix + "delegation-epoch:zone1", stored);
        try (RedisRevocationStore store = store()) {
            assertThat(store.currentDelegationEpoch("zone1")).isZero();
            assertThat(store.check(List.of("a"), "zone1")).isEqualTo(RevocationCheck.CLEAR);
        }
    }

    @Test
    @DisplayName("S24 the largest stored epoch, with leading zeros, still reads")
    void largestEpochReads() {
        redis.set(prefix + "delegation-epoch:zone1", "009223372036854775807");
        try (RedisRevocationStore store = store()) {
            assertThat(store.currentDelegationEpoch("zone1")).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    @DisplayName("S25 advance 7 then 6: 7 stays at caracal:revoked:sessions:delegation-epoch:<zone>")
    void epochIsRaisedButNeverLowered() {
        String zone = unique("zone1");
        String key = "caracal:revoked:sessions:delegation-epoch:" + zone;
        defaultPrefixKeys.add(key);
        try (RedisRevocationStore store = builder().build()) {
            assertThat(store.advanceDelegationEpoch(zone, 7)).isTrue();
            assertThat(redis.get(key)).isEqualTo("7");
            assertThat(redis.pttl(key)).isBetween(86_400_000L - 60_000L, 86_400_000L);
            assertThat(store.advanceDelegationEpoch(zone, 6)).isFalse();
            assertThat(redis.get(key)).isEqualTo("7");
            assertThat(store.currentDelegationEpoch(zone)).isEqualTo(7);
        }
    }

    @Test
    @DisplayName("S26 50 threads advancing random epochs in 1..1000: the maximum wins")
    void concurrentAdvancesKeepTheMaximum() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(50);
        try (RedisRevocationStore first = store();
             RedisRevocationStore second = builder().keyPrefix(prefix).connection(adminClient.connect()).build()) {
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger raised = new AtomicInteger();
            List<Future<Integer>> maxima = new ArrayList<>();
            for (int t = 0; t < 50; t++) {
                RedisRevocationStore store = t % 2 == 0 ? first : second;
                maxima.add(threads.submit(() -> {
                    start.await();
                    int max = 0;
                    for (int i = 0; i < 20; i++) {
                        int epoch = ThreadLocalRandom.current().nextInt(1, 1001);
                        max = Math.max(max, epoch);
                        if (store.advanceDelegationEpoch("zone1", epoch)) {
                            raised.incrementAndGet();
                        }
                    }
                    return max;
                }));
            }
            start.countDown();
            int expected = 0;
            for (Future<Integer> max : maxima) {
                expected = Math.max(expected, max.get(60, TimeUnit.SECONDS));
            }
            assertThat(redis.get(prefix + "delegation-epoch:zone1")).isEqualTo(Integer.toString(expected));
            assertThat(first.currentDelegationEpoch("zone1")).isEqualTo(expected);
            assertThat(raised.get()).isBetween(1, 1000);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    @DisplayName("S27 stored 0010, advance 9: false (normalised compare: 10 > 9)")
    void storedEpochIsComparedNormalised() {
        redis.set(prefix + "delegation-epoch:zone1", "0010");
        try (RedisRevocationStore store = store()) {
            assertThat(store.advanceDelegationEpoch("zone1", 9)).isFalse();
            assertThat(store.advanceDelegationEpoch("zone1", 10)).isFalse();
            assertThat(redis.get(prefix + "delegation-epoch:zone1")).isEqualTo("0010");
            assertThat(store.currentDelegationEpoch("zone1")).isEqualTo(10);
            assertThat(store.advanceDelegationEpoch("zone1", 11)).isTrue();
            assertThat(redis.get(prefix + "delegation-epoch:zone1")).isEqualTo("11");
        }
    }

    @ParameterizedTest(name = "S66 revoke(\"{0}\") after the epoch reached 50: IllegalArgumentException, no command, epoch 50")
    @ValueSource(strings = {"delegation-epoch:zone-1", "consumer-policy:caracal.sessions.revoke:resource-revocation"})
    void reservedAnchorsNeverReachRedis(String anchor) {
        redis.set(prefix + "consumer-policy:caracal.sessions.revoke:resource-revocation", "signed");
        try (RedisRevocationStore store = store()) {
            assertThat(store.advanceDelegationEpoch("zone-1", 50)).isTrue();
            commands.clear();

            assertThatThrownBy(() -> store.revoke(anchor)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reserved");
            assertThatThrownBy(() -> store.revoke(anchor, Duration.ofMillis(456))).isInstanceOf(IllegalArgumentException.class);

            assertThat(commands.sent()).isEmpty();
            assertThat(store.currentDelegationEpoch("zone-1")).isEqualTo(50);
            assertThat(redis.get(prefix + "delegation-epoch:zone-1")).isEqualTo("50");
            assertThat(redis.get(prefix + "consumer-policy:caracal.sessions.revoke:resource-revocation")).isEqualTo("signed");
        }
    }

    @ParameterizedTest(name = "stored {0}")
    @ValueSource(strings = {"nan", "", "-3", "00", "7x"})
    @DisplayName("the epoch script treats a stored non-number as 0")
    void scriptTreatsGarbageAsZero(String stored) {
        redis.set(prefix + "delegation-epoch:zone1", stored);
        try (RedisRevocationStore store = store()) {
            assertThat(store.advanceDelegationEpoch("zone1", 0)).isFalse();
            assertThat(redis.get(prefix + "delegation-epoch:zone1")).isEqualTo(stored);
            assertThat(store.advanceDelegationEpoch("zone1", 1)).isTrue();
            assertThat(redis.get(prefix + "delegation-epoch:zone1")).isEqualTo("1");
        }
    }

    @Test
    @DisplayName("the epoch script compares beyond 64 bits without overflow")
    void scriptComparesArbitraryPrecision() {
        redis.set(prefix + "delegation-epoch:zone1", "99999999999999999999");
        try (RedisRevocationStore store = store()) {
            assertThat(store.advanceDelegationEpoch("zone1", Long.MAX_VALUE)).isFalse();
            assertThat(redis.get(prefix + "delegation-epoch:zone1")).isEqualTo("99999999999999999999");
        }
        redis.set(prefix + "delegation-epoch:zone2", "9223372036854775806");
        try (RedisRevocationStore store = store()) {
            assertThat(store.advanceDelegationEpoch("zone2", Long.MAX_VALUE)).isTrue();
            assertThat(store.currentDelegationEpoch("zone2")).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    @DisplayName("S28 advance with a blank zone or a negative epoch: false, no command")
    void blankZoneOrNegativeEpochSendsNothing() {
        try (RedisRevocationStore store = store()) {
            assertThat(store.advanceDelegationEpoch("", 7)).isFalse();
            assertThat(store.advanceDelegationEpoch(" ", 7)).isFalse();
            assertThat(store.advanceDelegationEpoch(null, 7)).isFalse();
            assertThat(store.advanceDelegationEpoch("zone1", -1)).isFalse();
        }
        assertThat(commands.sent()).isEmpty();
        assertThat(redis.exists(prefix + "delegation-epoch:zone1")).isZero();
    }

    @Test
    @DisplayName("an equal epoch does not refresh the TTL; a higher one does")
    void equalAdvanceLeavesTheTtl() {
        try (RedisRevocationStore store = store()) {
            assertThat(store.advanceDelegationEpoch("zone1", 9, Duration.ofSeconds(30))).isTrue();
            assertThat(store.advanceDelegationEpoch("zone1", 9, Duration.ofHours(1))).isFalse();
            assertThat(redis.pttl(prefix + "delegation-epoch:zone1")).isBetween(1L, 30_000L);
            assertThat(store.advanceDelegationEpoch("zone1", 10, Duration.ofHours(1))).isTrue();
            assertThat(redis.pttl(prefix + "delegation-epoch:zone1")).isGreaterThan(30_000L);
        }
    }

    @Test
    @DisplayName("re-revoking re-arms the TTL; null, zero and negative TTLs use the default")
    void ttlRules() {
        try (RedisRevocationStore store = builder().keyPrefix(prefix).defaultTtl(Duration.ofMinutes(5)).build()) {
            store.revoke("a", Duration.ofSeconds(1));
            store.revoke("a", Duration.ofHours(1));
            assertThat(redis.pttl(prefix + "a")).isGreaterThan(3_000_000L);
            store.revoke("b", null);
            store.revoke("c", Duration.ZERO);
            store.revoke("d", Duration.ofSeconds(-5));
            for (String anchor : List.of("b", "c", "d")) {
                assertThat(redis.pttl(prefix + anchor)).isBetween(240_000L, 300_000L);
            }
        }
        try (RedisRevocationStore store = builder().keyPrefix(prefix).defaultTtl(Duration.ZERO).build()) {
            store.revoke("e");
            assertThat(redis.pttl(prefix + "e")).isBetween(86_400_000L - 60_000L, 86_400_000L);
        }
    }

    @Test
    @DisplayName("the builder needs exactly one client or connection")
    void builderNeedsExactlyOneSource() {
        assertThatThrownBy(() -> RedisRevocationStore.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client(...) or connection(...)");
        assertThatThrownBy(() -> RedisRevocationStore.builder().connection(observed).client(observedClient).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> RedisRevocationStore.builder().keyPrefix(null))
                .isInstanceOf(NullPointerException.class).hasMessage("keyPrefix");
    }

    @Test
    @DisplayName("closing a store built on the caller's connection leaves the connection open")
    void callerConnectionIsNeverClosed() {
        RedisRevocationStore store = store();
        store.close();
        store.close();
        assertThat(observed.isOpen()).isTrue();
        assertThat(observed.sync().ping()).isEqualTo("PONG");
        assertThat(store.isRevoked("a")).isTrue();
        assertThatThrownBy(() -> store.revoke("a")).isInstanceOf(ai.caracal.revocation.RevocationStoreException.class)
                .hasMessageContaining("closed");
    }
}
