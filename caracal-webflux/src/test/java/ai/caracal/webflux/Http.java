package ai.caracal.webflux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Requests for tests: the JDK client for ordinary ones, a socket for paths no client would send as is. */
final class Http {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    private Http() {
    }

    static HttpResponse<String> get(URI base, String path, String token) {
        return send(base, "GET", path, token);
    }

    static HttpResponse<String> send(URI base, String method, String path, String token) {
        try {
            return CLIENT.send(request(base, method, path, token), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static CompletableFuture<HttpResponse<String>> getAsync(URI base, String path, String token) {
        return CLIENT.sendAsync(request(base, "GET", path, token), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(URI base, String method, String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    /**
     * @param target the request target exactly as sent, for example {@code /payouts/../items}
     * @return the status code of the answer
     */
    static int rawStatus(URI base, String target, String token) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            String request = "GET " + target + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.write(b);
            }
            String status = line.toString(StandardCharsets.ISO_8859_1);
            if (!status.startsWith("HTTP/1.1 ")) {
                throw new AssertionError("no status line for " + target + ": '" + status + "'");
            }
            return Integer.parseInt(status.substring(9, 12));
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + target + " failed", e);
        }
    }
}
