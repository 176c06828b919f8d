package ai.caracal.revocation.redis;

import static ai.caracal.revocation.redis.TestProducer.fields;
import static ai.caracal.revocation.redis.TestProducer.publish;
import static ai.caracal.testkit.Eventually.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.testkit.TcpFaultProxy;
import ai.caracal.testkit.logging.LogCapture;
import ch.qos.logback.classic.Level;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * state.md S71, a silent Redis peer: the connections of the store and of a consumer stay open but nothing
 * comes back on them, as when the Redis host vanished without a reset (or froze), while new connections
 * reach Redis. Made by {@link TcpFaultProxy#silence()} between both and a real Redis; the revocations are
 * published straight to Redis, as the STS would. The store's default 250 ms command time-out and the
 * consumer's default 2 s block are used, and the client keeps Lettuce's default 60 s {@code RedisURI}
 * time-out, so a connect that reaches a silent server is bounded by the library, not by the test.
 *
 * <p>Without S71 the old connections would stay in use until TCP gives up (about 15 minutes): every
 * check would fail closed and no revocation would be applied for that long. The bound of 15 s is the
 * spec's; the measured times are printed.
 */
@Tag("slow")
class SilentRedisPeerTest {

    /** state.md S71: detected, reconnected and recovered within this. */
    private static final Duration S71_BOUND = Duration.ofSeconds(15);
    private static final String ZONE = "zone-silent";

    private TcpFaultProxy proxy;
    private RedisClient client;
    private RedisRevocationStore store;
    private TestStreams streams;
    private String stream;
    private ConsumerRunner runner;

    @BeforeEach
    void start() {
        RedisURI redis = RedisForTests.sharedUri();
        proxy = TcpFaultProxy.start(redis.getHost(), redis.getPort());
        client = RedisForTests.client(RedisURI.builder(redis).withHost(proxy.host()).withPort(proxy.port()).build());
        store = RedisRevocationStore.builder().client(client).keyPrefix(RedisForTests.unique("caracal:silent") + ":")
                .warnOnUnsafeEviction(false).build();
        RedisForTests.awaitUsable(store);
        streams = TestStreams.shared();
        stream = streams.newStream("caracal.sessions.revoke.silent");
        runner = ConsumerRunner.builder().add(RedisRevocationConsumer.builder().client(client).store(store)
                .consumer("silent-1").stream(stream).group(TestStreams.newGroup()).build()).build();
        runner.start();
        waitUntil(S71_BOUND, "the consumer polls through the proxy", () -> runner.lastSuccessfulPoll().isAfter(Instant.EPOCH));
        String before = RedisForTests.unique("sid-before");
        revokeAtTheSource(before);
        waitUntil(S71_BOUND, "a revocation applied through the proxy", () -> revoked(before));
    }

    @AfterEach
    void stop() {
        runner.close();
        store.close();
        client.shutdown();
        streams.close();
        proxy.close();
    }

    @Test
    @DisplayName("S71 the open connections go silent: the store and the consumer drop them, reconnect and "
            + "recover within 15 s")
    void silentConnectionsAreReplaced() {
        int acceptedBefore = proxy.acceptedConnections();
        try (LogCapture logs = LogCapture.of(RedisRevocationStore.class, Level.DEBUG)) {
            long silenced = System.nanoTime();
            assertThat(proxy.silence()).as("the store's and the consumer's connections").isGreaterThanOrEqualTo(2);
            String during = RedisForTests.unique("sid-silent");
            revokeAtTheSource(during);

            long detected = awaitCheckFailedClosed();
            long recovered = awaitCheckAnswered();
            waitUntil(S71_BOUND, "the revocation published while silent is applied", () -> revoked(during));
            long applied = System.nanoTime();

            System.out.printf("S71 silent peer: store failed closed after %d ms, answered again after %d ms; "
                    + "consumer applied the revocation after %d ms%n", millis(silenced, detected),
                    millis(silenced, recovered), millis(silenced, applied));
            assertThat(Duration.ofNanos(recovered - silenced)).isLessThan(S71_BOUND);
            assertThat(Duration.ofNanos(applied - silenced)).isLessThan(S71_BOUND);
            assertThat(proxy.acceptedConnections()).as("new connections for the store and the consumer")
                    .isGreaterThanOrEqualTo(acceptedBefore + 2);
            assertThat(logs.at(Level.WARN)).anyMatch(line -> line.contains("did not answer 3 commands in a row"));
        }
    }

    @Test
    @DisplayName("S71 Redis vanishes without a reset (blackhole), then comes back for new connections only: "
            + "checks and revocations recover within 15 s of its return")
    void vanishedRedisIsUsedAgainSoonAfterItReturns() throws InterruptedException {
        proxy.blackhole();
        awaitCheckFailedClosed();
        waitUntil(S71_BOUND, "the consumer notices", () -> runner.lastError().isPresent());
        // Long enough for the runner's back-off to reach its cap and for connects to hang on the silent server.
        long outageEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
        while (System.nanoTime() < outageEnd) {
            assertThat(store.check(List.of("probe"), ZONE)).isEqualTo(RevocationCheck.FAILED_CLOSED);
            Thread.sleep(100);
        }
        String during = RedisForTests.unique("sid-vanished");
        revokeAtTheSource(during);

        long back = System.nanoTime();
        proxy.silence();
        long recovered = awaitCheckAnswered();
        waitUntil(S71_BOUND, "the revocation published during the outage is applied", () -> revoked(during));
        long applied = System.nanoTime();

        System.out.printf("S71 vanished and back: store answered again %d ms after Redis returned; consumer applied "
                + "the revocation after %d ms%n", millis(back, recovered), millis(back, applied));
        assertThat(Duration.ofNanos(recovered - back)).isLessThan(S71_BOUND);
        assertThat(Duration.ofNanos(applied - back)).isLessThan(S71_BOUND);
    }

    private void revokeAtTheSource(String sid) {
        publish(streams.redis, stream, fields("zone_id", ZONE, "session_id", sid, "reason", "grant_revoked"));
    }

    private boolean revoked(String sid) {
        RevocationCheck check = store.check(List.of(sid), ZONE);
        return check.revoked() && !check.unavailable();
    }

    /** @return when a check first failed closed (the store no longer hears Redis) */
    private long awaitCheckFailedClosed() {
        long[] at = new long[1];
        waitUntil(S71_BOUND, "a check fails closed", () -> {
            boolean failed = store.check(List.of("probe"), ZONE).unavailable();
            at[0] = System.nanoTime();
            return failed;
        });
        return at[0];
    }

    /** @return when a check was first answered by Redis again */
    private long awaitCheckAnswered() {
        long[] at = new long[1];
        waitUntil(S71_BOUND.plusSeconds(15), "a check is answered by Redis", () -> {
            boolean answered = !store.check(List.of("probe"), ZONE).unavailable();
            at[0] = System.nanoTime();
            return answered;
        });
        return at[0];
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
