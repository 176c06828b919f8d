package ai.caracal.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.http.LiveConnections;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * connectors.md §10.4 on the JDK HttpServer: a handler that streams {@code text/event-stream} on its
 * thread sees its next write fail, and the client reads the end of the response, when the mandate is
 * revoked; a response with a length is not registered. Re-checks every 100 ms; bounded waits.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class LiveStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<String> writeFailures = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private LiveConnections live;

    @AfterEach
    void stop() {
        server.stop(0);
        threads.shutdownNow();
        live.close();
    }

    /** Streams an event every 20 ms on the handler's thread until a write fails. */
    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (int i = 0; i < 3000; i++) {
                out.write(("data: tick " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(20);
            }
        } catch (IOException e) {
            writeFailures.add(String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private URI serve(TestIssuer issuer) throws IOException {
        live = LiveConnections.builder().revocations(issuer.revocations()).recheckInterval(Duration.ofMillis(100))
                .clock(issuer.clock()).build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        HttpContext events = server.createContext("/events", this::stream);
        HttpContext plain = server.createContext("/plain", exchange -> {
            byte[] body = "plain".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        CaracalHttpFilter filter = CaracalHttpFilter.builder().verifier(issuer.verifier().build()).liveConnections(live).build();
        events.getFilters().add(filter);
        plain.getFilters().add(filter);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    @DisplayName("a streamed text/event-stream response ends on revocation: the client reads the end, the handler's next write fails")
    void streamEndsOnRevocation(TestIssuer issuer) throws Exception {
        URI base = serve(issuer);
        String token = issuer.mint().sid("sid-jdk").sign();
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/plain")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("plain");
        assertThat(live.size()).as("a response with a length").isZero();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(base.resolve("/events"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).startsWith("data: tick");
        CompletableFuture<Void> end = CompletableFuture.runAsync(() -> {
            try {
                while (lines.readLine() != null) {
                    // ticks until the end
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, threads);
        assertThat(live.size()).isEqualTo(1);

        issuer.revoke("sid-jdk");

        Eventually.waitUntil(WAIT, "the client reads the end of the stream", end::isDone);
        assertThat(end).as("ended, not reset").isCompletedWithValue(null);
        Eventually.waitUntil(WAIT, "the handler's next write fails, naming the code",
                () -> writeFailures.stream().anyMatch(message -> message.contains("session_revoked")));
        assertThat(live.size()).isZero();
    }
}
