package ai.caracal.devsts;

import java.net.URI;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The commands a Redis server receives from every client, read with {@code MONITOR} on a plain socket
 * (Lettuce has no MONITOR API): proof of what the dev STS really sends, whatever client it uses.
 */
final class RedisMonitor implements AutoCloseable {

    private final Socket socket;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private RedisMonitor(Socket socket, BufferedReader in) {
        this.socket = socket;
        this.reader = new Thread(() -> {
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // closed by close()
            }
        }, "redis-monitor");
        reader.setDaemon(true);
        reader.start();
    }

    static RedisMonitor start(URI uri) {
        try {
            Socket socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
            socket.setSoTimeout(0);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String userInfo = uri.getUserInfo();
            String[] parts = userInfo == null ? new String[0] : userInfo.split(":", 2);
            String password = parts.length == 2 ? parts[1] : parts.length == 1 ? parts[0] : "";
            if (!password.isEmpty()) {
                String auth = (parts.length == 2 && !parts[0].isEmpty() ? parts[0] + " " : "") + password;
                out.write(("AUTH " + auth + "\r\n").getBytes(StandardCharsets.UTF_8));
                expectOk(in);
            }
            out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expectOk(in);
            return new RedisMonitor(socket, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot MONITOR " + uri.getHost() + ":" + uri.getPort(), e);
        }
    }

    private static void expectOk(BufferedReader in) throws IOException {
        String reply = in.readLine();
        if (!"+OK".equals(reply)) {
            throw new IOException("unexpected reply " + reply);
        }
    }

    /** @return the lines seen so far, as {@code +<time> [<db> <client>] "CMD" "arg" …} */
    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
