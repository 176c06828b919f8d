package ai.caracal.verify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A second loopback HTTP server for answers the test issuer cannot give (a redirect target, a chunked
 * or stalled body). Every request on any path goes to one {@link Responder} and is counted.
 * {@link #close()} stops the server and interrupts responders still running.
 */
final class StubHttpServer implements AutoCloseable {

    /** Answers one request; the exchange is closed afterwards. */
    @FunctionalInterface
    interface Responder {
        void respond(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "stub-http");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger requests = new AtomicInteger();

    private StubHttpServer(Responder responder) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                responder.respond(exchange);
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    /**
     * @param responder answers every request
     * @return a running server on {@code 127.0.0.1}
     */
    static StubHttpServer start(Responder responder) {
        return new StubHttpServer(responder);
    }

    /** @return {@code http://127.0.0.1:<port>} */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return requests received so far */
    int requests() {
        return requests.get();
    }

    /** For a responder that never finishes its answer: blocks until {@link #close()} (at most one minute). */
    static void holdUntilClosed() {
        try {
            Thread.sleep(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
