package ai.caracal.examples.servlet;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.RedisRevocations;
import ai.caracal.servlet.CaracalFilter;
import ai.caracal.servlet.CaracalRequests;
import ai.caracal.verify.Claims;
import ai.caracal.verify.Requirements;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small API protected by {@link CaracalFilter} on embedded Jetty 12, configured only by the
 * environment: {@code CARACAL_STS_URL}, {@code CARACAL_ZONE_ID}, {@code CARACAL_AUDIENCE} (default
 * {@code resource://examples}), {@code PORT} (default 8080), optional {@code REDIS_URL}. The key set is
 * fetched at start: a failure (an unreachable issuer, a missing zone) is logged in one WARN line that
 * names the URL and the answer, and the server starts anyway, rejecting every mandate until it can
 * fetch the keys.
 *
 * <ul>
 *   <li>{@code GET /healthz}: excluded, {@code {"status":"ok"}}</li>
 *   <li>{@code GET /api/documents}: scope {@code documents:read}</li>
 *   <li>{@code POST /api/payouts}: scope {@code billing:payout} and a delegated mandate</li>
 *   <li>{@code GET /api/whoami}: any valid mandate; echoes {@code sub}, {@code zone_id}, {@code scope}</li>
 * </ul>
 */
public final class ServletExample implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServletExample.class);

    private final Server server;
    private final AutoCloseable revocations;
    private final URI uri;

    private ServletExample(Server server, AutoCloseable revocations, URI uri) {
        this.server = server;
        this.revocations = revocations;
        this.uri = uri;
    }

    /**
     * Runs the example until the JVM stops.
     *
     * @param args ignored: configuration comes from the environment
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        ServletExample example = start(System::getenv);
        Runtime.getRuntime().addShutdownHook(new Thread(example::close, "example-stop"));
        System.out.println("listening on " + example.uri());
        example.server.join();
    }

    /**
     * @param env where the configuration is read from ({@code System::getenv} in production)
     * @return the running example
     * @throws Exception when the server cannot start
     */
    public static ServletExample start(Function<String, String> env) throws Exception {
        String audience = orDefault(env.apply("CARACAL_AUDIENCE"), "resource://examples");
        int port = Integer.parseInt(orDefault(env.apply("PORT"), "8080"));
        RedisRevocations redis = RedisRevocations.fromEnvironment(env).orElse(null);
        RevocationStore store = redis != null ? redis.store() : new InMemoryRevocationStore();
        if (redis == null) {
            log.warn("REDIS_URL is not set: using an in-memory revocation store (development only; replicas will not share revocations)");
        }

        CaracalFilter filter = CaracalFilter.builder()
                .environment(env)
                .audience(audience)
                .revocations(store)
                .route("/api/documents", Requirements.builder().requiredScopes("documents:read").build())
                .route("/api/payouts", Requirements.builder().requiredScopes("billing:payout").requireDelegation(true).build())
                .exclude("/healthz")
                // D18: a wrong issuer or a missing zone is said at start, in one WARN line; the server still starts.
                .warmupOnInit(true)
                .build();

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        FilterHolder holder = new FilterHolder(filter);
        holder.setAsyncSupported(true);
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new Api()), "/*");
        server.setHandler(context);
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        return new ServletExample(server, redis != null ? redis : () -> { }, uri);
    }

    /** @return the base URL */
    public URI uri() {
        return uri;
    }

    @Override
    public void close() {
        try {
            server.stop();
            revocations.close();
        } catch (Exception e) {
            log.warn("example did not stop cleanly: {}", e.toString());
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The example API; the filter has already verified everything but /healthz. */
    private static final class Api extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
            String route = request.getMethod() + " " + path;
            switch (route) {
                case "GET /healthz":
                    json(response, 200, "{\"status\":\"ok\"}");
                    break;
                case "GET /api/documents":
                    json(response, 200, "[{\"id\":\"1\",\"title\":\"Quarterly report\"},{\"id\":\"2\",\"title\":\"Roadmap\"}]");
                    break;
                case "POST /api/payouts":
                    json(response, 200, "{\"accepted\":true}");
                    break;
                case "GET /api/whoami":
                    Claims claims = CaracalRequests.requireClaims(request);
                    json(response, 200, whoami(claims));
                    break;
                default:
                    json(response, 404, "{\"error\":\"not_found\"}");
            }
        }

        private static String whoami(Claims claims) {
            return "{\"sub\":" + quote(claims.sub()) + ",\"zone_id\":" + quote(claims.zoneId()) + ",\"scope\":" + quote(claims.scope()) + "}";
        }

        private static void json(HttpServletResponse response, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.setContentType("application/json");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
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
}
