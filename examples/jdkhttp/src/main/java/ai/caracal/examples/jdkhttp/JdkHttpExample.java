package ai.caracal.examples.jdkhttp;

import ai.caracal.jdkhttp.CaracalHttpFilter;
import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.RedisRevocations;
import ai.caracal.verify.Claims;
import ai.caracal.verify.JwksUnavailableException;
import ai.caracal.verify.Requirements;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same small API as the servlet example, on the JDK's own {@code com.sun.net.httpserver} with
 * {@link CaracalHttpFilter}: zero third-party server code. Configured only by the environment:
 * {@code CARACAL_STS_URL}, {@code CARACAL_ZONE_ID}, {@code CARACAL_AUDIENCE} (default
 * {@code resource://examples}), {@code PORT} (default 8080), optional {@code REDIS_URL}. The key set is
 * fetched at start: a failure (an unreachable issuer, a missing zone) is logged in one WARN line that
 * names the URL and the answer, and the server starts anyway, rejecting every mandate until it can
 * fetch the keys.
 */
public final class JdkHttpExample implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdkHttpExample.class);

    private final HttpServer server;
    private final ExecutorService threads;
    private final AutoCloseable revocations;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private JdkHttpExample(HttpServer server, ExecutorService threads, AutoCloseable revocations) {
        this.server = server;
        this.threads = threads;
        this.revocations = revocations;
    }

    /**
     * Runs the example until the JVM stops.
     *
     * @param args ignored: configuration comes from the environment
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        JdkHttpExample example = start(System::getenv);
        Runtime.getRuntime().addShutdownHook(new Thread(example::close, "example-stop"));
        System.out.println("listening on " + example.uri());
        example.stopped.await();
    }

    /**
     * @param env where the configuration is read from ({@code System::getenv} in production)
     * @return the running example
     * @throws IOException when the port cannot be bound
     */
    public static JdkHttpExample start(Function<String, String> env) throws IOException {
        String audience = orDefault(env.apply("CARACAL_AUDIENCE"), "resource://examples");
        int port = Integer.parseInt(orDefault(env.apply("PORT"), "8080"));
        RedisRevocations redis = RedisRevocations.fromEnvironment(env).orElse(null);
        RevocationStore store = redis != null ? redis.store() : new InMemoryRevocationStore();
        if (redis == null) {
            log.warn("REDIS_URL is not set: using an in-memory revocation store (development only; replicas will not share revocations)");
        }
        CaracalHttpFilter filter = CaracalHttpFilter.builder()
                .environment(env)
                .audience(audience)
                .revocations(store)
                .route("/api/documents", Requirements.builder().requiredScopes("documents:read").build())
                .route("/api/payouts", Requirements.builder().requiredScopes("billing:payout").requireDelegation(true).build())
                .exclude("/healthz")
                .build();

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
        server.createContext("/", JdkHttpExample::api).getFilters().add(filter);
        server.setExecutor(threads);
        server.start();
        // D18: a wrong issuer or a missing zone is said at start, in one WARN line; the server still starts.
        try {
            filter.verifier().warmup();
        } catch (JwksUnavailableException e) {
            log.warn("Caracal JWKS warm-up failed; keys will be fetched on first use: {}", e.getMessage());
        }
        return new JdkHttpExample(server, threads, redis != null ? redis : () -> { });
    }

    /** @return the base URL */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            revocations.close();
        } catch (Exception e) {
            log.warn("example did not stop cleanly: {}", e.toString());
        }
        stopped.countDown();
    }

    private static void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            switch (route) {
                case "GET /healthz":
                    json(exchange, 200, "{\"status\":\"ok\"}");
                    break;
                case "GET /api/documents":
                    json(exchange, 200, "[{\"id\":\"1\",\"title\":\"Quarterly report\"},{\"id\":\"2\",\"title\":\"Roadmap\"}]");
                    break;
                case "POST /api/payouts":
                    json(exchange, 200, "{\"accepted\":true}");
                    break;
                case "GET /api/whoami":
                    Claims claims = CaracalHttpFilter.claims(exchange).orElseThrow();
                    json(exchange, 200, "{\"sub\":" + quote(claims.sub()) + ",\"zone_id\":" + quote(claims.zoneId())
                            + ",\"scope\":" + quote(claims.scope()) + "}");
                    break;
                default:
                    json(exchange, 404, "{\"error\":\"not_found\"}");
            }
        }
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
