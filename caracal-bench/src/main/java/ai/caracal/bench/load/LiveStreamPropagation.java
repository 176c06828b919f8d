package ai.caracal.bench.load;

import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.revocation.redis.RedisRevocations;
import ai.caracal.revocation.redis.StreamEventListener;
import ai.caracal.servlet.CaracalFilter;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.ClaimNames;
import ai.caracal.verify.http.LiveConnections;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Measures connectors.md §10.4 end to end: from a revocation's {@code XADD} to the end of an open SSE
 * stream, on three replicas that share one Redis. Each replica is a Jetty server with
 * {@link CaracalFilter} (its own registry: the default 2 s re-check, plus {@code recheckNow} when its
 * consumer applies an entry), its own {@link RedisRevocations} in one namespace (one consumer group for the
 * three, as in production), and an asynchronous SSE servlet. Per revocation: one mandate with a new agent
 * session, one SSE stream to each replica (a real HTTP client reading it), a random pause of 0–2 s (so
 * that the {@code XADD}s fall at every phase of the re-check interval), then the {@code XADD}; the time to
 * the end of each stream is recorded. Several lanes run at once. Never run in CI.
 *
 * <p>Usage: {@code java -cp ... ai.caracal.bench.load.LiveStreamPropagation [redis://127.0.0.1:6379] [revocations] [lanes]}
 */
public final class LiveStreamPropagation {

    private static final int REPLICAS = 3;
    private static final String ZONE = "zone_bench";
    private static final String AUDIENCE = "resource://documents";
    private static final long STREAM_END_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private LiveStreamPropagation() {
    }

    /** One replica: a Jetty server, its filter's registry. */
    private record Replica(URI events, LiveConnections live) {
    }

    /** The outcome of one revocation: each stream's time to its end, in nanoseconds after the XADD. */
    private record Outcome(long[] endNanos) {
    }

    /**
     * @param args optional Redis URL, number of revocations (default 200) and of concurrent lanes (default 4)
     * @throws Exception when Redis is unreachable or a stream does not end within 15 s
     */
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        int revocations = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int lanes = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        String namespace = "caracal-live-bench-" + UUID.randomUUID().toString().substring(0, 8);
        String stream = namespace + ":" + RedisRevocationConsumer.DEFAULT_STREAM;
        List<AutoCloseable> open = new ArrayList<>();
        RedisClient producerClient = RedisClient.create(RedisURI.create(url));
        ExecutorService readers = Executors.newCachedThreadPool(daemon("live-bench-reader"));
        try (TestIssuer issuer = TestIssuer.start(ZONE, AUDIENCE);
             StatefulRedisConnection<String, String> producer = producerClient.connect()) {
            issuer.clock().set(Instant.now());
            List<Replica> replicas = new ArrayList<>();
            for (int r = 0; r < REPLICAS; r++) {
                replicas.add(replica(issuer, url, namespace, "replica-" + r, open));
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newCachedThreadPool(daemon("live-bench-http"))).build();
            warmUp(issuer, replicas, http);

            Percentiles perStream = new Percentiles(revocations * REPLICAS);
            Percentiles firstOfThree = new Percentiles(revocations);
            Percentiles lastOfThree = new Percentiles(revocations);
            List<CompletableFuture<List<Outcome>>> running = new ArrayList<>();
            ExecutorService laneThreads = Executors.newFixedThreadPool(lanes, daemon("live-bench-lane"));
            for (int lane = 0; lane < lanes; lane++) {
                int share = revocations / lanes + (lane < revocations % lanes ? 1 : 0);
                running.add(CompletableFuture.supplyAsync(() -> lane(share, issuer, replicas, http, producer.sync(),
                        stream, readers), laneThreads));
            }
            for (CompletableFuture<List<Outcome>> lane : running) {
                for (Outcome outcome : lane.join()) {
                    long first = Long.MAX_VALUE;
                    long last = 0;
                    for (long end : outcome.endNanos()) {
                        perStream.add(end);
                        first = Math.min(first, end);
                        last = Math.max(last, end);
                    }
                    firstOfThree.add(first);
                    lastOfThree.add(last);
                }
            }
            laneThreads.shutdown();
            System.out.println("revocations " + revocations + ", lanes " + lanes + ", replicas " + REPLICAS
                    + ", re-check interval " + LiveConnections.DEFAULT_RECHECK_INTERVAL.toMillis() + " ms");
            System.out.println("XADD to the end of each SSE stream:       " + perStream.summary());
            System.out.println("XADD to the end of the first of three:    " + firstOfThree.summary());
            System.out.println("XADD to the end of the last of three:     " + lastOfThree.summary());
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
            readers.shutdownNow();
            try (StatefulRedisConnection<String, String> cleanup = producerClient.connect()) {
                RedisCommands<String, String> redis = cleanup.sync();
                List<String> keys = new ArrayList<>();
                ScanIterator.scan(redis, ScanArgs.Builder.matches(namespace + ":*").limit(500)).forEachRemaining(keys::add);
                if (!keys.isEmpty()) {
                    redis.del(keys.toArray(String[]::new));
                }
            }
            producerClient.shutdown();
        }
    }

    private static List<Outcome> lane(int revocations, TestIssuer issuer, List<Replica> replicas, HttpClient http,
            RedisCommands<String, String> producer, String stream, ExecutorService readers) {
        List<Outcome> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < revocations; i++) {
                String agent = "agent-" + UUID.randomUUID();
                String token;
                synchronized (issuer) {
                    token = issuer.mint().scope("tool:call").agentSession(agent).expiresIn(Duration.ofHours(2)).sign();
                }
                List<BufferedReader> streams = new ArrayList<>();
                for (Replica replica : replicas) {
                    streams.add(openStream(http, replica.events(), token));
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(2_000));
                List<CompletableFuture<Long>> ends = new ArrayList<>();
                for (BufferedReader lines : streams) {
                    ends.add(CompletableFuture.supplyAsync(() -> readToEnd(lines), readers));
                }
                long xadd = System.nanoTime();
                producer.xadd(stream, XAddArgs.Builder.maxlen(100_000).approximateTrimming(),
                        Map.of(ClaimNames.ZONE_ID, ZONE, ClaimNames.AGENT_SESSION_ID, agent, "reason", "requested"));
                long[] endNanos = new long[ends.size()];
                for (int s = 0; s < ends.size(); s++) {
                    long end = ends.get(s).get(STREAM_END_LIMIT_NANOS, TimeUnit.NANOSECONDS);
                    endNanos[s] = end - xadd;
                }
                outcomes.add(new Outcome(endNanos));
            }
        } catch (Exception e) {
            throw new IllegalStateException("a lane failed: " + e, e);
        }
        return outcomes;
    }

    private static BufferedReader openStream(HttpClient http, URI events, String token) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(events).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the stream was refused: " + response.statusCode());
        }
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        String first = lines.readLine();
        if (!"data: open".equals(first)) {
            throw new IllegalStateException("the stream did not open: " + first);
        }
        return lines;
    }

    /** @return {@link System#nanoTime()} when the stream ended */
    private static long readToEnd(BufferedReader lines) {
        try {
            while (lines.readLine() != null) {
                // nothing else is sent
            }
            return System.nanoTime();
        } catch (IOException e) {
            throw new IllegalStateException("the stream was reset instead of ended: " + e, e);
        }
    }

    private static Replica replica(TestIssuer issuer, String url, String namespace, String name, List<AutoCloseable> open)
            throws Exception {
        AtomicReference<LiveConnections> live = new AtomicReference<>();
        RedisRevocations revocations = RedisRevocations.builder(url).namespace(namespace).consumerName(name)
                .listener((stream, result) -> {
                    LiveConnections registry = live.get();
                    if (result == StreamEventListener.Result.APPLIED && registry != null) {
                        registry.recheckNow();
                    }
                })
                .start();
        open.add(revocations);
        revocations.consumers().awaitJoined(Duration.ofSeconds(10));
        CaracalFilter filter = CaracalFilter.builder()
                .verifier(issuer.verifier().clock(Clock.systemUTC()).revocations(revocations.store()).build())
                .build();
        live.set(filter.boundary().liveConnections());
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        FilterHolder holder = new FilterHolder(filter);
        holder.setAsyncSupported(true);
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder events = new ServletHolder(new SseServlet());
        events.setAsyncSupported(true);
        context.addServlet(events, "/events");
        server.setHandler(context);
        server.start();
        open.add(server::stop);
        return new Replica(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/events"), live.get());
    }

    /** One request per replica first, so that the key sets are held and the JIT has seen the path. */
    private static void warmUp(TestIssuer issuer, List<Replica> replicas, HttpClient http) throws Exception {
        String token;
        synchronized (issuer) {
            token = issuer.mint().scope("tool:call").agentSession().expiresIn(Duration.ofHours(2)).sign();
        }
        for (Replica replica : replicas) {
            openStream(http, replica.events(), token).close();
        }
    }

    /** Opens an SSE stream with one event and keeps it open until the filter ends it (or the client leaves). */
    private static final class SseServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/event-stream");
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            response.getWriter().write("data: open\n\n");
            response.getWriter().flush();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
