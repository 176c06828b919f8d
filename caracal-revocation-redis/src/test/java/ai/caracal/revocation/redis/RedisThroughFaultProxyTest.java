package ai.caracal.revocation.redis;

import static ai.caracal.revocation.redis.TestProducer.fields;
import static ai.caracal.revocation.redis.TestProducer.publish;
import static ai.caracal.testkit.Eventually.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalAssertions;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TcpFaultProxy;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.logging.LogCapture;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.MandateVerifier;
import ch.qos.logback.classic.Level;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Network faults between the store (and the stream consumer) and a real Redis, made by a
 * {@link TcpFaultProxy} the test controls: a slow link, a silent one (blackhole), a broken one (reset and
 * refused connections), then the link healed. The same store instance must fail closed on its command
 * timeout while the link is bad, never waiting for the link, and accept again by itself once it is healed.
 */
@Tag("slow")
@CaracalTest
class RedisThroughFaultProxyTest {

    /**
     * Short, so the whole class stays quick, yet far above a healthy round trip through the proxy on a
     * loaded machine (the checks on the healthy link must not time out).
     */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /**
     * A call during a fault returns within this: far above the command timeout plus any scheduling delay,
     * far below the faults (a blackhole lasts until restored, the slow link answers after 6 s and the
     * answer would let the call pass). How close a call comes to the timeout is a performance figure,
     * not checked here.
     */
    private static final Duration FAULT_BOUND = Duration.ofSeconds(5);
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(15);

    private TcpFaultProxy proxy;
    private RedisClient client;
    private RedisRevocationStore store;
    private String keyPrefix;

    @BeforeEach
    void startProxyAndStore() {
        RedisURI redis = RedisForTests.sharedUri();
        proxy = TcpFaultProxy.start(redis.getHost(), redis.getPort());
        client = RedisForTests.client(RedisURI.builder(redis).withHost(proxy.host()).withPort(proxy.port()).build());
        keyPrefix = RedisForTests.unique("caracal:proxy-fault") + ":";
        store = storeBuilder().build();
        RedisForTests.awaitUsable(store);
    }

    @AfterEach
    void stop() {
        store.close();
        client.shutdown();
        proxy.close();
    }

    @Test
    @DisplayName("Redis slower than commandTimeout: authenticate fails closed (session_revoked) within the timeout; "
            + "after restore() the same store accepts again")
    void slowRedisFailsClosedWithinTheCommandTimeout(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().revocations(store).build();
        String token = issuer.mint().agentSession().delegationEdge().sign();
        CaracalAssertions.assertThat(verifier.authenticate(token)).isOk();

        proxy.latency(COMMAND_TIMEOUT.multipliedBy(3));

        assertFailsClosedInTime(verifier, token, "slow");
        awaitAcceptedAfterRestore(verifier, token, "slow");
    }

    @Test
    @DisplayName("blackholed Redis (connection open, nothing answered): fails closed within the timeout; "
            + "after restore() Lettuce reconnects and the same store accepts again")
    void blackholedRedisFailsClosedAndRecovers(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().revocations(store).build();
        String token = issuer.mint().agentSession().delegationEdge().sign();
        CaracalAssertions.assertThat(verifier.authenticate(token)).isOk();

        proxy.blackhole();

        assertFailsClosedInTime(verifier, token, "blackhole");
        assertFailsClosedInTime(verifier, token, "blackhole");
        awaitAcceptedAfterRestore(verifier, token, "blackhole");
    }

    @Test
    @DisplayName("reset Redis (connections reset, new ones refused): fails closed within the timeout; "
            + "after restore() Lettuce reconnects and the same store accepts again")
    void resetRedisFailsClosedAndRecovers(TestIssuer issuer) throws InterruptedException {
        MandateVerifier verifier = issuer.verifier().revocations(store).build();
        String token = issuer.mint().agentSession().delegationEdge().sign();
        CaracalAssertions.assertThat(verifier.authenticate(token)).isOk();

        proxy.reset();

        assertFailsClosedInTime(verifier, token, "reset");
        Thread.sleep(500); // refused reconnect attempts meanwhile
        assertFailsClosedInTime(verifier, token, "refused");
        awaitAcceptedAfterRestore(verifier, token, "reset");
    }

