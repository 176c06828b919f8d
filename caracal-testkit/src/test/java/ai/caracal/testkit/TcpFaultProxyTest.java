package ai.caracal.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The fault proxy in front of a small echo server: each mode, and the way back to pass-through. */
class TcpFaultProxyTest {

    private ServerSocket echo;
    private TcpFaultProxy proxy;

    @BeforeEach
    void startEchoServerAndProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::echoLoop, "echo-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = TcpFaultProxy.start("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    @DisplayName("pass-through: bytes reach the server and its answer comes back")
    void passThroughForwardsBothWays() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
            assertThat(roundTrip(socket, "again")).isEqualTo("again");
        }
        assertThat(proxy.acceptedConnections()).isEqualTo(1);
    }

    @Test
    @DisplayName("latency: a round trip takes at least twice the one-way delay; restore() removes it")
    void latencyDelaysEachDirection() throws IOException {
        try (Socket socket = connect()) {
            proxy.latency(Duration.ofMillis(150));
            long started = System.nanoTime();
            assertThat(roundTrip(socket, "slow")).isEqualTo("slow");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(300L);

            // An hour each way, unless restore() removes it: the round trip ends long before the read timeout.
            proxy.latency(Duration.ofHours(1));
            proxy.restore();
            socket.setSoTimeout(30_000);
            assertThat(roundTrip(socket, "fast")).isEqualTo("fast");
        }
    }

    @Test
    @DisplayName("blackhole: connections are accepted but nothing is answered, on old and new connections")
    void blackholeSwallowsBytes() throws IOException {
        try (Socket old = connect()) {
            assertThat(roundTrip(old, "before")).isEqualTo("before");
            proxy.blackhole();

            old.setSoTimeout(300);
            send(old, "lost");
            assertThatThrownBy(() -> old.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            try (Socket fresh = connect()) {
                fresh.setSoTimeout(300);
                send(fresh, "lost too");
                assertThatThrownBy(() -> fresh.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            }
        }
    }

    @Test
    @DisplayName("restore() after a blackhole resets the connections that lost bytes; new ones work")
    void restoreAfterBlackholeDropsCorruptConnections() throws IOException {
        try (Socket untouched = connect(); Socket corrupt = connect()) {
            assertThat(roundTrip(untouched, "a")).isEqualTo("a");
            proxy.blackhole();
            send(corrupt, "swallowed");
            Eventually.waitUntil(Duration.ofSeconds(5), "the blackhole swallows the bytes", () -> proxy.swallowedBytes() > 0);

            proxy.restore();

            corrupt.setSoTimeout(2_000);
            assertThatThrownBy(() -> {
                if (corrupt.getInputStream().read() >= 0) {
                    throw new AssertionError("the corrupt connection still answers");
                }
                throw new IOException("end of stream");
            }).isInstanceOf(IOException.class);
            assertThat(roundTrip(untouched, "b")).isEqualTo("b");
            try (Socket fresh = connect()) {
                assertThat(roundTrip(fresh, "c")).isEqualTo("c");
            }
        }
    }

    @Test
    @DisplayName("silence: the open connections answer nothing and are not closed; new ones pass through")
    void silenceMutesOnlyTheOpenConnections() throws IOException {
        try (Socket old = connect()) {
            assertThat(roundTrip(old, "before")).isEqualTo("before");

            assertThat(proxy.silence()).isEqualTo(1);

            old.setSoTimeout(300);
            send(old, "lost");
            assertThatThrownBy(() -> old.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            try (Socket fresh = connect()) {
                assertThat(roundTrip(fresh, "after")).isEqualTo("after");
            }
            send(old, "still lost");
            assertThatThrownBy(() -> old.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(old.isClosed()).isFalse();
        }
    }

    @Test
    @DisplayName("blackhole then silence: a connection accepted during the blackhole stays silent; new ones pass")
    void connectionsFromTheBlackholeStaySilent() throws IOException {
        proxy.blackhole();
        try (Socket duringOutage = connect()) {
            Eventually.waitUntil(Duration.ofSeconds(5), "the proxy accepts the connection",
                    () -> proxy.acceptedConnections() == 1);
            assertThat(proxy.silence()).isEqualTo(1);

            duringOutage.setSoTimeout(300);
            send(duringOutage, "handshake");
            assertThatThrownBy(() -> duringOutage.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            try (Socket fresh = connect()) {
                assertThat(roundTrip(fresh, "back")).isEqualTo("back");
            }
        }
    }

    @Test
    @DisplayName("reset: open connections are reset, new ones too, on the same port; restore() passes through again")
    void resetRefusesUntilRestored() throws IOException {
        Socket old = connect();
        try {
            assertThat(roundTrip(old, "before")).isEqualTo("before");
            proxy.reset();

            old.setSoTimeout(2_000);
            assertThatThrownBy(() -> {
                send(old, "x");
                if (old.getInputStream().read() < 0) {
                    throw new IOException("end of stream");
                }
            }).isInstanceOf(IOException.class);
            try (Socket refused = connect()) {
                refused.setSoTimeout(2_000);
                assertThatThrownBy(() -> {
                    send(refused, "y");
                    if (refused.getInputStream().read() < 0) {
                        throw new IOException("end of stream");
                    }
                }).isInstanceOf(IOException.class);
            }
            assertThat(proxy.openConnections()).isZero();

            proxy.restore();

            try (Socket fresh = connect()) {
                assertThat(roundTrip(fresh, "after")).isEqualTo("after");
            }
        } finally {
            old.close();
        }
    }

    @Test
    @DisplayName("close() is idempotent and stops the proxy's threads")
    void closeStopsEverything() throws Exception {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "x")).isEqualTo("x");
        }
        proxy.close();
        proxy.close();

        String prefix = TcpFaultProxy.THREAD_PREFIX + proxy.port() + "-";
        Eventually.waitUntil(Duration.ofSeconds(5), "the proxy's threads end",
                () -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith(prefix)));
        // Not "a new connect is refused": the released port may be taken by another process at once.
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(proxy.host(), proxy.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        send(socket, text);
        byte[] expected = text.getBytes(StandardCharsets.UTF_8);
        byte[] got = socket.getInputStream().readNBytes(expected.length);
        return new String(got, StandardCharsets.UTF_8);
    }

    private void echoLoop() {
        while (!echo.isClosed()) {
            Socket socket;
            try {
                socket = echo.accept();
            } catch (IOException e) {
                return;
            }
            Thread pump = new Thread(() -> {
                try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // the proxy reset the connection
                }
            }, "echo-connection");
            pump.setDaemon(true);
            pump.start();
        }
    }
}
