package ai.caracal.jdkhttp;

import ai.caracal.testkit.parity.ConnectorParityContract;
import ai.caracal.testkit.parity.ParityFixture;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * connectors.md §9 on a real JDK {@link HttpServer}: every row P1–P46.
 *
 * <p>P45 runs too. The JDK server has no WebSocket support, so it can never answer {@code 101}; what the
 * row checks, that an upgrade request without a token is rejected before any handler sees it, applies
 * to this filter as to any other request.
 */
class JdkHttpParityTest extends ConnectorParityContract {

    private HttpServer server;
    private ExecutorService threads;

    @Override
    protected URI start(ParityFixture f) throws IOException {
        CaracalHttpFilter.Builder filter = CaracalHttpFilter.builder()
                .verifier(f.verifier())
                .exclude(f.excludes().toArray(String[]::new))
                .permitPreflight(f.permitPreflight())
                .wwwAuthenticate(f.wwwAuthenticate());
        f.routes().forEach(filter::route);
        threads = Executors.newFixedThreadPool(16);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> echo(f, exchange)).getFilters().add(filter.build());
        server.setExecutor(threads);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    protected void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static void echo(ParityFixture f, HttpExchange exchange) throws IOException {
        try (exchange) {
            f.countHandlerCall();
            byte[] body = ParityFixture.echoBody(CaracalHttpFilter.claims(exchange).orElse(null)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
