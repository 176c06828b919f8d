package ai.caracal.testkit.attacks;

import ai.caracal.testkit.TestJson;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The attacker's web server, on {@code 127.0.0.1}: every {@code jku}, {@code x5u} and URL-shaped
 * {@code kid} in the {@link AttackCorpus} points here. Every request on any path is counted and answered
 * {@code 200} with a JWKS holding the attacker's P-256 key under both {@code attacker-1} and {@code k1},
 * so a verifier that did fetch it would not merely fail but accept a forged mandate. A correct verifier
 * never sends it a request: assert {@link #requests()} is zero.
 *
 * <p>Thread-safe. {@link #close()} stops the server.
 */
public final class AttackerOrigin implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final URI uri;

    private AttackerOrigin() {
        byte[] jwks = TestJson.jwks(AttackerKeys.publicJwk(AttackerKeys.ATTACKER_KID), AttackerKeys.publicJwk("k1"))
                .getBytes(StandardCharsets.UTF_8);
        threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "caracal-attacker-origin");
            thread.setDaemon(true);
            return thread;
        });
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the attacker origin on 127.0.0.1", e);
        }
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(jwks);
                }
            }
        });
        server.setExecutor(threads);
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** @return a running attacker origin; close it when done */
    public static AttackerOrigin start() {
        return new AttackerOrigin();
    }

    /** @return {@code http://127.0.0.1:<port>}, without a trailing slash */
    public URI uri() {
        return uri;
    }

    /**
     * @param path a path starting with {@code /}
     * @return the attacker URL for that path
     */
    public String url(String path) {
        return uri + path;
    }

    /** @return requests received since start; a correct verifier leaves this at zero */
    public int requests() {
        return requests.get();
    }

    /** Stops the server. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        threads.shutdownNow();
    }
}
