package ai.caracal.revocation.redis;

import static ai.caracal.revocation.redis.RedisForTests.unique;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.testkit.TcpFaultProxy;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisRevocationStore#checkAsync} on a real Redis (connectors.md §10.1, state.md §4.3): the same
 * answers as {@code check}, in the same single {@code MGET}, sent without waiting on the caller, and the
 * same fail-closed answers when Redis cannot answer, never a failed stage.
 */
class RedisRevocationStoreAsyncTest {

    private static final long WAIT_SECONDS = 20;
    private static final CommandLog commands = new CommandLog();
    private static RedisClient observedClient;
    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> observed;
    private static RedisCommands<String, String> redis;

    private String prefix;

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
        prefix = unique("caracal-async-test") + ":";
        commands.clear();
    }

    @AfterEach
    void deleteKeys() {
        List<String> keys = new ArrayList<>();
        ScanIterator.scan(redis, ScanArgs.Builder.matches(prefix + "*").limit(500)).forEachRemaining(keys::add);
        if (!keys.isEmpty()) {
            redis.del(keys.toArray(String[]::new));
        }
    }

    @Test
    @DisplayName("checkAsync answers as check does (revoked anchor, epoch, clear, blank zone), one MGET per call")
    void sameAnswersAsCheckInOneMget() throws Exception {
        try (RedisRevocationStore store = RedisRevocationStore.builder().connection(observed).keyPrefix(prefix)
                .commandTimeout(Duration.ofSeconds(2)).warnOnUnsafeEviction(false).build()) {
            store.revoke("b");
            store.advanceDelegationEpoch("z", 3);
            List<List<String>> anchorSets = List.of(List.of("a", "b"), List.of("a", "c"), List.of("a"), List.of());
            List<String> zones = List.of("z", "unknown", "");
            for (List<String> anchors : anchorSets) {
                for (String zone : zones) {
                    RevocationCheck blocking = store.check(anchors, zone);
                    commands.clear();
                    RevocationCheck async = store.checkAsync(anchors, zone).toCompletableFuture()
                            .get(WAIT_SECONDS, TimeUnit.SECONDS);
                    assertThat(async).as("anchors %s, zone '%s'", anchors, zone).isEqualTo(blocking);
                    int expectedCommands = anchors.isEmpty() && zone.isBlank() ? 0 : 1;
                    assertThat(commands.sent()).hasSize(expectedCommands).allMatch(c -> c.startsWith("MGET "));
                }
            }
        }
    }

    @Test
    @DisplayName("the MGET is sent without waiting: while Redis is silent the stage is still open, then fails closed at the command timeout")
    void silentRedisFailsClosedWithoutBlockingTheCaller() throws Exception {
        RedisURI shared = RedisForTests.sharedUri();
        try (TcpFaultProxy proxy = TcpFaultProxy.start(shared.getHost(), shared.getPort())) {
            RedisClient client = RedisForTests.client(RedisURI.builder(shared).withHost(proxy.host()).withPort(proxy.port()).build());
            try (RedisRevocationStore closed = RedisRevocationStore.builder().client(client).keyPrefix(prefix)
                    .commandTimeout(Duration.ofMillis(300)).warnOnUnsafeEviction(false).build();
                 RedisRevocationStore open = RedisRevocationStore.builder().client(client).keyPrefix(prefix)
                    .commandTimeout(Duration.ofMillis(300)).failClosed(false).warnOnUnsafeEviction(false).build()) {
                RedisForTests.awaitUsable(closed);
                RedisForTests.awaitUsable(open);
                proxy.blackhole();

                CompletableFuture<RevocationCheck> failingClosed = closed.checkAsync(List.of("a"), "z").toCompletableFuture();
                CompletableFuture<RevocationCheck> failingOpen = open.checkAsync(List.of("a"), "z").toCompletableFuture();

                assertThat(failingClosed).isNotDone();   // the proxy forwards nothing: no answer can have come
                assertThat(failingOpen).isNotDone();
                assertThat(failingClosed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(RevocationCheck.FAILED_CLOSED);
                assertThat(failingOpen.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(RevocationCheck.CLEAR);
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    @DisplayName("no Redis at all (nothing listens): the stage completes FAILED_CLOSED, never exceptionally; after close, too")
    void unreachableOrClosedStoreFailsClosed() throws Exception {
        RedisClient client = RedisForTests.client(RedisURI.create("redis://127.0.0.1:1"));
        try {
            RedisRevocationStore store = RedisRevocationStore.builder().client(client).commandTimeout(Duration.ofMillis(200))
                    .warnOnUnsafeEviction(false).build();
            assertThat(store.checkAsync(List.of("a"), "z").toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isEqualTo(RevocationCheck.FAILED_CLOSED);
            store.close();
            assertThat(store.checkAsync(List.of("a"), "z").toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isEqualTo(RevocationCheck.FAILED_CLOSED);
        } finally {
            client.shutdown();
        }
    }
}
