package ai.caracal.revocation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalAssertions;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.MandateVerifier;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real outage under traffic: two threads verify a valid mandate in a loop through a verifier backed by
 * a store on a Redis this test stops and starts again on the same port. Nothing helps the store recover:
 * no restart, no reconnect call.
 */
@Tag("slow")
@CaracalTest
class RedisRevocationStoreFaultTest {

    private static final int UP = 0;
    private static final int STOPPING = 1;
    private static final int DOWN = 2;
    private static final int STARTING = 3;
    private static final int UP_AGAIN = 4;
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(40);

    private final AtomicInteger phase = new AtomicInteger(UP);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger acceptedBeforeStop = new AtomicInteger();
    private final AtomicInteger acceptedWhileDown = new AtomicInteger();
    private final AtomicInteger revokedWhileDown = new AtomicInteger();
    private final AtomicInteger otherwiseRejectedWhileDown = new AtomicInteger();
    private final AtomicInteger acceptedAfterRestart = new AtomicInteger();
    private final AtomicLong firstAcceptedAfterRestart = new AtomicLong();
    private final Queue<Throwable> thrown = new ConcurrentLinkedQueue<>();

    @Test
    @DisplayName("Redis stopped mid-traffic: every verification while down is rejected and none throws; "
            + "after a restart on the same port verifications pass again by themselves")
    void outageFailsClosedAndRecoversByItself(TestIssuer issuer) throws Exception {
        try (RedisForTests.OwnedRedis redis = RedisForTests.startOwned();
             RedisClient client = RedisForTests.client(redis.uri());
             RedisRevocationStore store = RedisRevocationStore.builder().client(client).build()) {
            RedisForTests.awaitUsable(store);
            MandateVerifier verifier = issuer.verifier().revocations(store).build();
            String token = issuer.mint().agentSession().delegationEdge().sign();
            CaracalAssertions.assertThat(verifier.authenticate(token)).isOk();

            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Thread worker = new Thread(() -> verifyUntilStopped(verifier, token), "verifier-" + i);
                worker.start();
                workers.add(worker);
            }
            try {
                awaitAtLeast(acceptedBeforeStop, 20, "accepted verifications before the outage");

                phase.set(STOPPING);
                redis.stop();
                phase.set(DOWN);
                awaitAtLeast(revokedWhileDown, 50, "rejected verifications during the outage");
                Thread.sleep(500);

                phase.set(STARTING);
                redis.start();
                long restarted = System.nanoTime();
                phase.set(UP_AGAIN);
                awaitAtLeast(acceptedAfterRestart, 20, "accepted verifications after the restart");
                System.out.printf("fault test: recovered %d ms after the restart; while down %d rejected, %d accepted%n",
                        TimeUnit.NANOSECONDS.toMillis(firstAcceptedAfterRestart.get() - restarted),
                        revokedWhileDown.get() + otherwiseRejectedWhileDown.get(), acceptedWhileDown.get());
            } finally {
                running.set(false);
                for (Thread worker : workers) {
                    worker.join(TimeUnit.SECONDS.toMillis(10));
                }
            }
        }
        assertThat(thrown).isEmpty();
        assertThat(acceptedWhileDown).hasValue(0);
        assertThat(otherwiseRejectedWhileDown).hasValue(0);
        assertThat(revokedWhileDown.get()).isGreaterThanOrEqualTo(50);
    }

    private void verifyUntilStopped(MandateVerifier verifier, String token) {
        while (running.get()) {
            int before = phase.get();
            AuthResult result;
            try {
                result = verifier.authenticate(token);
            } catch (Throwable t) {
                thrown.add(t);
                continue;
            }
            int after = phase.get();
            if (before == UP && after == UP && result.ok()) {
                acceptedBeforeStop.incrementAndGet();
            } else if (before == DOWN && after == DOWN) {
                if (result.ok()) {
                    acceptedWhileDown.incrementAndGet();
                } else if (result.error().code() == ErrorCode.SESSION_REVOKED) {
                    revokedWhileDown.incrementAndGet();
                } else {
                    otherwiseRejectedWhileDown.incrementAndGet();
                }
            } else if (before == UP_AGAIN && result.ok()) {
                firstAcceptedAfterRestart.compareAndSet(0L, System.nanoTime());
                acceptedAfterRestart.incrementAndGet();
            }
        }
    }

    private void awaitAtLeast(AtomicInteger counter, int count, String what) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_BOUND.toNanos();
        while (counter.get() < count) {
            if (System.nanoTime() - deadline > 0 || !thrown.isEmpty() || acceptedWhileDown.get() > 0) {
                throw new AssertionError("expected " + count + " " + what + " within " + RECOVERY_BOUND.toSeconds()
                        + " s, saw " + counter.get() + "; accepted while down: " + acceptedWhileDown.get()
                        + "; thrown: " + thrown.peek(), thrown.peek());
            }
            Thread.sleep(10);
        }
    }
}
