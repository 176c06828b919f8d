package ai.caracal.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a loopback port that a test puts between a client (Lettuce, a JDBC pool) and a real
 * server (Redis, PostgreSQL) to make the network slow, silent or broken, and then heal it.
 *
 * <pre>{@code
 * try (TcpFaultProxy proxy = TcpFaultProxy.start("127.0.0.1", 6379)) {
 *     RedisClient client = RedisClient.create("redis://127.0.0.1:" + proxy.port());
 *     proxy.latency(Duration.ofMillis(500)); // every byte arrives 500 ms late, in order
 *     proxy.blackhole();                     // bytes are swallowed in both directions; nothing is answered
 *     proxy.silence();                       // open connections go silent for good; new ones pass through
 *     proxy.reset();                         // open and new connections get a TCP RST
 *     proxy.restore();                       // pass-through again
 * }
 * }</pre>
 *
 * <p><b>Modes.</b> The proxy starts in pass-through. {@link #latency(Duration)} delays every chunk of
 * bytes, in either direction, by the given time after it was read (order is kept; latency does not
 * accumulate). {@link #blackhole()} keeps accepting connections but forwards nothing, in either direction,
 * on old and new connections alike, like a partitioned network. {@link #silence()} swallows every byte of
 * the connections open at that moment, for the rest of their lives and without closing them, while
 * connections accepted afterwards pass through: a peer that vanished without a reset (host gone, packets
 * dropped, a frozen server) and came back, which a client only notices by its own time-outs. {@link #reset()} closes every open
 * connection with a TCP RST and resets new ones as soon as they are accepted, like a crashed server (the
 * port stays the proxy's). {@link #restore()} goes back to pass-through without latency.
 *
 * <p><b>Restore after a blackhole.</b> A connection that lost bytes to the blackhole is closed (with an
 * RST) by {@link #restore()}: TCP never loses bytes without dropping the connection, so forwarding
 * again on it would hand the server and client a corrupt stream. Connections that lost nothing stay.
 *
 * <p><b>Threads.</b> One daemon acceptor thread, and four daemon threads per connection (a reader and
 * a writer per direction), all named {@code tcp-fault-proxy-<port>...} so a test counting its own
 * threads can leave them out.
 *
 * <p>Thread-safe: any thread may switch modes at any time. {@link #close()} is idempotent, closes every
 * connection and stops every thread it started.
 */
public final class TcpFaultProxy implements AutoCloseable {

    /** The prefix of the name of every thread the proxy starts. */
    public static final String THREAD_PREFIX = "tcp-fault-proxy-";

    private static final int CHUNK = 16 * 1024;

    private enum Mode { PASS, BLACKHOLE, REFUSE }

    private final InetSocketAddress upstream;
    private final int port;
    private final Set<Link> links = new HashSet<>();
    private final Object lock = new Object();
    private volatile Mode mode = Mode.PASS;
    private volatile long latencyNanos;
    private ServerSocket listener;
    private boolean closed;
    private int accepted;
    private final AtomicLong swallowed = new AtomicLong();

    private TcpFaultProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.listener = bind(0);
        this.port = listener.getLocalPort();
        Thread acceptor = new Thread(this::acceptLoop, THREAD_PREFIX + port + "-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a proxy in pass-through mode on a free loopback port.
     *
     * @param host the server's host; not {@code null}
     * @param port the server's port
     * @return the running proxy; close it when done
     * @throws UncheckedIOException if no loopback port can be bound
     */
    public static TcpFaultProxy start(String host, int port) {
        Objects.requireNonNull(host, "host");
        try {
            return new TcpFaultProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback port for the proxy", e);
        }
    }

    /** @return the loopback port clients connect to; the same for the proxy's whole life */
    public int port() {
        return port;
    }

    /** @return {@code 127.0.0.1}, the host clients connect to */
    public String host() {
        return "127.0.0.1";
    }

    /**
     * Delays every chunk of bytes, in both directions, by {@code latency} from the moment it was read;
     * leaves blackhole or refuse mode for pass-through. Connections that lost bytes, or were silenced,
     * are closed with a TCP RST.
     *
     * @param latency the added one-way delay; zero for none; not {@code null} or negative
     */
    public void latency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        synchronized (lock) {
            latencyNanos = latency.toNanos();
            passThrough();
        }
    }

    /**
     * Swallows every byte in both directions, on open and new connections; connections are accepted but
     * never answered.
     */
    public void blackhole() {
        synchronized (lock) {
            listenAgain();
            mode = Mode.BLACKHOLE;
        }
    }

    /**
     * Closes every open connection with a TCP RST, and resets every new one at once until
     * {@link #restore()}, like a server that crashed. The port stays bound meanwhile: were it released,
     * another process on the machine could take it (then {@link #restore()} could not listen again), or
     * a client could connect to itself on it.
     */
    public void reset() {
        synchronized (lock) {
            mode = Mode.REFUSE;
            for (Link link : links) {
                link.abort();
            }
            links.clear();
        }
    }

    /**
     * Back to pass-through without latency, listening on the same port. Connections that lost bytes to
     * a blackhole, or were silenced, are closed with a TCP RST.
     *
     * @throws UncheckedIOException if the port cannot be bound again
     */
    public void restore() {
        synchronized (lock) {
            latencyNanos = 0L;
            passThrough();
        }
    }

    /** @return the connections open through the proxy now */
    public int openConnections() {
        synchronized (lock) {
            links.removeIf(Link::isDone);
            return links.size();
        }
    }

    /** @return how many connections the proxy has accepted since it started */
    public int acceptedConnections() {
        synchronized (lock) {
            return accepted;
        }
    }

    /** @return how many bytes, in both directions, the blackhole has swallowed since the proxy started */
    public long swallowedBytes() {
        return swallowed.get();
    }

    /** Stops listening and closes every connection. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(listener);
            listener = null;
            for (Link link : links) {
                link.abort();
            }
            links.clear();
            lock.notifyAll();
        }
    }

    /**
     * Silences the connections the proxy has accepted by now, for good: their bytes are swallowed in both directions and they are
     * never closed by the proxy (until {@link #restore()} or {@link #close()} resets them, as they lost
     * bytes). Connections accepted from now on pass through, with the latency set (leaves blackhole or
     * refuse mode for pass-through). The client sees no reset, no end of stream and no refused connection:
     * only replies that never come.
     *
     * @return how many connections were silenced
     */
    public int silence() {
        synchronized (lock) {
            links.removeIf(Link::isDone);
            for (Link link : links) {
                link.silenced = true;
            }
            listenAgain();
            mode = Mode.PASS;
            return links.size();
        }
    }

    @Override
    public String toString() {
        return "TcpFaultProxy[127.0.0.1:" + port + " -> " + upstream.getHostString() + ":" + upstream.getPort()
                + ", " + mode + (latencyNanos > 0 ? ", +" + TimeUnit.NANOSECONDS.toMillis(latencyNanos) + " ms" : "")
                + "]";
    }

    private void passThrough() {
        listenAgain();
        for (Link link : links) {
            if (link.lostBytes || link.silenced) {
                link.abort();
            }
        }
        links.removeIf(Link::isDone);
        mode = Mode.PASS;
    }

    /** Called under the lock: listens again after {@link #reset()}. */
    private void listenAgain() {
        if (closed || listener != null) {
            return;
        }
        try {
            listener = bind(port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " again", e);
        }
        lock.notifyAll();
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        return socket;
    }

    private void acceptLoop() {
        while (true) {
            ServerSocket current;
            synchronized (lock) {
                while (!closed && listener == null) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                current = listener;
            }
            Socket client;
            try {
                client = current.accept();
            } catch (IOException e) {
                continue; // closed by reset() or close(); the loop decides what is next
            }
            Link link = new Link(client);
            synchronized (lock) {
                if (closed || mode == Mode.REFUSE) {
                    link.abort();
                    continue;
                }
                links.add(link);
                accepted++;
            }
            link.start();
        }
    }

    /** One proxied connection: the client's socket, the server's, and a pump per direction. */
    private final class Link {
        final Socket client;
        final Socket server = new Socket();
        final int id;
        final AtomicInteger directionsEnded = new AtomicInteger();
        volatile boolean lostBytes;
        /** Set by {@link #silence()}: this connection forwards nothing for the rest of its life. */
        volatile boolean silenced;
        volatile boolean done;

        Link(Socket client) {
            this.client = client;
            this.id = client.getPort();
        }

        void start() {
            Thread connector = new Thread(() -> {
                try {
                    server.setTcpNoDelay(true);
                    client.setTcpNoDelay(true);
                    server.connect(upstream, 5_000);
                } catch (IOException e) {
                    abort();
                    return;
                }
                pump(client, server, "up");
                pump(server, client, "down");
            }, THREAD_PREFIX + port + "-" + id + "-connect");
            connector.setDaemon(true);
            connector.start();
        }

        private void pump(Socket from, Socket to, String direction) {
            BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> read(from, queue), THREAD_PREFIX + port + "-" + id + "-" + direction + "-read");
            Thread writer = new Thread(() -> write(to, queue), THREAD_PREFIX + port + "-" + id + "-" + direction + "-write");
            reader.setDaemon(true);
            writer.setDaemon(true);
            reader.start();
            writer.start();
        }

        private void read(Socket from, BlockingQueue<Chunk> queue) {
            byte[] buffer = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (mode == Mode.PASS && !silenced) {
                        queue.add(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + latencyNanos));
                    } else if (n > 0) {
                        lostBytes = true;
                        swallowed.addAndGet(n);
                    }
                }
                queue.add(Chunk.END);
            } catch (IOException e) {
                abort();
                queue.add(Chunk.END);
            }
        }

        private void write(Socket to, BlockingQueue<Chunk> queue) {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == Chunk.END) {
                        // Half-close, as the other side did; the connection ends when both directions have.
                        if (directionsEnded.incrementAndGet() == 2) {
                            abort();
                        } else if (!to.isClosed()) {
                            to.shutdownOutput();
                        }
                        return;
                    }
                    long wait = chunk.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                abort();
            }
        }

        /** Closes both sockets with an RST (linger 0). */
        void abort() {
            done = true;
            for (Socket socket : new Socket[] {client, server}) {
                try {
                    socket.setSoLinger(true, 0);
                } catch (SocketException e) {
                    // already closed
                }
                closeQuietly(socket);
            }
        }

        boolean isDone() {
            return done || client.isClosed() && server.isClosed();
        }
    }

    /** Bytes read at one time, and when they may be written. */
    private record Chunk(byte[] bytes, long dueNanos) {
        /** The end of a direction; compared by identity. */
        static final Chunk END = new Chunk(new byte[0], 0L);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // closing is best effort: the socket may already be gone
        }
    }
}
