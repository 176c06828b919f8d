package ai.caracal.jaxrs.quarkus;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A GET with the exact request target and Authorization headers given, over a socket. */
final class RawAnswer {

    final int status;
    final String body;

    private RawAnswer(int status, String body) {
        this.status = status;
        this.body = body;
    }

    static RawAnswer get(URI base, String target, String... tokens) {
        StringBuilder head = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(base.getPort()).append("\r\n");
        for (String token : tokens) {
            if (token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
        }
        head.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 20_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            return new RawAnswer(Integer.parseInt(all.split(" ", 3)[1]), end < 0 ? "" : all.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
