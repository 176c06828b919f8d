package ai.caracal.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs around every test of this module (auto-detected): before the first test it proves BlockHound is
 * live (a sleep on a {@code parallel} thread must fail), and after each test it fails the test if any
 * blocking call was made on a non-blocking thread while it ran.
 */
public final class BlockingCallGuard implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {

    private static volatile boolean proven;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!proven) {
            assertThatThrownBy(() -> Mono.fromCallable(() -> {
                Thread.sleep(1);
                return "slept";
            }).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10)))
                    .as("BlockHound must be installed: a sleep on a parallel thread has to fail")
                    .satisfies(thrown -> assertThat(thrown instanceof BlockingOperationError
                            || thrown.getCause() instanceof BlockingOperationError).as("BlockingOperationError: %s", thrown).isTrue());
            proven = true;
        }
        BlockingCalls.drain();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        BlockingCalls.drain();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        assertThat(BlockingCalls.drain()).as("blocking calls on non-blocking threads").isEmpty();
    }
}
