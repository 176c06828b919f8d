package ai.caracal.spring;

import ai.caracal.revocation.redis.ConsumerRunner;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the revocation stream consumers with the application context and stops them gracefully with
 * it: {@link #stop()} lets each consumer finish its current poll (at most its {@code block} + 5 s).
 *
 * <p>Its phase, {@value #PHASE}, is below the web server's, so the consumers start before the server
 * takes requests and stop only after it has stopped: revocations keep being applied for as long as
 * requests are served. Closing the runner (its connections) is left to the runner bean's own
 * destruction.
 */
public final class ConsumerRunnerLifecycle implements SmartLifecycle {

    /** Lower than Spring Boot's web server start/stop and graceful-shutdown phases. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final ConsumerRunner runner;

    /**
     * @param runner the runner to start and stop; not closed by this lifecycle
     */
    public ConsumerRunnerLifecycle(ConsumerRunner runner) {
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    @Override
    public void start() {
        runner.start();
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
