package ai.caracal.spring;

import ai.caracal.revocation.redis.ConsumerGroupPolicyException;
import ai.caracal.revocation.redis.ConsumerRunner;
import java.time.Duration;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the revocation stream consumers with the application context and stops them gracefully with
 * it: {@link #stop()} lets each consumer finish its current poll (at most its {@code block} + 5 s), after
 * which each leaves its consumer group unless entries are pending for it.
 *
 * <p>{@link #start()} waits, at most {@value #JOIN_WAIT_SECONDS} s, for the consumers' first attempt to
 * join their groups, and fails the application's start-up with {@link ConsumerGroupPolicyException} when a
 * group records the other signature policy (state.md S70): a signed instance in a group of unsigned ones
 * (or the reverse) would drop or forge-apply revocations for all of them. While Redis is unreachable the
 * attempt fails at once and start-up goes on; the consumers keep retrying, and a later refusal is logged
 * at ERROR.
 *
 * <p>Its phase, {@value #PHASE}, is below the web server's, so the consumers start before the server
 * takes requests and stop only after it has stopped: revocations keep being applied for as long as
 * requests are served. Closing the runner (its connections) is left to the runner bean's own
 * destruction.
 */
public final class ConsumerRunnerLifecycle implements SmartLifecycle {

    /** Lower than Spring Boot's web server start/stop and graceful-shutdown phases. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    /** The longest {@link #start()} waits for the consumers to join their groups, in seconds. */
    public static final int JOIN_WAIT_SECONDS = 10;

    private final ConsumerRunner runner;

    /**
     * @param runner the runner to start and stop; not closed by this lifecycle
     */
    public ConsumerRunnerLifecycle(ConsumerRunner runner) {
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /**
     * @throws ConsumerGroupPolicyException when a consumer's group records another signature policy; the
     *                                      runner is stopped again
     */
    @Override
    public void start() {
        runner.start();
        try {
            runner.awaitJoined(Duration.ofSeconds(JOIN_WAIT_SECONDS));
        } catch (ConsumerGroupPolicyException e) {
            runner.stop();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        runner.stop();
    }

    @Override
    public boolean isRunning() {
        return runner.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** @return the runner this lifecycle drives */
    public ConsumerRunner runner() {
        return runner;
    }
}