    @Test
    @DisplayName("failClosed(false), blackholed Redis: calls pass within the timeout, with one WARN, and no token in the logs")
    void failOpenLetsCallsThroughWithOneWarning(TestIssuer issuer) {
        try (LogCapture logs = LogCapture.of(RedisRevocationStore.class, Level.DEBUG);
             RedisRevocationStore open = storeBuilder().failClosed(false).build()) {
            RedisForTests.awaitUsable(open);
            MandateVerifier verifier = issuer.verifier().revocations(open).build();
            String token = issuer.mint().agentSession().delegationEdge().sign();

            proxy.blackhole();

            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                CaracalAssertions.assertThat(verifier.authenticate(token)).isOk();
                assertThat(elapsed(started)).isLessThan(FAULT_BOUND);
            }
            // The third time-out in a row also takes the peer for silent (S71) and says so in a WARN of its own.
            assertThat(logs.at(Level.WARN)).filteredOn(message -> message.contains("failing open")).hasSize(1);
            assertThat(logs.at(Level.WARN)).noneMatch(message -> message.contains(token));
        }
    }

    @Test
    @DisplayName("6 threads verifying through a blackhole: every call fails closed within the timeout, none throws, "
            + "and the thread count stays flat")
    void concurrentCallersDuringAnOutageDoNotPileUpThreads(TestIssuer issuer) throws InterruptedException {
        MandateVerifier verifier = issuer.verifier().revocations(store).build();
        String token = issuer.mint().agentSession().delegationEdge().sign();
        CaracalAssertions.assertThat(verifier.authenticate(token)).isOk();
        int callers = 6;
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failedClosed = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicLong slowest = new AtomicLong();
        Queue<Throwable> thrown = new ConcurrentLinkedQueue<>();

        proxy.blackhole();
        int before = ownThreads();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            workers.add(new Thread(() -> {
                do {
                    long started = System.nanoTime();
                    try {
                        AuthResult result = verifier.authenticate(token);
                        if (result.ok()) {
                            accepted.incrementAndGet();
                        } else if (result.error().code() == ErrorCode.SESSION_REVOKED) {
                            failedClosed.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        thrown.add(t);
                    }
                    slowest.accumulateAndGet(System.nanoTime() - started, Math::max);
                } while (running.get());
            }, "outage-caller-" + i));
        }
        int most = before;
        int reconnecting = 0;
        workers.forEach(Thread::start);
        try {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
            while (System.nanoTime() < end) {
                most = Math.max(most, ownThreads());
                reconnecting = Math.max(reconnecting, reconnectThreads());
                Thread.sleep(20);
            }
        } finally {
            running.set(false);
            for (Thread worker : workers) {
                worker.join(30_000);
                assertThat(worker.isAlive()).as("%s still in a call 30 s after the stop", worker.getName()).isFalse();
            }
        }
        System.out.printf("proxy fault: %d callers, %d calls failed closed, threads %d before, %d at most "
                        + "(callers included), slowest call %d ms%n", callers, failedClosed.get(), before, most,
                TimeUnit.NANOSECONDS.toMillis(slowest.get()));
        assertThat(thrown).isEmpty();
        assertThat(accepted).hasValue(0);
        assertThat(failedClosed.get()).isGreaterThanOrEqualTo(callers);
        assertThat(Duration.ofNanos(slowest.get())).isLessThan(FAULT_BOUND);
        // The callers themselves, and a little slack for JVM housekeeping threads: no thread per call.
        assertThat(most).isLessThanOrEqualTo(before + callers + 2);
        assertThat(reconnecting).isLessThanOrEqualTo(1 + BoundedConnect.MAX_IN_FLIGHT);
    }

    @Test
    @DisplayName("the consumer runner survives a blackhole; revocations XADDed meanwhile are applied once the link heals")
    void consumerCatchesUpOnRevocationsPublishedDuringTheOutage(TestIssuer issuer) {
        int published = 5;
        TestStreams streams = TestStreams.shared();
        String stream = streams.newStream("caracal.sessions.revoke.proxy-fault");
        List<String> sids = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < published; i++) {
            String sid = RedisForTests.unique("outage-sid-" + i);
            sids.add(sid);
            tokens.add(issuer.mint().sid(sid).sign());
        }
        MandateVerifier verifier = issuer.verifier().revocations(store).build();
        String group = TestStreams.newGroup();
        RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(client).store(store)
                .consumer("proxy-fault-1").stream(stream).group(group)
                .block(Duration.ofMillis(100)).pendingIdle(Duration.ofMillis(500)).build();
        try (ConsumerRunner runner = ConsumerRunner.builder().add(consumer).build()) {
            runner.start();
            waitUntil(RECOVERY_BOUND, "the consumer polls through the proxy", () -> runner.lastSuccessfulPoll()
                    .isAfter(Instant.EPOCH));
            tokens.forEach(token -> CaracalAssertions.assertThat(verifier.authenticate(token)).isOk());

            proxy.blackhole();
            for (String sid : sids) {
                // Straight to Redis, as the STS would: the outage is only between this server and Redis.
                publish(streams.redis, stream, fields("zone_id", issuer.zone(), "session_id", sid,
                        "reason", "grant_revoked"));
            }
            waitUntil(RECOVERY_BOUND, "a failed poll during the outage", () -> runner.lastError().isPresent());
            assertThat(runner.isRunning()).isTrue();

            proxy.restore();
            long restored = System.nanoTime();
            waitUntil(RECOVERY_BOUND, "all " + published + " revocations applied after the outage",
                    () -> runner.handledCount() >= published);
            long caughtUp = elapsed(restored).toMillis();
            waitUntil(RECOVERY_BOUND, "no entry left pending", () -> streams.pending(stream, group) == 0);
            System.out.printf("proxy fault: consumer applied %d revocations published during the outage %d ms "
                    + "after restore()%n", runner.handledCount(), caughtUp);
            for (String token : tokens) {
                CaracalAssertions.assertThat(verifier.authenticate(token)).failedWith(ErrorCode.SESSION_REVOKED);
            }
            assertThat(runner.isRunning()).isTrue();
        } finally {
            streams.close();
        }
    }

    private RedisRevocationStore.Builder storeBuilder() {
        return RedisRevocationStore.builder().client(client).keyPrefix(keyPrefix).commandTimeout(COMMAND_TIMEOUT)
                .warnOnUnsafeEviction(false);
    }

    private void assertFailsClosedInTime(MandateVerifier verifier, String token, String fault) {
        long started = System.nanoTime();
        AuthResult result = verifier.authenticate(token);
        Duration took = elapsed(started);
        System.out.printf("proxy fault: %s failed closed in %d ms (commandTimeout %d ms)%n", fault, took.toMillis(),
                COMMAND_TIMEOUT.toMillis());
        CaracalAssertions.assertThat(result).failedWith(ErrorCode.SESSION_REVOKED);
        assertThat(took).isLessThan(FAULT_BOUND);
    }

    private void awaitAcceptedAfterRestore(MandateVerifier verifier, String token, String fault) {
        proxy.restore();
        long restored = System.nanoTime();
        waitUntil(RECOVERY_BOUND, "the same store accepts again after " + fault,
                () -> verifier.authenticate(token).ok());
        System.out.printf("proxy fault: accepted again %d ms after restore() from %s%n", elapsed(restored).toMillis(),
                fault);
        CaracalAssertions.assertThat(verifier.authenticate(token)).isOk();
    }

    /** Live threads of this JVM, without the proxy's own (which stand in for the network). */
    /**
     * @return live threads, leaving out the proxy's and the store's reconnect threads (the third time-out
     *         in a row reconnects, S71: one {@code caracal-redis-connect} thread and its attempts, bounded
     *         by {@link BoundedConnect#MAX_IN_FLIGHT}, counted by {@link #reconnectThreads()})
     */
    private static int ownThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !thread.getName().startsWith(TcpFaultProxy.THREAD_PREFIX))
                .filter(thread -> !thread.getName().startsWith("caracal-redis-connect"))
                .count();
    }

    private static int reconnectThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("caracal-redis-connect"))
                .count();
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
