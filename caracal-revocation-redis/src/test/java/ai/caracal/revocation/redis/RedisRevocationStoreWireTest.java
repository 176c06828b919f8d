package ai.caracal.revocation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationQuery;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Exactly what the store sends, on a server owned by this class so that {@code INFO commandstats} counts
 * nothing but this test's traffic (and the literal keys of the spec can be used).
 */
class RedisRevocationStoreWireTest {

    private static RedisForTests.OwnedRedis server;
    private static RedisClient observedClient;
    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> observed;
    private static RedisCommands<String, String> admin;
    private static final CommandLog commands = new CommandLog();

    @BeforeAll
    static void start() {
        server = RedisForTests.startOwned();
        observedClient = RedisForTests.client(server.uri());
        observedClient.addListener(commands);
        observed = observedClient.connect();
        adminClient = RedisForTests.client(server.uri());
        admin = adminClient.connect().sync();
    }

    @AfterAll
    static void stop() {
        observedClient.shutdown();
        adminClient.shutdown();
        server.close();
    }

    @BeforeEach
    void empty() {
        admin.flushall();
        admin.scriptFlush();
        commands.clear();
    }

    private static RedisRevocationStore store() {
        return RedisRevocationStore.builder().connection(observed).commandTimeout(Duration.ofSeconds(2))
                .warnOnUnsafeEviction(false).build();
    }

    @Test
    @DisplayName("S22 check with 4 anchors and a zone sends exactly one MGET of 5 keys, the epoch key last")
    void checkSendsOneMgetWithTheEpochKeyLast() {
        admin.set("caracal:revoked:sessions:a3", "1");
        admin.set("caracal:revoked:sessions:delegation-epoch:zone1", "4");
        try (RedisRevocationStore store = store()) {
            Map<String, Long> before = commandCalls();

            RevocationCheck result = store.check(List.of("a1", "a2", "a3", "a4"), "zone1");

            Map<String, Long> after = commandCalls();
            assertThat(result).isEqualTo(new RevocationCheck(true, 4));
            assertThat(commands.sent()).containsExactly("MGET caracal:revoked:sessions:a1 caracal:revoked:sessions:a2 "
                    + "caracal:revoked:sessions:a3 caracal:revoked:sessions:a4 "
                    + "caracal:revoked:sessions:delegation-epoch:zone1");
            // The server saw one MGET, plus the first INFO of this test, and nothing else.
            assertThat(delta(before, after)).isEqualTo(Map.of("mget", 1L, "info", 1L));
        }
    }

    @Test
    @DisplayName("S73 checkEach sends one MGET of the distinct keys (anchors, then each zone's epoch key once) and answers each query")
    void checkEachSendsOneMgetOfTheDistinctKeys() {
        admin.set("caracal:revoked:sessions:a2", "1");
        admin.set("caracal:revoked:sessions:delegation-epoch:zone1", "4");
        admin.set("caracal:revoked:sessions:delegation-epoch:zone2", "nan");
        try (RedisRevocationStore store = store()) {
            Map<String, Long> before = commandCalls();

            List<RevocationCheck> answers = store.checkEach(List.of(
                    new RevocationQuery(List.of("a1", "a2"), "zone1"),
                    new RevocationQuery(List.of("a1", "a3"), "zone1"),
                    new RevocationQuery(List.of("a3"), "zone2"),
                    new RevocationQuery(List.of("a2"), " "),
                    new RevocationQuery(List.of(), null)));

            Map<String, Long> after = commandCalls();
            assertThat(answers).containsExactly(new RevocationCheck(true, 4), new RevocationCheck(false, 4),
                    RevocationCheck.CLEAR, new RevocationCheck(true, 0), RevocationCheck.CLEAR);
            assertThat(commands.sent()).containsExactly("MGET caracal:revoked:sessions:a1 caracal:revoked:sessions:a2 "
                    + "caracal:revoked:sessions:delegation-epoch:zone1 caracal:revoked:sessions:a3 "
                    + "caracal:revoked:sessions:delegation-epoch:zone2");
            assertThat(delta(before, after)).isEqualTo(Map.of("mget", 1L, "info", 1L));
        }
    }

