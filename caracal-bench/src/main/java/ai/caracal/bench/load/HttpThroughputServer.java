package ai.caracal.bench.load;

import ai.caracal.examples.servlet.ServletExample;
import ai.caracal.examples.webflux.WebFluxExample;
import ai.caracal.testkit.TestIssuer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.netty.http.server.HttpServer;

/**
 * Starts two servers for an external load generator and prints four lines: an example's base URL (against a
 * loopback test issuer), a repeat-use mandate with {@code documents:read}, the base URL of the control
 * server, and {@code ready}.
 *
 * <p>The first argument picks the stack: {@code servlet} (default: the servlet example, Jetty 12 +
 * {@code CaracalFilter}) or {@code webflux} (the WebFlux example, Reactor Netty + {@code CaracalWebFilter}).
 * The control server is the same stack without the filter: for {@code webflux}, the example's own routes
 * ({@code WebFluxExample.routes()}) in the same handler chain; for {@code servlet}, a servlet whose
 * {@code GET /api/documents} answers the very bytes and content type the protected endpoint answered. So
 * the two differ only by verification. The
 * example's excluded {@code GET /healthz} is a second comparison (the filter runs, but only its exclusion
 * check). With {@code REDIS_URL} set, the example uses the Redis revocation store (in a namespace of its own,
 * so it never joins another program's consumer groups); otherwise the in-memory store. Runs until killed.
 */
public final class HttpThroughputServer {

    private HttpThroughputServer() {
    }

    /**
     * @param args {@code servlet} (default) or {@code webflux}
     * @throws Exception when a server cannot start
     */
    public static void main(String[] args) throws Exception {
        String stack = args.length > 0 ? args[0] : "servlet";
        TestIssuer issuer = TestIssuer.start("zone_bench", "resource://examples");
        issuer.clock().set(Instant.now());
        Map<String, String> env = new HashMap<>(Map.of("CARACAL_STS_URL", issuer.url(), "CARACAL_ZONE_ID", "zone_bench", "PORT", "0"));
        String redisUrl = System.getenv("REDIS_URL");
        if (redisUrl != null && !redisUrl.isBlank()) {
            env.put("REDIS_URL", redisUrl);
            env.put("CARACAL_REDIS_NAMESPACE", "caracal-bench-http-" + UUID.randomUUID());
        }
        URI example = switch (stack) {
            case "servlet" -> ServletExample.start(env::get).uri();
            case "webflux" -> WebFluxExample.start(env::get).uri();
            case "webflux-floor-loop" -> startWebFluxControl(AsyncFloor.sameLoop());
            case "webflux-floor-thread" -> startWebFluxControl(AsyncFloor.otherThread());
            default -> throw new IllegalArgumentException("unknown stack " + stack
                    + ": servlet, webflux, webflux-floor-loop or webflux-floor-thread");
        };
        String token = issuer.mint().scope("documents:read").agentSession().expiresIn(Duration.ofHours(1)).sign();
        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(example.resolve("/api/documents")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the protected endpoint answered " + answer.statusCode());
        }
        String contentType = answer.headers().firstValue("Content-Type").orElse("application/json");
        URI control = stack.startsWith("webflux") ? startWebFluxControl() : startControl(answer.body(), contentType);
        System.out.println(example);
        System.out.println(token);
        System.out.println(control);
        System.out.println("ready");
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** The WebFlux example's own routes and handler chain, without the filter. */
    private static URI startWebFluxControl(WebFilter... filters) {
        HttpHandler app = WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(WebFluxExample.routes()))
                .filters(list -> list.addAll(List.of(filters)))
                .codecConfigurer(ServerCodecConfigurer.create())
                .build();
        int port = HttpServer.create().host("127.0.0.1").port(0).handle(new ReactorHttpHandlerAdapter(app))
                .bindNow(Duration.ofSeconds(30)).port();
        return URI.create("http://127.0.0.1:" + port);
    }

    private static URI startControl(byte[] body, String contentType) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setStatus(200);
                response.setContentType(contentType);
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            }
        }), "/api/documents");
        server.setHandler(context);
        server.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }
}
