package ai.caracal.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.LiveConnections;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * connectors.md §10.4 on one Jakarta REST runtime: a verified {@code SseEventSink} stream ends (the client
 * reads the end of the response, the sink closes) when its mandate is revoked; a plain answer is not
 * registered. Each runtime guards the stream its own way ({@link #serve}): Jersey with
 * {@link CaracalRequestFilter}, RESTEasy classic with the servlet filter in front. A real client reads the
 * stream line by line; re-checks come every 100 ms, and waits are bounded waits on the outcome.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
public abstract class JaxrsLiveStreamContract {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private LiveConnections live;

    /**
     * Starts the runtime with the resource behind the connector that guards its streams.
     *
     * @param verifier the verifier for the connector
     * @param live     the registry for the connector ({@code liveConnections(live)})
     * @param resource the one resource of the application
     * @return the application's base URI
     * @throws Exception when the runtime cannot start
     */
    protected abstract URI serve(MandateVerifier verifier, LiveConnections live, Object resource) throws Exception;

    /**
     * Stops what {@link #serve} started.
     *
     * @throws Exception when it cannot stop
     */
    protected abstract void stopServer() throws Exception;

    @AfterEach
    final void stop() throws Exception {
        ticker.shutdownNow();
        readers.shutdownNow();
        if (live != null) {
            live.close();
        }
        stopServer();
    }

    /** An SSE resource: one event at once, then one every 50 ms until the sink is closed. */
    @Path("/")
    public static final class Events {
        final List<SseEventSink> sinks = new CopyOnWriteArrayList<>();
        private final ScheduledExecutorService ticker;

        Events(ScheduledExecutorService ticker) {
            this.ticker = ticker;
        }

        @GET
        @Path("events")
        @Produces(MediaType.SERVER_SENT_EVENTS)
        public void events(@Context SseEventSink sink, @Context Sse sse) {
            sinks.add(sink);
            sink.send(sse.newEvent("open"));
            ticker.scheduleWithFixedDelay(() -> {
                if (!sink.isClosed()) {
                    sink.send(sse.newEvent("tick"));
                }
            }, 50, 50, TimeUnit.MILLISECONDS);
        }

        @GET
        @Path("plain")
        @Produces(MediaType.TEXT_PLAIN)
        public String plain() {
            return "plain";
        }
    }

    private URI serve(TestIssuer issuer, Events events) throws Exception {
        live = LiveConnections.builder().revocations(issuer.revocations()).recheckInterval(Duration.ofMillis(100))
                .clock(issuer.clock()).build();
        return serve(issuer.verifier().build(), live, events);
    }

    private BufferedReader open(URI base, String token) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(base.resolve("/events"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        String line;
        do {
            line = lines.readLine();
        } while (line != null && !line.startsWith("data:"));
        assertThat(line).as("the first event").isNotNull().contains("open");
        return lines;
    }

    private CompletableFuture<Void> untilEnd(BufferedReader lines) {
        return CompletableFuture.runAsync(() -> {
            try {
                while (lines.readLine() != null) {
                    // ticks keep coming until the stream ends
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, readers);
    }

    @Test
    @DisplayName("a verified SseEventSink stream ends when its sid is revoked: the client reads the end, the sink closes")
    void sseStreamEndsOnRevocation(TestIssuer issuer) throws Exception {
        Events events = new Events(ticker);
        URI base = serve(issuer, events);
        CompletableFuture<Void> end = untilEnd(open(base, issuer.mint().sid("sid-jaxrs").sign()));
        assertThat(live.size()).isEqualTo(1);

        issuer.revoke("sid-jaxrs");

        Eventually.waitUntil(WAIT, "the client reads the end of the stream", end::isDone);
        assertThat(end).as("ended, not reset").isCompletedWithValue(null);
        Eventually.waitUntil(WAIT, "the sink closes", () -> events.sinks.get(0).isClosed());
        Eventually.waitUntil(WAIT, "the registry forgets the stream", () -> live.size() == 0);
    }

    @Test
    @DisplayName("a plain answer is not a live connection; a stream the resource closes is forgotten")
    void onlyOpenStreamsAreTracked(TestIssuer issuer) throws Exception {
        Events events = new Events(ticker);
        URI base = serve(issuer, events);
        String token = issuer.mint().sign();
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(base.resolve("/plain"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.body()).isEqualTo("plain");
        assertThat(live.size()).isZero();

        CompletableFuture<Void> end = untilEnd(open(base, token));
        assertThat(live.size()).isEqualTo(1);
        events.sinks.get(0).close();

        Eventually.waitUntil(WAIT, "the client reads the end of the stream", end::isDone);
        Eventually.waitUntil(WAIT, "the registry forgets the stream", () -> live.size() == 0);
    }
}