    @Test
    @DisplayName("asynchronous checks that arrive while one MGET is on the wire go together in the next MGET, each answered from its own keys")
    void concurrentAsyncChecksShareOneMget() throws Exception {
        admin.set("caracal:revoked:sessions:r7", "1");
        admin.set("caracal:revoked:sessions:delegation-epoch:zone2", "9");
        try (RedisRevocationStore store = RedisRevocationStore.builder().connection(observed)
                     .commandTimeout(Duration.ofSeconds(20)).warnOnUnsafeEviction(false).build();
             StatefulRedisConnection<String, String> busy = adminClient.connect();
             StatefulRedisConnection<String, String> probe = adminClient.connect()) {
            Map<String, Long> before = commandCalls();
            // The server runs one script for 1.5 s and answers nothing else meanwhile. Once a PING has gone
            // unanswered for 200 ms it is certainly inside the script, so the first check is on the wire
            // until the script ends, and every later one arrives while it is (they take microseconds).
            RedisFuture<Object> script = busy.async().eval(
                    "local s = redis.call('TIME') local t repeat t = redis.call('TIME') until (t[1] - s[1]) * 1000000 + (t[2] - s[2]) >= 1500000 return 1",
                    ScriptOutputType.INTEGER);
            awaitBusy(probe);
            List<CompletableFuture<RevocationCheck>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(store.checkAsync(List.of("s" + i, "r" + (i % 10)), "zone" + (i % 3)).toCompletableFuture());
            }
            script.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 40; i++) {
                assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).as("check %d", i)
                        .isEqualTo(new RevocationCheck(i % 10 == 7, i % 3 == 2 ? 9 : 0));
            }
            // 40 checks, 2 MGETs: the first, then the other 39 together. (3 if the PING was late for another
            // reason and the first check was answered before the script: the second then holds the wire.)
            Map<String, Long> delta = delta(before, commandCalls());
            assertThat(delta.get("mget")).isBetween(2L, 3L);
        }
    }

    /** Returns once a PING on {@code probe} has gone unanswered for 200 ms (the server is busy). */
    private static void awaitBusy(StatefulRedisConnection<String, String> probe) throws Exception {
        while (true) {
            RedisFuture<String> ping = probe.async().ping();
            try {
                ping.get(200, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException busyNow) {
                return;
            }
        }
    }

    @Test
    @DisplayName("checkEach of nothing, or of queries without keys, sends nothing")
    void checkEachWithoutKeysSendsNothing() {
        try (RedisRevocationStore store = store()) {
            assertThat(store.checkEach(List.of())).isEmpty();
            assertThat(store.checkEach(List.of(new RevocationQuery(List.of(""), "")))).containsExactly(RevocationCheck.CLEAR);
        }
        assertThat(commands.sent()).isEmpty();
    }

    @Test
    @DisplayName("isRevoked, revoke and currentDelegationEpoch send one GET, SET and GET")
    void singleItemOperationsSendOneCommandEach() {
        try (RedisRevocationStore store = store()) {
            store.revoke("sid-1");
            store.isRevoked("sid-1");
            store.currentDelegationEpoch("zone1");
        }
        assertThat(commands.sent()).containsExactly(
                "SET caracal:revoked:sessions:sid-1 1 PX 86400000",
                "GET caracal:revoked:sessions:sid-1",
                "GET caracal:revoked:sessions:delegation-epoch:zone1");
    }

    @Test
    @DisplayName("the epoch script runs by EVALSHA, falling back to EVAL once after NOSCRIPT")
    void epochScriptFallsBackToEvalOnNoScript() {
        try (RedisRevocationStore store = store()) {
            assertThat(store.advanceDelegationEpoch("zone1", 7, Duration.ofSeconds(60))).isTrue();
            assertThat(store.advanceDelegationEpoch("zone1", 8, Duration.ofSeconds(60))).isTrue();
        }
        List<String> sent = commands.sent();
        String args = " 1 caracal:revoked:sessions:delegation-epoch:zone1 ";
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0)).isEqualTo("EVALSHA " + Epochs.SCRIPT_SHA1 + args + "7 60000");
        assertThat(sent.get(1)).startsWith("EVAL ").endsWith(args + "7 60000");
        assertThat(sent.get(2)).isEqualTo("EVALSHA " + Epochs.SCRIPT_SHA1 + args + "8 60000");
        assertThat(admin.get("caracal:revoked:sessions:delegation-epoch:zone1")).isEqualTo("8");
        assertThat(admin.scriptExists(Epochs.SCRIPT_SHA1)).containsExactly(true);
    }

    private static Map<String, Long> commandCalls() {
        Map<String, Long> calls = new HashMap<>();
        for (String line : admin.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String stats = line.substring(line.indexOf(':') + 1);
                String count = stats.substring("calls=".length(), stats.indexOf(','));
                calls.put(name, Long.parseLong(count));
            }
        }
        return calls;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new HashMap<>();
        after.forEach((name, calls) -> {
            long change = calls - before.getOrDefault(name, 0L);
            if (change != 0) {
                delta.put(name, change);
            }
        });
        return delta;
    }
}
