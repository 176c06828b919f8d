package ai.caracal.webflux;

import java.util.ArrayList;
import java.util.List;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound set-up for this module's tests (installed for the whole test JVM by
 * {@code blockhound-junit-platform}, which loads this integration): every blocking call on a
 * non-blocking thread (Reactor Netty's event loops, Reactor's {@code parallel} scheduler, Netty event
 * loops) is recorded here, then fails as BlockHound's {@link BlockingOperationError}. Recording matters
 * because an error thrown inside a server pipeline may surface only as a 500 or a closed connection;
 * {@link BlockingCallGuard} fails the test from the record.
 */
public final class BlockingCalls implements BlockHoundIntegration {

    private static final List<String> SEEN = new ArrayList<>();

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.blockingMethodCallback(method -> {
            String where = method + " on " + Thread.currentThread().getName();
            synchronized (SEEN) {
                SEEN.add(where);
            }
            throw new BlockingOperationError(method);
        });
    }

    /** Applied after the integrations that BlockHound, Reactor and Netty ship, so this callback wins. */
    @Override
    public int getPriority() {
        return Integer.MAX_VALUE;
    }

    /** @return and forgets the blocking calls recorded so far */
    static List<String> drain() {
        synchronized (SEEN) {
            List<String> seen = new ArrayList<>(SEEN);
            SEEN.clear();
            return seen;
        }
    }
}
