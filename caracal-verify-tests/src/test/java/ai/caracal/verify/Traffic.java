package ai.caracal.verify;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained concurrent traffic against a verifier: {@code callers} threads call in a loop until the
 * traffic is stopped, and every call's outcome and latency is tallied. A sampler thread records, every
 * 10 ms, how many threads the library owns ({@code caracal-jwks-*} and the JDK HTTP client's selector)
 * and how many live threads the JVM has outside the test's own HTTP servers, so a pile-up shows as a
 * high-water mark.
 *
 * <p>Every wait is bounded: a caller that does not return within {@link #STOP_WAIT} of the stop fails
 * the test. Token bytes are never recorded or printed.
 */
final class Traffic implements AutoCloseable {

    /** How long {@link #stop()} waits for callers (and a call in progress) to finish. */
    static final Duration STOP_WAIT = Duration.ofSeconds(20);

    /** One call of one caller. */
    @FunctionalInterface
    interface Call {
        /**
         * @param caller    the caller's index, from 0
         * @param iteration the caller's call count so far, from 0
         * @return the verifier's answer
         */
        AuthResult call(int caller, int iteration);
    }

    private final int callers;
    private final List<Thread> threads = new ArrayList<>();
    private final Thread sampler;
    private final CountDownLatch start = new CountDownLatch(1);
    private volatile boolean stopped;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicLong maxLatencyNanos = new AtomicLong();
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
    private final AtomicInteger maxLibraryThreads = new AtomicInteger();
    private final AtomicInteger maxLiveThreads = new AtomicInteger();
    private final int liveThreadsBefore;
    private final int libraryThreadNumberBefore;
    private volatile int libraryThreadNumberAfter;
    private final long startedNanos;
    private volatile long stoppedNanos;

    private Traffic(int callers, Call call) {
        this.callers = callers;
        this.liveThreadsBefore = liveThreads();
        this.libraryThreadNumberBefore = highestLibraryThreadNumber();
        for (int i = 0; i < callers; i++) {
            int caller = i;
            Thread thread = new Thread(() -> loop(caller, call), "traffic-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        sampler = new Thread(this::sample, "traffic-sampler");
        sampler.setDaemon(true);
        sampler.start();
        threads.forEach(Thread::start);
        startedNanos = System.nanoTime();
        start.countDown();
    }

    /**
     * @param callers how many threads call concurrently
     * @param call    what each call does
     * @return running traffic; {@link #stop()} or close it
     */
    static Traffic start(int callers, Call call) {
        return new Traffic(callers, call);
    }

    /**
     * Pays the library's one-time start-up costs (JCA provider choice, the shared HTTP client) with one
     * verification against a healthy issuer, so that the first measured call of a test class does not
     * carry them. On this project's 2-core CI a cold first call takes about a second longer.
     *
     * @param issuer a healthy issuer
     */
    static void warmUpLibrary(ai.caracal.testkit.TestIssuer issuer) {
        AuthResult result = issuer.verifier().build().authenticate(issuer.mint().sign());
        if (!result.ok()) {
            throw new IllegalStateException("warm-up verification failed: " + result.error());
        }
    }

    /**
     * Runs traffic for {@code length}, then stops it.
     *
     * @return the stopped traffic, for its figures
     */
    static Traffic runFor(Duration length, int callers, Call call) throws InterruptedException {
        Traffic traffic = start(callers, call);
        Thread.sleep(length.toMillis());
        traffic.stop();
        return traffic;
    }

    /** Lets callers finish the call in progress, then stops them and the sampler; idempotent. */
    void stop() throws InterruptedException {
        stopped = true;
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " still in a call " + STOP_WAIT.toSeconds() + " s after stop");
            }
        }
        if (stoppedNanos == 0) {
            stoppedNanos = System.nanoTime();
        }
        sampler.interrupt();
        sampler.join(STOP_WAIT.toMillis());
        libraryThreadNumberAfter = highestLibraryThreadNumber();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /**
     * @return how long the traffic really ran, from the start gate until every caller had returned: under
     *         load it can be well above the length asked for, so bounds on what happens per unit of time
     *         are taken over this
     */
    Duration elapsed() {
        if (stoppedNanos == 0) {
            throw new IllegalStateException("the traffic is still running");
        }
        return Duration.ofNanos(stoppedNanos - startedNanos);
    }

    /** @return calls completed */
    int calls() {
        return calls.get();
    }

    /** @return calls per outcome: {@code ok} or the error's wire code, or {@code thrown} */
    Map<String, Integer> outcomes() {
        Map<String, Integer> copy = new TreeMap<>();
        outcomes.forEach((outcome, count) -> copy.put(outcome, count.get()));
        return copy;
    }

    /** @return the number of calls with this outcome */
    int count(String outcome) {
        AtomicInteger count = outcomes.get(outcome);
        return count == null ? 0 : count.get();
    }

    /** @return what calls threw (the verifier must never throw) */
    List<Throwable> thrown() {
        return List.copyOf(thrown);
    }

    /** @return the slowest call */
    Duration maxLatency() {
        return Duration.ofNanos(maxLatencyNanos.get());
    }

    /** @return the most library threads ({@code caracal-jwks-*}, {@code HttpClient-*}) seen alive at once */
    int maxLibraryThreads() {
        return maxLibraryThreads.get();
    }

    /**
     * @return how many {@code caracal-jwks-*} threads the library started while the traffic ran (its
     *         executor numbers threads in creation order), as far as threads alive at the stop show
     */
    int libraryThreadsStarted() {
        return Math.max(0, libraryThreadNumberAfter - libraryThreadNumberBefore);
    }

    /** @return the most live JVM threads seen at once, not counting the test's HTTP server threads */
    int maxLiveThreads() {
        return maxLiveThreads.get();
    }

    /** @return live JVM threads (test HTTP server threads excluded) when the traffic started */
    int liveThreadsBefore() {
        return liveThreadsBefore;
    }

    /** @return the number of callers */
    int callers() {
        return callers;
    }

    /** @return a one-line summary of the figures, for the test report */
    String summary() {
        return String.format("calls=%d outcomes=%s maxLatencyMs=%d libraryThreadsMax=%d libraryThreadsStarted=%d"
                        + " liveThreadsBefore=%d liveThreadsMax=%d liveThreadsNow=%d",
                calls(), outcomes(), maxLatency().toMillis(), maxLibraryThreads(), libraryThreadsStarted(),
                liveThreadsBefore, maxLiveThreads(), liveThreads());
    }

    private void loop(int caller, Call call) {
        try {
            start.await();
        } catch (InterruptedException e) {
            return;
        }
        for (int iteration = 0; !stopped; iteration++) {
            long begin = System.nanoTime();
            String outcome;
            try {
                AuthResult result = call.call(caller, iteration);
                outcome = result.ok() ? "ok" : result.error().code().wire();
            } catch (Throwable t) {
                thrown.add(t);
                outcome = "thrown";
            }
            long latency = System.nanoTime() - begin;
            maxLatencyNanos.accumulateAndGet(latency, Math::max);
            outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
            calls.incrementAndGet();
        }
    }

    private void sample() {
        while (!Thread.currentThread().isInterrupted()) {
            maxLibraryThreads.accumulateAndGet(libraryThreads(), Math::max);
            maxLiveThreads.accumulateAndGet(liveThreads(), Math::max);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** @return live threads owned by the library's JWKS fetching */
    static int libraryThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("caracal-jwks-") || t.getName().startsWith("HttpClient-"))
                .count();
    }

    private static int highestLibraryThreadNumber() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> name.matches("caracal-jwks-\\d+"))
                .mapToInt(name -> Integer.parseInt(name.substring("caracal-jwks-".length())))
                .max().orElse(0);
    }

    /** @return live JVM threads, not counting the test issuer's and stub servers' handler threads */
    static int liveThreads() {
        int serverThreads = (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("caracal-test-issuer-") || t.getName().startsWith("stub-http"))
                .count();
        return ManagementFactory.getThreadMXBean().getThreadCount() - serverThreads;
    }
}
