package ai.caracal.verify;

import ai.caracal.verify.http.BoundaryDecision;
import ai.caracal.verify.http.BoundaryRequest;
import ai.caracal.verify.http.BoundaryResponse;
import ai.caracal.verify.http.HttpBoundary;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The smallest HTTP connector over {@link HttpBoundary}, on the JDK server and {@code 127.0.0.1}: every
 * request goes through {@code evaluate}; a rejection is written as the boundary says, anything else
 * reaches a handler answering {@code 200 {"sub": <sub or null>}}. For tests only, not the JDK connector.
 */
final class BoundaryHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "boundary-http");
        thread.setDaemon(true);
        return thread;
    });

    private BoundaryHttpServer(HttpBoundary boundary) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(boundary, exchange);
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    static BoundaryHttpServer start(HttpBoundary boundary) {
        return new BoundaryHttpServer(boundary);
    }

    /** @return {@code http://127.0.0.1:<port>} plus {@code path} */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static void handle(HttpBoundary boundary, HttpExchange exchange) throws IOException {
        BoundaryDecision decision = boundary.evaluate(new BoundaryRequest() {
            @Override
            public String method() {
                return exchange.getRequestMethod();
            }

            @Override
            public String path() {
                return exchange.getRequestURI().getPath();
            }

            @Override
            public List<String> headers(String name) {
                List<String> values = exchange.getRequestHeaders().get(name);
                return values == null ? List.of() : values;
            }
        });
        if (decision.kind() == BoundaryDecision.Kind.RESPOND) {
            BoundaryResponse response = decision.response();
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            byte[] body = response.includeBody() ? response.body() : new byte[0];
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            return;
        }
        Claims claims = decision.claims();
        byte[] body = ("{\"sub\":" + (claims == null ? "null" : "\"" + claims.sub() + "\"") + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
