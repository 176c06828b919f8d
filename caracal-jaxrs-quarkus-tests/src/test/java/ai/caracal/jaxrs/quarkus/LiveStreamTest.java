package ai.caracal.jaxrs.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.testkit.Eventually;
import ai.caracal.verify.http.LiveConnections;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * connectors.md §10.4 on Quarkus REST: a verified {@code SseEventSink} stream ({@link EventsResource}) ends
 * when its mandate is revoked in the application's store or expires; the client reads the end of the
 * response, the application's sink reports closed and its producer stops; another mandate's stream stays
 * open. Quarkus REST runs no response filter for an {@code SseEventSink} method and writes the events
 * straight to Vert.x, so this is the filter's Quarkus path. The application's registry re-checks every
 * 100 ms ({@link LiveRecheck}); a real client reads the stream line by line, and waits are bounded waits on
 * outcomes.
 */
@QuarkusTest
@TestProfile(LiveRecheck.class)
@QuarkusTestResource(DevStsResource.class)
class LiveStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL base;

    @Inject
    RevocationStore revocations;

    @Inject
    LiveConnections live;

    @Inject
    EventStreams streams;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private Api api;

    @BeforeEach
    void connect() throws Exception {
        api = new Api(base.toURI());
        Eventually.waitUntil(WAIT, "no stream of an earlier test is open", () -> live.size() == 0);
    }

    @AfterEach
    void stopReaders() {
        readers.shutdownNow();
    }

    /** A client reading one stream: the lines read so far, and the end of the response. */
    private final class Reader {
        final InputStream body;
        final AtomicInteger events = new AtomicInteger();
        final CompletableFuture<Void> end;

        Reader(InputStream body, BufferedReader lines) {
            this.body = body;
            this.end = CompletableFuture.runAsync(() -> {
                try {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            events.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, readers);
        }
    }

    private Reader open(String token) throws Exception {
        return open("/streams/events", token);
    }

    private Reader open(String path, String token) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
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
        assertThat(line).as("the first event").isNotNull();
        return new Reader(response.body(), lines);
    }

    private String mint(String sub, String rootSid, int ttlSeconds) {
        return api.mint("{\"audience\":\"https://api.quarkus.test\",\"sub\":\"" + sub + "\",\"root_sid\":\"" + rootSid
                + "\",\"ttl_seconds\":" + ttlSeconds + "}");
    }

    @Test
    @DisplayName("a revocation in the store ends the stream: the client reads the end, the sink closes, the producer stops; another mandate's stream stays open")
    void revocationEndsTheStream() throws Exception {
        String id = UUID.randomUUID().toString();
        String revokedSub = "user-revoked-" + id;
        String keptSub = "user-kept-" + id;
        Reader revoked = open(mint(revokedSub, "root-revoked-" + id, 900));
        Reader kept = open(mint(keptSub, "root-kept-" + id, 900));
        assertThat(live.size()).as("both streams are live connections").isEqualTo(2);

        revocations.revoke("root-revoked-" + id, Duration.ofMinutes(10));

        Eventually.waitUntil(WAIT, "the client reads the end of the revoked stream", revoked.end::isDone);
        assertThat(revoked.end).as("ended, not reset").isCompletedWithValue(null);
        Eventually.waitUntil(WAIT, "the application's sink reports closed", () -> streams.of(revokedSub).sinkClosed());
        Eventually.waitUntil(WAIT, "the application's producer stops", () -> streams.of(revokedSub).stopped());
        Eventually.waitUntil(WAIT, "the registry forgets the revoked stream", () -> live.size() == 1);

        int before = kept.events.get();
        Eventually.waitUntil(WAIT, "the other stream keeps receiving events", () -> kept.events.get() >= before + 5);
        assertThat(kept.end).as("the other stream is open").isNotDone();
        assertThat(streams.of(keptSub).sinkClosed()).isFalse();
        assertThat(api.send("GET", "/api/whoami", mint("user-again-" + id, "root-revoked-" + id, 900)).statusCode())
                .as("the revoked anchor is refused on a new request too").isEqualTo(401);

        kept.body.close();
        Eventually.waitUntil(WAIT, "the client leaving closes the other sink", () -> streams.of(keptSub).sinkClosed());
        Eventually.waitUntil(WAIT, "the registry forgets the stream the client left", () -> live.size() == 0);
    }

    @Test
    @DisplayName("a mandate that expires mid-stream ends the stream: the client reads the end, the sink closes, the producer stops")
    void expiryEndsTheStream() throws Exception {
        String id = UUID.randomUUID().toString();
        String sub = "user-expiring-" + id;
        Reader expiring = open(mint(sub, "root-expiring-" + id, 3));

        Eventually.waitUntil(WAIT, "the client reads the end of the stream", expiring.end::isDone);
        assertThat(expiring.end).as("ended, not reset").isCompletedWithValue(null);
        assertThat(expiring.events.get()).as("ticks came before the end").isPositive();
        Eventually.waitUntil(WAIT, "the application's sink reports closed", () -> streams.of(sub).sinkClosed());
        Eventually.waitUntil(WAIT, "the application's producer stops", () -> streams.of(sub).stopped());
        Eventually.waitUntil(WAIT, "the registry forgets the stream", () -> live.size() == 0);
    }

    @Test
    @DisplayName("a stream the application closes is forgotten at once; the client reads the end")
    void applicationClosingItsSinkIsForgotten() throws Exception {
        String id = UUID.randomUUID().toString();
        String sub = "user-closing-" + id;
        Reader reader = open(mint(sub, "root-closing-" + id, 900));
        assertThat(live.size()).isEqualTo(1);

        streams.of(sub).close();

        Eventually.waitUntil(WAIT, "the client reads the end of the stream", reader.end::isDone);
        assertThat(reader.end).isCompletedWithValue(null);
        Eventually.waitUntil(WAIT, "the registry forgets the stream", () -> live.size() == 0);
    }

    @Test
    @DisplayName("a Multi typed text/event-stream is ended too: its connection is closed, which cancels the Multi")
    void multiStreamEndsOnRevocation() throws Exception {
        String id = UUID.randomUUID().toString();
        String sub = "user-multi-" + id;
        Reader reader = open("/streams/ticks", mint(sub, "root-multi-" + id, 900));
        assertThat(live.size()).isEqualTo(1);

        revocations.revoke("root-multi-" + id, Duration.ofMinutes(10));

        Eventually.waitUntil(WAIT, "the client reads the end of the stream (a closed connection)", reader.end::isDone);
        Eventually.waitUntil(WAIT, "the Multi is cancelled", () -> streams.producerStopped(sub));
        Eventually.waitUntil(WAIT, "the registry forgets the stream", () -> live.size() == 0);
    }

    @Test
    @DisplayName("an entity (StreamingOutput) typed text/event-stream is ended by the response filter: the client reads the end, the writer's next write fails")
    void entityStreamEndsOnRevocation() throws Exception {
        String id = UUID.randomUUID().toString();
        String sub = "user-output-" + id;
        Reader reader = open("/streams/output", mint(sub, "root-output-" + id, 900));
        assertThat(live.size()).isEqualTo(1);

        revocations.revoke("root-output-" + id, Duration.ofMinutes(10));

        Eventually.waitUntil(WAIT, "the client reads the end of the stream", reader.end::isDone);
        assertThat(reader.end).as("ended, not reset").isCompletedWithValue(null);
        Eventually.waitUntil(WAIT, "the writer's next write fails", () -> streams.producerStopped(sub));
        Eventually.waitUntil(WAIT, "the registry forgets the stream", () -> live.size() == 0);
    }
}
