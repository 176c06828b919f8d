package ai.caracal.examples.jaxrs;

import ai.caracal.jaxrs.CaracalRequestFilter;
import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.RedisRevocations;
import ai.caracal.verify.JwksUnavailableException;
import ai.caracal.verify.Requirements;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same small API as the other connector examples, as Jakarta REST resources on Jersey 4 over the
 * JDK's {@code com.sun.net.httpserver}, protected by {@link CaracalRequestFilter}. Configured only by the
 * environment: {@code CARACAL_STS_URL}, {@code CARACAL_ZONE_ID}, {@code CARACAL_AUDIENCE} (default
 * {@code resource://examples}), {@code PORT} (default 8080), optional {@code REDIS_URL}.
 */
public final class JaxrsExample implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JaxrsExample.class);

    private final HttpServer server;
    private final ExecutorService threads;
    private final AutoCloseable revocations;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private JaxrsExample(HttpServer server, ExecutorService threads, AutoCloseable revocations) {
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
        JaxrsExample example = start(System::getenv);
        Runtime.getRuntime().addShutdownHook(new Thread(example::close, "example-stop"));
        System.out.println("listening on " + example.uri());
        example.stopped.await();
    }

    /**
     * @param env where the configuration is read from ({@code System::getenv} in production)
     * @return the running example
     * @throws IOException when the port cannot be bound
     */
    public static JaxrsExample start(Function<String, String> env) throws IOException {
        String audience = orDefault(env.apply("CARACAL_AUDIENCE"), "resource://examples");
        int port = Integer.parseInt(orDefault(env.apply("PORT"), "8080"));
        RedisRevocations redis = RedisRevocations.fromEnvironment(env).orElse(null);
        RevocationStore store = redis != null ? redis.store() : new InMemoryRevocationStore();
        if (redis == null) {
            log.warn("REDIS_URL is not set: using an in-memory revocation store (development only; replicas will not share revocations)");
        }
        CaracalRequestFilter caracal = CaracalRequestFilter.builder()
                .environment(env)
                .audience(audience)
                .revocations(store)
                .route("/api/documents", Requirements.builder().requiredScopes("documents:read").build())
                .route("/api/payouts", Requirements.builder().requiredScopes("billing:payout").requireDelegation(true).build())
                .exclude("/healthz")
                .build();

        HttpHandler jersey = ContainerFactory.createContainer(HttpHandler.class,
                new ResourceConfig().register(caracal).register(ExampleApi.class));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
        server.createContext("/", jersey);
        server.setExecutor(threads);
        server.start();
        // D18: a wrong issuer or a missing zone is said at start, in one WARN line; the server still starts.
        try {
            caracal.verifier().warmup();
        } catch (JwksUnavailableException e) {
            log.warn("Caracal JWKS warm-up failed; keys will be fetched on first use: {}", e.getMessage());
        }
        return new JaxrsExample(server, threads, redis != null ? redis : () -> { });
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

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
