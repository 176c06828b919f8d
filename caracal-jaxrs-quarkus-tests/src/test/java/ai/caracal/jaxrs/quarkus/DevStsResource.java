package ai.caracal.jaxrs.quarkus;

import ai.caracal.devsts.DevSts;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real dev STS, reached through a JWKS gate: a small server in front of the STS's key set that tests can
 * hold (key set requests wait) and release, over HTTP, so no object crosses Quarkus's class loaders.
 * The STS's issuer is the gate's URL, so the application fetches its keys through the gate.
 *
 * <p>Gate endpoints: {@code POST /gate/hold}, {@code POST /gate/release}, {@code GET /gate/waiting}
 * (key set requests held right now). A held request waits at most 60 s.
 */
public class DevStsResource implements QuarkusTestResourceLifecycleManager {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private HttpServer server;
    private ExecutorService threads;
    private DevSts sts;

    @Override
    public Map<String, String> start() {
        try {
            threads = Executors.newCachedThreadPool();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(threads);
            server.createContext("/", this::handle);
            server.start();
            String gateUrl = "http://127.0.0.1:" + server.getAddress().getPort();
            sts = DevSts.builder().host("127.0.0.1").port(0).issuer(gateUrl).zones("zone_dev").start();
            return Map.of("caracal.issuer", gateUrl, "caracal.test.sts", sts.url(), "caracal.test.gate", gateUrl);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        gate.countDown();
        if (server != null) {
            server.stop(0);
            threads.shutdownNow();
        }
        if (sts != null) {
            sts.close();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/gate/hold":
                    gate = new CountDownLatch(1);
                    reply(exchange, 204, new byte[0]);
                    break;
                case "/gate/release":
                    gate.countDown();
                    reply(exchange, 204, new byte[0]);
                    break;
                case "/gate/waiting":
                    reply(exchange, 200, String.valueOf(waiting.get()).getBytes(StandardCharsets.UTF_8));
                    break;
                default:
                    proxyKeySet(exchange);
            }
        }
    }

    private void proxyKeySet(HttpExchange exchange) throws IOException {
        waiting.incrementAndGet();
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                reply(exchange, 503, new byte[0]);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            waiting.decrementAndGet();
        }
        try {
            HttpResponse<byte[]> upstream = http.send(HttpRequest.newBuilder(URI.create(sts.url() + exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            upstream.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
            upstream.headers().firstValue("Cache-Control").ifPresent(v -> exchange.getResponseHeaders().set("Cache-Control", v));
            reply(exchange, upstream.statusCode(), upstream.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
