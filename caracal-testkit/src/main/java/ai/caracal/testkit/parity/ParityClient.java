package ai.caracal.testkit.parity;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends the parity requests. Most go through the JDK {@link HttpClient} (HTTP/1.1); the rows it cannot
 * express (a raw {@code ..} path, repeated {@code Authorization} headers, exact whitespace in a header,
 * {@code Upgrade}, which it forbids) go through {@link #raw}, a minimal HTTP/1.1 client over a socket.
 * Every wait is bounded.
 */
final class ParityClient {

    /** Bound for one request; a connector that never answers fails the row instead of hanging the build. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * @param headers name, value, name, value, …
     */
    ParityResponse send(URI base, String method, String target, Duration timeout, String... headers) {
        try {
            return toResponse(http.send(request(base, method, target, timeout, headers), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
        } catch (HttpTimeoutException e) {
            throw new AssertionError(method + " " + target + ": no response within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    CompletableFuture<ParityResponse> sendAsync(URI base, String method, String target, String... headers) {
        return http.sendAsync(request(base, method, target, REQUEST_TIMEOUT, headers), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(ParityClient::toResponse);
    }

    private static HttpRequest request(URI base, String method, String target, Duration timeout, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + target))
                .timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.build();
    }

    private static ParityResponse toResponse(HttpResponse<String> response) {
        return new ParityResponse(response.statusCode(), response.headers().map(), response.body());
    }

    /**
     * Sends exactly these bytes (ISO-8859-1): request line (the base URI's path, then {@code target}
     * unchanged), {@code Host}, the headers as given,
     * {@code Connection: close} unless a {@code Connection} header is among them, and an empty line.
     * Reads one response; a 1xx (for example {@code 101 Switching Protocols}) is returned at once.
     *
     * @param headers name, value, name, value, … sent verbatim as {@code name: value}, repeats kept
     */
    ParityResponse raw(URI base, String method, String target, String... headers) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(basePath).append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        boolean connection = false;
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            connection |= headers[i].equalsIgnoreCase("Connection");
        }
        if (!connection) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        int timeout = (int) REQUEST_TIMEOUT.toMillis();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), timeout);
            socket.setSoTimeout(timeout);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readResponse(new BufferedInputStream(socket.getInputStream()), method);
        } catch (SocketTimeoutException e) {
            throw new AssertionError(method + " " + target + ": no complete response within " + timeout + " ms");
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target + " failed", e);
        }
    }

    /**
     * connectors.md §10.3 over one HTTP/1.1 connection: sends the head of a {@code POST} announcing
     * {@code bodyBytes} of body, and the first KiB of it; reads the answer while the rest is still to
     * come; then sends the rest in 64 KiB pieces. When the answer announced {@code Connection: close},
     * the server must then close the connection cleanly (end of stream, no reset); otherwise the same
     * connection must carry a {@code GET} of the same target, whose answer is read. A server that closes
     * the connection with body bytes unread resets it, and the exchange fails naming the step.
     *
     * @return the answer to the {@code POST}, then (unless it announced {@code Connection: close}) the
     *         answer to the {@code GET}
     */
    List<ParityResponse> rawAnswerBeforeBody(URI base, String target, int bodyBytes) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        String host = "Host: " + base.getHost() + ':' + base.getPort() + "\r\n";
        byte[] postHead = ("POST " + basePath + target + " HTTP/1.1\r\n" + host
                + "Content-Type: application/json\r\nContent-Length: " + bodyBytes + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] getHead = ("GET " + basePath + target + " HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] piece = new byte[64 * 1024];
        Arrays.fill(piece, (byte) 'a');
        int first = Math.min(1024, bodyBytes);
        int timeout = (int) REQUEST_TIMEOUT.toMillis();
        String step = "connect";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), timeout);
            socket.setSoTimeout(timeout);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            step = "send the POST head and the first " + first + " bytes of its body";
            out.write(postHead);
            out.write(piece, 0, first);
            out.flush();
            step = "read the answer to the POST while its body is still to come";
            ParityResponse answer = readResponse(in, "POST");
            step = "send the remaining " + (bodyBytes - first) + " bytes of the body after the answer " + answer.status();
            for (int sent = first; sent < bodyBytes; sent += piece.length) {
                out.write(piece, 0, Math.min(piece.length, bodyBytes - sent));
                out.flush();
            }
            if (answer.headers("Connection").stream().anyMatch(value -> value.equalsIgnoreCase("close"))) {
                step = "see the connection closed cleanly after the answer with Connection: close";
                int next = in.read();
                if (next != -1) {
                    throw new AssertionError("the server sent more after an answer with Connection: close");
                }
                return List.of(answer);
            }
            step = "send a GET on the same connection";
            out.write(getHead);
            out.flush();
            step = "read the answer to the GET on the same connection, after the POST's answer " + answer;
            return List.of(answer, readResponse(in, "GET"));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("POST " + target + " with a body of " + bodyBytes + " bytes: no progress within "
                    + timeout + " ms at step: " + step);
        } catch (IOException | AssertionError e) {
            throw new AssertionError("POST " + target + " with a body of " + bodyBytes + " bytes: " + e.getMessage()
                    + " at step: " + step, e);
        }
    }

    private static ParityResponse readResponse(InputStream in, String method) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new AssertionError("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
        }
        byte[] body;
        if (status / 100 == 1 || status == 204 || status == 304 || method.equals("HEAD")) {
            body = new byte[0];
        } else if (headers.getOrDefault("transfer-encoding", List.of()).stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            body = readChunked(in);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length").get(0)));
        } else {
            body = in.readAllBytes();
        }
        return new ParityResponse(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers are not used by any row
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    /** One line without its CRLF (or LF); fails at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new AssertionError("connection closed mid-response after: " + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
