package ai.caracal.examples.webflux;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.RedisRevocations;
import ai.caracal.verify.Claims;
import ai.caracal.verify.JwksUnavailableException;
import ai.caracal.verify.Requirements;
import ai.caracal.webflux.CaracalExchanges;
import ai.caracal.webflux.CaracalWebFilter;
import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A small API protected by {@link CaracalWebFilter} on Spring WebFlux (functional endpoints) and Reactor
 * Netty, configured only by the environment: {@code CARACAL_STS_URL}, {@code CARACAL_ZONE_ID},
 * {@code CARACAL_AUDIENCE} (default {@code resource://examples}), {@code PORT} (default 8080), optional
 * {@code REDIS_URL}. Verification never blocks the event loop.
 *
 * <ul>
 *   <li>{@code GET /healthz}: excluded, {@code {"status":"ok"}}</li>
 *   <li>{@code GET /api/documents}: scope {@code documents:read}</li>
 *   <li>{@code POST /api/payouts}: scope {@code billing:payout} and a delegated mandate</li>
 *   <li>{@code GET /api/whoami}: any valid mandate; echoes {@code sub}, {@code zone_id}, {@code scope}</li>
 * </ul>
 */
public final class WebFluxExample implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebFluxExample.class);

    private final DisposableServer server;
    private final AutoCloseable revocations;
    private final URI uri;

    private WebFluxExample(DisposableServer server, AutoCloseable revocations, URI uri) {
        this.server = server;
        this.revocations = revocations;
        this.uri = uri;
    }

    /**
     * Runs the example until the JVM stops.
     *
     * @param args ignored: configuration comes from the environment
     */
    public static void main(String[] args) {
        WebFluxExample example = start(System::getenv);
        Runtime.getRuntime().addShutdownHook(new Thread(example::close, "example-stop"));
        System.out.println("listening on " + example.uri());
        example.server.onDispose().block();
    }

    /**
     * @param env where the configuration is read from ({@code System::getenv} in production)
     * @return the running example
     * @throws IllegalArgumentException when the configuration is incomplete (for example no
     *                                  {@code CARACAL_STS_URL}); the message names what to set
     */
    public static WebFluxExample start(Function<String, String> env) {
        String audience = orDefault(env.apply("CARACAL_AUDIENCE"), "resource://examples");
        int port = Integer.parseInt(orDefault(env.apply("PORT"), "8080"));
        RedisRevocations redis = RedisRevocations.fromEnvironment(env).orElse(null);
        RevocationStore store = redis != null ? redis.store() : new InMemoryRevocationStore();
        if (redis == null) {
            log.warn("REDIS_URL is not set: using an in-memory revocation store (development only; replicas will not share revocations)");
        }
        try {
            CaracalWebFilter filter = CaracalWebFilter.builder()
                    .environment(env)
                    .audience(audience)
                    .revocations(store)
                    .route("/api/documents", Requirements.builder().requiredScopes("documents:read").build())
                    .route("/api/payouts", Requirements.builder().requiredScopes("billing:payout").requireDelegation(true).build())
                    .exclude("/healthz")
                    .build();
            HttpHandler app = WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(routes()))
                    .filter(filter)
                    .codecConfigurer(ServerCodecConfigurer.create())
                    .build();
            DisposableServer server = HttpServer.create().host("127.0.0.1").port(port)
                    .handle(new ReactorHttpHandlerAdapter(app))
                    .bindNow(Duration.ofSeconds(30));
            // D18: a wrong issuer or a missing zone is said at start, in one WARN line; the server still starts.
            try {
                filter.boundary().verifier().warmup();
            } catch (JwksUnavailableException e) {
                log.warn("Caracal JWKS warm-up failed; keys will be fetched on first use: {}", e.getMessage());
            }
            URI uri = URI.create("http://127.0.0.1:" + server.port());
            return new WebFluxExample(server, redis != null ? redis : () -> { }, uri);
        } catch (RuntimeException e) {
            if (redis != null) {
                redis.close();
            }
            throw e;
        }
    }

    /**
     * The example API; behind the filter, which has verified everything but {@code /healthz}. Public so that
     * {@code caracal-bench} can serve the very same routes without the filter, as the control of its
     * throughput measurement.
     *
     * @return the routes
     */
    public static RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET("/healthz", request -> json(HttpStatus.OK, "{\"status\":\"ok\"}"))
                .GET("/api/documents", request ->
                        json(HttpStatus.OK, "[{\"id\":\"1\",\"title\":\"Quarterly report\"},{\"id\":\"2\",\"title\":\"Roadmap\"}]"))
                .POST("/api/payouts", request -> json(HttpStatus.OK, "{\"accepted\":true}"))
                .GET("/api/whoami", request -> json(HttpStatus.OK, whoami(CaracalExchanges.requireClaims(request))))
                .route(RequestPredicates.all(), request -> json(HttpStatus.NOT_FOUND, "{\"error\":\"not_found\"}"))
                .build();
    }

    /** @return the base URL */
    public URI uri() {
        return uri;
    }

    @Override
    public void close() {
        try {
            server.disposeNow(Duration.ofSeconds(10));
            revocations.close();
        } catch (Exception e) {
            log.warn("example did not stop cleanly: {}", e.toString());
        }
    }

    private static Mono<ServerResponse> json(HttpStatus status, String body) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }

    private static String whoami(Claims claims) {
        return "{\"sub\":" + quote(claims.sub()) + ",\"zone_id\":" + quote(claims.zoneId()) + ",\"scope\":" + quote(claims.scope()) + "}";
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
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
}
