package ai.caracal.bench.load;

import ai.caracal.bench.load.Probe.Answer;
import ai.caracal.examples.servlet.ServletExample;
import ai.caracal.revocation.redis.StreamPublisher;
import ai.caracal.testkit.TestIssuer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A bounded soak of the servlet example under mixed traffic. In one process it starts a loopback
 * {@link TestIssuer} (zone {@code zone_soak}), the servlet example (embedded Jetty 12,
 * {@code CaracalFilter}) with {@code REDIS_URL} (so the Redis store and both stream consumers, through
 * {@code RedisRevocations}) and a random {@code STREAMS_HMAC_KEY}, and a load generator
 * ({@link LoadGenerator}, {@link TrafficMix}) sending valid, invalid, revoked and rotated-key mandates.
 * Meanwhile it revokes a session every second by a signed {@code XADD} to {@code caracal.sessions.revoke},
 * rotates the issuer key periodically and samples heap after a forced full GC (with the load paused for
 * it) and the live thread count. {@link SoakResult} holds the verdict rules.
 *
 * <p>The example uses the production stream and group names, so the soak refuses to start while another
 * consumer in group {@code resource-revocation} is active on the same Redis (it would take some of the
 * soak's revocations).
 *
 * <p>Usage: {@code java -cp ... ai.caracal.bench.load.Soak [redis://127.0.0.1:6379] [seconds, default 300]};
 * prints the report and exits 1 when the soak fails.
 */
public final class Soak {

    private static final String GROUP = "resource-revocation";
    private static final Duration CONSUMER_QUIET_WAIT = Duration.ofSeconds(10);
    private static final Duration READY_WITHIN = Duration.ofSeconds(40);

    private Soak() {
    }

    /**
     * @param args optional Redis URL and duration in seconds
     * @throws Exception when the soak cannot start
     */
    public static void main(String[] args) throws Exception {
        String redisUrl = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 300);
        SoakResult result = run(redisUrl, SoakSettings.forDuration(duration), line -> System.err.println(line));
        System.out.print(result.report());
        System.out.flush();
        System.exit(result.passed() ? 0 : 1);
    }

    /**
     * Runs one soak and stops everything it started.
     *
     * @param redisUrl a Redis the example may use with the production stream names
     * @param settings how long and how hard
     * @param progress receives one progress line per sample (never a mandate)
     * @return the measurements and verdict
     * @throws Exception when the soak cannot start (Redis unreachable, another consumer active, example not ready)
     */
    public static SoakResult run(String redisUrl, SoakSettings settings, Consumer<String> progress) throws Exception {
        requireNoActiveConsumer(redisUrl);
        byte[] streamKey = new byte[32];
        new SecureRandom().nextBytes(streamKey);
        try (TestIssuer issuer = TestIssuer.start("zone_soak", "resource://examples");
             StreamPublisher publisher = new StreamPublisher(redisUrl, streamKey);
             RedisClient watchClient = RedisClient.create(RedisURI.create(redisUrl));
             StatefulRedisConnection<String, String> watch = watchClient.connect()) {
            Map<String, String> env = Map.of("CARACAL_STS_URL", issuer.url(), "CARACAL_ZONE_ID", issuer.zone(), "PORT", "0",
                    "REDIS_URL", redisUrl, "STREAMS_HMAC_KEY", HexFormat.of().formatHex(streamKey));
            try (ServletExample example = ServletExample.start(env::get)) {
                return soak(issuer, publisher, watch.sync(), example.uri(), settings, progress);
            }
        }
    }

    private static SoakResult soak(TestIssuer issuer, StreamPublisher publisher, RedisCommands<String, String> redis, URI base,
                                   SoakSettings settings, Consumer<String> progress) throws Exception {
        KeyRotations keys = new KeyRotations(issuer, KeyRotations.kidOf(issuer.mint().sign()));
        RevocationDriver sessions = new RevocationDriver(issuer, keys, publisher);
        TrafficMix mix = new TrafficMix(issuer, keys, sessions);
        LoadGenerator load = new LoadGenerator(base, settings.loadThreads(), settings.requestsPerSecond());
        AtomicInteger driverErrors = new AtomicInteger();
        ScheduledExecutorService driver = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "soak-driver");
            thread.setDaemon(true);
            return thread;
        });
        try {
            schedule(driver, () -> sessions.watchApplied(redis), Duration.ZERO, Duration.ofMillis(20), driverErrors);
            awaitRevocationsApplied(load, sessions);
            long start = System.nanoTime();
            Outcomes outcomes = new Outcomes(start);
            ResourceSamples resources = new ResourceSamples(start, settings.warmUp().toNanos(), settings.loadThreads());
            schedule(driver, sessions::step, settings.revocationEvery(), settings.revocationEvery(), driverErrors);
            schedule(driver, keys::rotate, settings.rotationEvery(), settings.rotationEvery(), driverErrors);
            schedule(driver, keys::watchFetches, Duration.ZERO, Duration.ofMillis(100), driverErrors);
            schedule(driver, () -> {
                ResourceSamples.Sample sample = load.whilePaused(resources::sample);
                progress.accept(String.format(Locale.ROOT, "t=%3.0fs requests=%d unexpected=%d heap-after-gc=%.1fMB threads=%d",
                        sample.seconds(), outcomes.sent(), outcomes.total(Probe.Outcome.UNEXPECTED), sample.heapUsedMb(), sample.threads()));
            }, settings.sampleEvery(), settings.sampleEvery(), driverErrors);
            load.runUntil(mix, outcomes, start + settings.duration().toNanos());
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            // Let a running revocation or sample finish: an interrupted XADD is not a failure of the soak.
            driver.shutdown();
            driver.awaitTermination(10, TimeUnit.SECONDS);
            return new SoakResult(settings, outcomes, resources, sessions, keys, mix, loadSeconds, driverErrors.get());
        } finally {
            driver.shutdownNow();
            load.close();
        }
    }

    /** Revokes one session and waits until the example rejects it: consumers running, JWKS fetched. */
    private static void awaitRevocationsApplied(LoadGenerator load, RevocationDriver sessions) throws Exception {
        TrackedSession session = sessions.newSession();
        Answer before = load.fetch("/api/documents", session.token());
        if (before.status() != 200) {
            throw new IllegalStateException("the example rejects a valid mandate: " + before.status() + " " + before.error());
        }
        sessions.revoke(session);
        if (!within(READY_WITHIN, 50, () -> load.fetch("/api/documents", session.token()).is(401, "session_revoked"))) {
            throw new IllegalStateException("the example did not apply a revocation from " + RevocationDriver.STREAM
                    + " within " + READY_WITHIN.toSeconds() + " s");
        }
    }

    private static void schedule(ScheduledExecutorService driver, Runnable task, Duration initialDelay, Duration every,
                                 AtomicInteger errors) {
        driver.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                errors.incrementAndGet();
                System.err.println("soak background task failed: " + e);
            }
        }, initialDelay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits up to {@link #CONSUMER_QUIET_WAIT} for every consumer of the group to go idle (a consumer that a
     * test closed a moment ago still looks active for a few seconds), then refuses to start if one is still active.
     */
    private static void requireNoActiveConsumer(String redisUrl) throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create(redisUrl));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            if (!within(CONSUMER_QUIET_WAIT, 250, () -> !hasActiveConsumer(connection))) {
                throw new IllegalStateException("another consumer in group " + GROUP + " is reading " + RevocationDriver.STREAM
                        + " on this Redis; it would take some of the soak's revocations. Use a Redis of the soak's own.");
            }
        } finally {
            client.shutdown();
        }
    }

    /** @return whether {@code condition} became true within {@code limit}, polled every {@code pollMillis} */
    private static boolean within(Duration limit, long pollMillis, Condition condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(pollMillis);
        }
        return true;
    }

    /** A condition that may need I/O to check. */
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static boolean hasActiveConsumer(StatefulRedisConnection<String, String> connection) {
        List<Object> consumers;
        try {
            consumers = connection.sync().xinfoConsumers(RevocationDriver.STREAM, GROUP);
        } catch (RedisCommandExecutionException e) {
            return false; // no stream or no group yet
        }
        for (Object consumer : consumers) {
            List<?> fields = (List<?>) consumer;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                // A live consumer reads at least every 2 s (its blocking read's limit), so its idle time stays below 5 s.
                if ("idle".equals(String.valueOf(fields.get(i))) && ((Number) fields.get(i + 1)).longValue() < 5_000) {
                    return true;
                }
            }
        }
        return false;
    }
}
