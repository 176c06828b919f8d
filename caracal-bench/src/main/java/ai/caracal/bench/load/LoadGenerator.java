package ai.caracal.bench.load;

import ai.caracal.bench.load.Probe.Answer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends the {@link TrafficMix} to the example from a fixed number of threads at a bounded rate, each
 * thread with one request in flight, and records every answer in {@link Outcomes}. The HTTP client runs
 * on a fixed pool of its own, so the generator adds no threads after it starts. {@link #whilePaused}
 * runs a task with no request in flight.
 */
final class LoadGenerator {

    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([a-z_]+)\"");
    private static final long MAX_LAG_NANOS = 1_000_000_000L;

    private final URI base;
    private final int threads;
    private final long intervalNanos;
    private final ExecutorService clientPool;
    private final HttpClient http;
    private final ReadWriteLock inFlight = new ReentrantReadWriteLock();

    LoadGenerator(URI base, int threads, int requestsPerSecond) {
        this.base = base;
        this.threads = threads;
        this.intervalNanos = 1_000_000_000L * threads / requestsPerSecond;
        AtomicInteger count = new AtomicInteger();
        this.clientPool = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "soak-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder().executor(clientPool).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Runs the load until {@code endNanos}.
     *
     * @param mix      where the requests come from
     * @param outcomes where the answers go
     * @param endNanos a {@link System#nanoTime()} deadline
     * @throws InterruptedException when interrupted
     */
    void runUntil(TrafficMix mix, Outcomes outcomes, long endNanos) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            long first = start + intervalNanos * i / threads;
            Thread worker = new Thread(() -> work(mix, outcomes, first, endNanos), "soak-load-" + (i + 1));
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    /**
     * Runs a task while no request is in flight: it waits for the requests being answered and holds new
     * ones back until it returns. The soak's forced full GC runs so, so that its stop-the-world pause
     * cannot time out a request's Redis lookup (a self-inflicted stall, not the workload's).
     *
     * @param task the task
     * @param <T>  its result type
     * @return its result
     */
    <T> T whilePaused(Supplier<T> task) {
        inFlight.writeLock().lock();
        try {
            return task.get();
        } finally {
            inFlight.writeLock().unlock();
        }
    }

    void close() {
        clientPool.shutdownNow();
    }

    private void work(TrafficMix mix, Outcomes outcomes, long first, long endNanos) {
        long next = first;
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            if (now >= endNanos) {
                return;
            }
            if (next > now) {
                sleepNanos(next - now);
                continue;
            }
            send(mix.next(), outcomes);
            next += intervalNanos;
            // Behind (a GC pause, a slow request): skip ahead instead of bursting to catch up.
            if (System.nanoTime() - next > MAX_LAG_NANOS) {
                next = System.nanoTime();
            }
        }
    }

    private void send(Probe probe, Outcomes outcomes) {
        inFlight.readLock().lock();
        try {
            sendUnpaused(probe, outcomes);
        } finally {
            inFlight.readLock().unlock();
        }
    }

    private void sendUnpaused(Probe probe, Outcomes outcomes) {
        long sent = System.nanoTime();
        try {
            Answer answer = fetch(probe.path(), probe.token());
            outcomes.record(probe, answer, probe.judge().judge(answer));
        } catch (IOException e) {
            outcomes.transportError(probe, sent, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends one request outside the measured load (readiness checks).
     *
     * @param path  the example's path
     * @param token the bearer mandate, or {@code null}
     * @return the answer
     * @throws IOException          when the request fails
     * @throws InterruptedException when interrupted
     */
    Answer fetch(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        long received = System.nanoTime();
        Matcher error = ERROR.matcher(response.body());
        String code = response.statusCode() == 200 || !error.find() ? null : error.group(1);
        return new Answer(response.statusCode(), code, sent, received);
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
