package ai.caracal.devsts;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The JDK {@link HttpServer} of one dev STS and its daemon worker threads. Not thread-safe; {@link DevSts} owns it. */
final class DevStsServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService workers;

    private DevStsServer(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /**
     * Binds, without serving yet.
     *
     * @param port 0 for a free port
     * @throws UncheckedIOException when the address cannot be bound
     */
    static DevStsServer bind(InetAddress address, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the dev STS on " + address.getHostAddress() + ":" + port, e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "caracal-dev-sts-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        return new DevStsServer(server, workers);
    }

    /** @return the bound port */
    int port() {
        return server.getAddress().getPort();
    }

    /**
     * @param host the configured host, as the URL should show it
     * @return {@code http://<host>:<port>}, with an IPv6 literal in brackets
     */
    String url(String host) {
        boolean ipv6Literal = host.indexOf(':') >= 0 && !host.startsWith("[");
        return "http://" + (ipv6Literal ? "[" + host + "]" : host) + ":" + port();
    }

    /** Starts serving every path through {@code router}. */
    void start(Router router) {
        server.createContext("/", router);
        server.start();
    }

    /** Stops at once: the listening socket and the worker threads. */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
