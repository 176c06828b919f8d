package ai.caracal.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.logging.LogCapture;
import ai.caracal.verify.http.LiveConnections;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SignalType;

/**
 * connectors.md §10.4 on Reactor Netty: a verified SSE response completes, and a verified WebSocket is
 * closed with 1008 and the error code as reason, when the mandate is revoked or expires. Real clients
 * (the JDK's HTTP and WebSocket clients), re-checks every 100 ms, bounded waits on the outcome; BlockHound
 * watches every thread as in the rest of this module.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class LiveStreamsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ExecutorService READERS = Executors.newCachedThreadPool();

    @AfterAll
    static void stopReaders() {
        READERS.shutdownNow();
    }

    private static LiveConnections registry(TestIssuer issuer) {
        return LiveConnections.builder().revocations(issuer.revocations()).recheckInterval(Duration.ofMillis(100))
                .clock(issuer.clock()).build();
    }

    /** An SSE endpoint ticking every 50 ms, and a plain one; records how each SSE body ended. */
    private static HttpHandler sseApp(CaracalWebFilter filter, List<SignalType> bodyEnds) {
        RouterFunction<ServerResponse> routes = RouterFunctions.route()
                .GET("/events", request -> ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                        .body(Flux.interval(Duration.ofMillis(50)).onBackpressureDrop().map(i -> ServerSentEvent.builder("tick " + i).build())
                                .doFinally(bodyEnds::add), ServerSentEvent.class))
                .GET("/plain", request -> ServerResponse.ok().bodyValue("plain"))
                .build();
        return NettyForTests.app(RouterFunctions.toWebHandler(routes), filter);
    }

    /** Reads an SSE response to its end: completes normally at the end, exceptionally on a reset. */
    private static CompletableFuture<Void> untilEnd(BufferedReader lines) {
        return CompletableFuture.runAsync(() -> {
            try {
                while (lines.readLine() != null) {
                    // events keep coming until the stream ends
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, READERS);
    }

    private static BufferedReader openStream(URI base, String token) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/events"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).startsWith("data:tick");
        return lines;
    }

    @Test
    @DisplayName("a verified SSE response completes when its sid is revoked; the handler's Flux is cancelled")
    void sseResponseEndsOnRevocation(TestIssuer issuer) throws Exception {
        List<SignalType> bodyEnds = new CopyOnWriteArrayList<>();
        try (LiveConnections live = registry(issuer);
             NettyForTests server = NettyForTests.start(sseApp(CaracalWebFilter.builder()
                     .verifier(issuer.verifier().build()).liveConnections(live).build(), bodyEnds))) {
            CompletableFuture<Void> end = untilEnd(openStream(server.uri(), issuer.mint().sid("sid-sse").sign()));
            assertThat(live.size()).isEqualTo(1);

            issuer.revoke("sid-sse");

            Eventually.waitUntil(WAIT, "the client reads the end of the stream", end::isDone);
            assertThat(end).as("ended, not reset").isCompletedWithValue(null);
            assertThat(bodyEnds).containsExactly(SignalType.CANCEL);
            Eventually.waitUntil(WAIT, "the registry forgets the stream", () -> live.size() == 0);
        }
    }

    @Test
    @DisplayName("an SSE response ends at its mandate's exp, not before; a plain response is never registered")
    void sseResponseEndsAtExpiry(TestIssuer issuer) throws Exception {
        List<SignalType> bodyEnds = new CopyOnWriteArrayList<>();
        try (LiveConnections live = LiveConnections.builder().revocations(issuer.revocations()).build();
             NettyForTests server = NettyForTests.start(sseApp(CaracalWebFilter.builder()
                     .verifier(issuer.verifier().clock(Clock.systemUTC()).build()).liveConnections(live).build(), bodyEnds))) {
            String warm = issuer.mint().issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(600)).sign();
            assertThat(Http.get(server.uri(), "/plain", warm).body()).as("the key set is held").isEqualTo("plain");
            assertThat(live.size()).isZero();
            Instant exp = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 5);
            String token = issuer.mint().issuedAt(exp.minusSeconds(60)).expiresAt(exp).sign();
            CompletableFuture<Instant> end = untilEnd(openStream(server.uri(), token)).thenApply(done -> Instant.now());

            Eventually.waitUntil(WAIT, "the stream ends at exp", end::isDone);
            assertThat(end.get()).as("the client read the end at or after exp").isAfterOrEqualTo(exp);
        }
    }

    /** An echo WebSocket behind the filter, through the given adapter; records how each session's handling ended. */
    private static NettyForTests webSocketServer(CaracalWebFilter filter, WebSocketHandlerAdapter adapter, List<SignalType> ends) {
        WebSocketHandler echo = session -> session.send(session.receive()
                        .map(message -> session.textMessage("echo " + message.getPayloadAsText())))
                .doFinally(ends::add);
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBean(SimpleUrlHandlerMapping.class, () -> new SimpleUrlHandlerMapping(Map.of("/ws", echo), -1));
        context.registerBean(WebSocketHandlerAdapter.class, () -> adapter);
        context.refresh();
        return NettyForTests.start(NettyForTests.app(new DispatcherHandler(context), filter));
    }

    /** A JDK WebSocket client that records the texts it receives and how the server closed. */
    private static final class Client implements WebSocket.Listener {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public void onOpen(WebSocket socket) {
            socket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            texts.add(data.toString());
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            closed.complete(status + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }

        WebSocket connect(URI base, String token) {
            URI ws = URI.create("ws://" + base.getAuthority() + "/ws");
            WebSocket socket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(ws, this).join();
            socket.sendText("hello", true).join();
            Eventually.waitUntil(WAIT, "the echo", () -> texts.contains("echo hello"));
            return socket;
        }
    }

    @Test
    @DisplayName("a verified WebSocket is closed with 1008 session_revoked when its sid is revoked")
    void webSocketClosesWith1008OnRevocation(TestIssuer issuer) throws Exception {
        List<SignalType> ends = new CopyOnWriteArrayList<>();
        try (LiveConnections live = registry(issuer);
             NettyForTests server = webSocketServer(CaracalWebFilter.builder().verifier(issuer.verifier().build())
                     .liveConnections(live).build(), new WebSocketHandlerAdapter(new CaracalWebSocketService()), ends)) {
            Client client = new Client();
            client.connect(server.uri(), issuer.mint().sid("sid-ws").sign());
            assertThat(live.size()).isEqualTo(1);

            issuer.revoke("sid-ws");

            Eventually.waitUntil(WAIT, "the server closes the WebSocket", client.closed::isDone);
            assertThat(client.closed.get()).isEqualTo("1008 session_revoked");
            Eventually.waitUntil(WAIT, "the handler ends and the registry forgets the session",
                    () -> ends.size() == 1 && live.size() == 0);
        }
    }

    @Test
    @DisplayName("a delegated WebSocket is closed with 1008 delegation_stale when the zone's epoch moves past its claim")
    void webSocketClosesWith1008WhenStale(TestIssuer issuer) throws Exception {
        issuer.setEpoch("zone-1", 5);
        try (LiveConnections live = registry(issuer);
             NettyForTests server = webSocketServer(CaracalWebFilter.builder().verifier(issuer.verifier().build())
                     .liveConnections(live).build(), new WebSocketHandlerAdapter(new CaracalWebSocketService()),
                     new CopyOnWriteArrayList<>())) {
            Client client = new Client();
            client.connect(server.uri(), issuer.mint().delegationEdge().graphEpoch(5).sign());

            issuer.advanceEpoch("zone-1");

            Eventually.waitUntil(WAIT, "the server closes the WebSocket", client.closed::isDone);
            assertThat(client.closed.get()).isEqualTo("1008 delegation_stale");
        }
    }

    @Test
    @DisplayName("a verified WebSocket accepted without CaracalWebSocketService is not tracked, and the filter says so once (WARN)")
    void untrackedWebSocketIsWarnedOnce(TestIssuer issuer) throws Exception {
        try (LogCapture logs = LogCapture.of(CaracalWebFilter.class);
             LiveConnections live = registry(issuer);
             NettyForTests server = webSocketServer(CaracalWebFilter.builder().verifier(issuer.verifier().build())
                     .liveConnections(live).build(), new WebSocketHandlerAdapter(), new CopyOnWriteArrayList<>())) {
            WebSocket first = new Client().connect(server.uri(), issuer.mint().sign());
            WebSocket second = new Client().connect(server.uri(), issuer.mint().sign());

            assertThat(live.size()).isZero();
            assertThat(logs.warnings()).singleElement().asString().contains("CaracalWebSocketService");
            first.abort();
            second.abort();
        }
    }
}
