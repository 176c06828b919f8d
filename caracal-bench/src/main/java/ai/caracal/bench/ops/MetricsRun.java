package ai.caracal.bench.ops;

import ai.caracal.jdkhttp.CaracalHttpFilter;
import ai.caracal.revocation.redis.ConsumerRunner;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.revocation.redis.RedisRevocationStore;
import ai.caracal.revocation.redis.StreamPublisher;
import ai.caracal.spring.metrics.CaracalMetrics;
import ai.caracal.spring.metrics.ConsumerHealthMetrics;
import ai.caracal.spring.metrics.RevocationEventMetrics;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TcpFaultProxy;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.ClaimNames;
import ai.caracal.verify.JwksCache;
import ai.caracal.verify.MandateVerifier;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real run behind the dashboard picture of {@code docs/OPERATIONS.md}: a JDK {@code HttpServer}
 * protected by {@link CaracalHttpFilter}, whose verifier and Redis consumer report to Caracal's Micrometer
 * binder on a {@link PrometheusMeterRegistry} (with the consumer's health, {@link ConsumerHealthMetrics}),
 * served at {@code /metrics}. A loopback {@link TestIssuer}
 * mints; the Redis store and a revocation consumer reach a real Redis through a {@link TcpFaultProxy}.
 * Bounded mixed traffic runs for the whole time, a session is revoked every second (signed {@code XADD}
 * straight to Redis, as the STS would), and scripted faults come and go:
 *
 * <ol>
 *   <li>normal traffic;</li>
 *   <li>the JWKS endpoint answers 503 (the held key set expires after 30 s: {@code keys_unavailable});</li>
 *   <li>an attack: a burst of forged mandates (tampered signatures, unknown {@code kid}s);</li>
 *   <li>Redis vanishes without a reset (blackhole) for 75 s, longer than the consumer's 60 s of health,
 *       then comes back for new connections only ({@link TcpFaultProxy#silence()}, state.md S71).</li>
 * </ol>
 *
 * <p>Every 5 s it scrapes its own {@code /metrics} over HTTP, as Prometheus would, and appends the
 * exposition text to {@code scrapes.txt} ({@code # SCRAPE <epoch ms>} before each), and writes the fault
 * windows to {@code phases.txt}. {@link DashboardRenderer} draws the dashboard from those files. The
 * streams, group and keys live in a namespace of their own and are deleted at the end.
 *
 * <p>Usage: {@code java -cp ... ai.caracal.bench.ops.MetricsRun [redis://127.0.0.1:6379] [out-dir] [scale]};
 * {@code scale} multiplies every phase (1.0 = 8 minutes).
 */
public final class MetricsRun {

    private static final Duration SCRAPE_EVERY = Duration.ofSeconds(5);

    private MetricsRun() {
    }

    /**
     * @param args optional Redis URL, output directory and time scale
     * @throws Exception when the run cannot start
     */
    public static void main(String[] args) throws Exception {
        String redisUrl = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        Path out = Path.of(args.length > 1 ? args[1] : "target/metrics-run");
        double scale = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        run(redisUrl, out, scale);
        System.exit(0);
    }

    static void run(String redisUrl, Path out, double scale) throws Exception {
        Files.createDirectories(out);
        String id = UUID.randomUUID().toString().substring(0, 8);
        String stream = "caracal.sessions.revoke.ops-" + id;
        String group = "ops-run-" + id;
        String prefix = "caracal:ops-run:" + id + ":";
        byte[] streamKey = new byte[32];
        ThreadLocalRandom.current().nextBytes(streamKey);
        RedisURI redis = RedisURI.create(redisUrl);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CaracalMetrics metrics = new CaracalMetrics(registry);
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> phases = new ArrayList<>();
        long started = System.currentTimeMillis();
        try (TestIssuer issuer = TestIssuer.start("zone_ops", "resource://ops");
             TcpFaultProxy proxy = TcpFaultProxy.start(redis.getHost(), redis.getPort());
             StreamPublisher publisher = new StreamPublisher(redisUrl, streamKey);
             Writer scrapes = Files.newBufferedWriter(out.resolve("scrapes.txt"), StandardCharsets.UTF_8)) {
            RedisClient client = RedisClient.create(RedisURI.builder(redis).withHost(proxy.host()).withPort(proxy.port()).build());
            RedisRevocationStore store = RedisRevocationStore.builder().client(client).keyPrefix(prefix)
                    .warnOnUnsafeEviction(false).build();
            ConsumerRunner consumers = ConsumerRunner.builder().add(RedisRevocationConsumer.builder().client(client)
                    .store(store).consumer("ops-run").stream(stream).group(group).streamHmacKey(streamKey)
                    .listener(new RevocationEventMetrics(registry)).build()).build();
            new ConsumerHealthMetrics(registry, consumers);
            consumers.start();
            MandateVerifier verifier = MandateVerifier.builder().issuer(issuer.url()).audience(issuer.audience())
                    .zoneId(issuer.zone()).requiredScopes("documents:read").revocations(store)
                    .jwksCache(JwksCache.builder().listener(metrics).ttl(Duration.ofSeconds(10))
                            .maxStale(Duration.ofSeconds(30)).build())
                    .listener(metrics).build();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            HttpContext api = server.createContext("/api", exchange -> answer(exchange, 200, "ok"));
            api.getFilters().add(CaracalHttpFilter.builder().verifier(verifier).build());
            server.createContext("/metrics", exchange -> answer(exchange, 200, registry.scrape()));
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.start();
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            Traffic traffic = new Traffic(issuer, base, running);
            ScheduledExecutorService timers = Executors.newScheduledThreadPool(3);
            ConcurrentLinkedDeque<String> sessions = new ConcurrentLinkedDeque<>();
            timers.scheduleAtFixedRate(() -> scrape(base, scrapes), 0, SCRAPE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            timers.scheduleAtFixedRate(() -> {
                String session = UUID.randomUUID().toString();
                sessions.addLast(session);
                traffic.liveSessions.addLast(session);
                String revoke = sessions.size() > 5 ? sessions.pollFirst() : null;
                if (revoke != null) {
                    traffic.liveSessions.remove(revoke);
                    traffic.revokedSessions.addLast(revoke);
                    if (traffic.revokedSessions.size() > 20) {
                        traffic.revokedSessions.pollFirst();
                    }
                    try {
                        publisher.publish(stream, Map.of(ClaimNames.ZONE_ID, issuer.zone(), ClaimNames.AGENT_SESSION_ID, revoke,
                                "reason", "requested"));
                    } catch (RuntimeException e) {
                        System.err.println("publish failed: " + e);
                    }
                }
            }, 0, 1, TimeUnit.SECONDS);
            traffic.start(4);

            phase(phases, started, "normal", seconds(90, scale));
            issuer.jwks().failWith(503);
            phase(phases, started, "JWKS down (503)", seconds(60, scale));
            issuer.jwks().reset();
            phase(phases, started, "normal", seconds(60, scale));
            traffic.attack.set(true);
            phase(phases, started, "attack: forged mandates", seconds(40, scale));
            traffic.attack.set(false);
            phase(phases, started, "normal", seconds(60, scale));
            proxy.blackhole();
            phase(phases, started, "Redis vanished", seconds(75, scale));
            proxy.silence();
            phase(phases, started, "Redis back (old connections silent)", seconds(10, scale));
            phase(phases, started, "normal", seconds(80, scale));

            running.set(false);
            traffic.join();
            scrape(base, scrapes);
            timers.shutdownNow();
            server.stop(0);
            consumers.close();
            store.close();
            client.shutdown();
            cleanUp(redisUrl, stream, group, prefix);
            Files.write(out.resolve("phases.txt"), phases, StandardCharsets.UTF_8);
            System.out.printf("metrics run: %d requests, %d scrapes, registry failures %d; wrote %s%n",
                    traffic.sent.get(), scrapeCount.get(), metrics.registryFailures(), out.toAbsolutePath());
        }
    }

    private static final AtomicLong scrapeCount = new AtomicLong();

    private static long seconds(long seconds, double scale) {
        return Math.max(1, Math.round(seconds * scale));
    }

    /** Runs one phase for its duration and records {@code <start ms> <end ms> <label>}. */
    private static void phase(List<String> phases, long origin, String label, long seconds)
            throws InterruptedException {
        long from = System.currentTimeMillis();
        System.out.printf("%4d s  %s for %d s%n", (from - origin) / 1000, label, seconds);
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        if (!label.equals("normal")) {
            phases.add(from + " " + System.currentTimeMillis() + " " + label);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static synchronized void scrape(URI base, Writer scrapes) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            scrapes.write("# SCRAPE " + System.currentTimeMillis() + "\n");
            scrapes.write(response.body());
            scrapes.flush();
            scrapeCount.incrementAndGet();
        } catch (IOException e) {
            System.err.println("scrape failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void cleanUp(String redisUrl, String stream, String group, String prefix) {
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            var redis = connection.sync();
            redis.del(stream, stream + ".dead");
            List<String> keys = redis.keys(prefix + "*");
            if (!keys.isEmpty()) {
                redis.del(keys.toArray(new String[0]));
            }
        } finally {
            client.shutdown();
        }
    }

    /** The load: bounded request loops with a fixed mix, and an attacker switched on for one phase. */
    private static final class Traffic {
        final TestIssuer issuer;
        final URI base;
        final AtomicBoolean running;
        final AtomicBoolean attack = new AtomicBoolean();
        final AtomicLong sent = new AtomicLong();
        final ConcurrentLinkedDeque<String> liveSessions = new ConcurrentLinkedDeque<>();
        final ConcurrentLinkedDeque<String> revokedSessions = new ConcurrentLinkedDeque<>();
        final List<Thread> threads = new ArrayList<>();

        Traffic(TestIssuer issuer, URI base, AtomicBoolean running) {
            this.issuer = issuer;
            this.base = base;
            this.running = running;
        }

        void start(int callers) {
            for (int i = 0; i < callers; i++) {
                threads.add(loop("ops-caller-" + i, 25, this::mixed));
            }
            threads.add(loop("ops-attacker", 150, () -> attack.get() ? forged() : null));
        }

        void join() throws InterruptedException {
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }

        /** One thread sending at most {@code perSecond} requests a second while running. */
        private Thread loop(String name, int perSecond, java.util.function.Supplier<String> next) {
            Thread thread = new Thread(() -> {
                long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
                long due = System.nanoTime();
                while (running.get()) {
                    String authorization = next.get();
                    if (authorization != null) {
                        send(authorization);
                    }
                    due += interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            return;
                        }
                    } else {
                        due = System.nanoTime();
                    }
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        private void send(String authorization) {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/documents"))
                    .timeout(Duration.ofSeconds(10));
            if (!authorization.isEmpty()) {
                request.header("Authorization", authorization);
            }
            try {
                HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
                sent.incrementAndGet();
            } catch (IOException e) {
                // counted by the server's metrics or not at all; the run goes on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private MandateBuilder mint() {
            Instant now = Instant.now();
            return issuer.mint().issuedAt(now).expiresAt(now.plusSeconds(300));
        }

        private String mixed() {
            int roll = ThreadLocalRandom.current().nextInt(100);
            if (roll < 70) {
                String session = liveSessions.peekLast();
                MandateBuilder mandate = mint().scope("documents:read");
                return "Bearer " + (session == null ? mandate : mandate.agentSession(session)).sign();
            }
            if (roll < 76) {
                String session = revokedSessions.peekLast();
                return session == null ? "" : "Bearer " + mint().scope("documents:read").agentSession(session).sign();
            }
            if (roll < 82) {
                return "Bearer " + mint().scope("documents:write").sign();
            }
            if (roll < 88) {
                Instant past = Instant.now().minusSeconds(900);
                return "Bearer " + issuer.mint().scope("documents:read").issuedAt(past).expiresAt(past.plusSeconds(300))
                        .sign();
            }
            if (roll < 93) {
                return "Bearer " + mint().scope("documents:read").audience("resource://elsewhere").sign();
            }
            return roll < 97 ? "" : "Bearer not-a-mandate";
        }

        private String forged() {
            return ThreadLocalRandom.current().nextBoolean()
                    ? "Bearer " + mint().scope("documents:read").tamperSignature().sign()
                    : "Bearer " + mint().scope("documents:read").kid("forged-" + ThreadLocalRandom.current().nextInt(1000))
                            .sign();
        }
    }

    static {
        // The run's own output only: no library DEBUG lines on the console.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
}
