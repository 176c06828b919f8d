package ai.caracal.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs one call per thread, all released together by a start gate once every thread is waiting.
 * Every wait is bounded; a call that does not finish in time fails the test.
 */
final class ConcurrentCalls {

    private static final long WAIT_SECONDS = 20;

    private ConcurrentCalls() {
    }

    /**
     * @param threads how many threads (and calls)
     * @param call    the call for thread {@code i}
     * @param <T>     the result type
     * @return the results, in thread order
     */
    static <T> List<T> run(int threads, IntFunction<T> call) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(executor.submit(() -> {
                    ready.countDown();
                    if (!start.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("start gate never opened");
                    }
                    return call.apply(index);
                }));
            }
            if (!ready.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("not all " + threads + " threads reached the start gate");
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(WAIT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            executor.shutdownNow();
            if (!executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("concurrent calls did not stop");
            }
        }
    }
}
