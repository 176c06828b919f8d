package ai.caracal.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.jetty.JettyForTests;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.LiveConnections;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * connectors.md §10.4 on Jetty 12 and Tomcat 10.1: a verified SSE stream ends (the client reads the end
 * of the response) when its mandate is revoked or expires, whether the servlet keeps it open
 * asynchronously, writes it in a loop on the request thread, or blocks its dispatch after starting
 * asynchronous mode (the MCP SDK's streamed POST). The clients are real HTTP clients reading the stream
 * line by line; re-checks come every 100 ms, and waits are bounded waits on the outcome.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class LiveStreamTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final LiveFixtures resources = new LiveFixtures();

    @AfterEach
    void close() throws Exception {
        resources.close();
    }

    /** Jetty or Tomcat with one filter and one servlet on every path. */
    private URI serve(String container, Filter filter, HttpServlet servlet) {
        if (container.equals("jetty")) {
            JettyForTests jetty = new JettyForTests().filter(filter, "/*").servlet(servlet, "/*");
            resources.add(jetty);
            return jetty.start();
        }
        TomcatForTests tomcat = new TomcatForTests().filter(filter, "/*").servlet(servlet, "/*");
        resources.add(tomcat);
        return tomcat.start();
    }

    private LiveConnections registry(TestIssuer issuer, Function<LiveConnections.Builder, LiveConnections.Builder> options) {
        return resources.registry(issuer, options);
    }

    private CaracalFilter filter(MandateVerifier verifier, LiveConnections live) {
        return CaracalFilter.builder().verifier(verifier).liveConnections(live).build();
    }

    /** A real client reading an SSE response line by line. */
    private static final class SseClient {
        final HttpResponse<InputStream> response;
        final BufferedReader lines;

        SseClient(URI uri, String token) throws Exception {
            response = HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        }

        String nextLine() throws IOException {
            return lines.readLine();
        }

        /** Reads until the end of the response; completes normally at the end, exceptionally on a reset. */
        CompletableFuture<Void> untilEnd() {
            return CompletableFuture.runAsync(() -> {
                try {
                    while (lines.readLine() != null) {
                        // events keep coming until the stream ends
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Keeps an SSE stream open asynchronously after one event, as the MCP SDK's GET stream does. */
    static final class AsyncStream extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final CompletableFuture<String> asyncEnded = new CompletableFuture<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/event-stream");
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            async.addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    asyncEnded.complete("complete");
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                    asyncEnded.complete("timeout");
                }

                @Override
                public void onError(AsyncEvent event) {
                    asyncEnded.complete("error");
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                }
            });
            PrintWriter writer = response.getWriter();
            writer.write("data: open\n\n");
            writer.flush();
        }
    }

    /** Takes the writer first and types the response afterwards, as the MCP SDK 2.2 transport does. */
    static final class LateTypedStream extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getWriter();
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            response.setContentType("text/event-stream");
            writer.write("data: open\n\n");
            writer.flush();
        }
    }

    /** Sends only the head (flushBuffer) and keeps the stream open without an event, as the MCP SDK 2.2 GET stream does. */
    static final class HeadOnlyStream extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getWriter();
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            response.setContentType("text/event-stream");
            response.flushBuffer();
        }
    }

    /** Writes an event every 20 ms on the request thread until a write fails. */
    static final class BlockingStream extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final List<String> writeFailures = new CopyOnWriteArrayList<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/event-stream");
            ServletOutputStream out = response.getOutputStream();
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
    }

    /** Starts asynchronous mode, writes one event, then blocks its dispatch until released. */
    static final class BlockedDispatch extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/event-stream");
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            PrintWriter writer = response.getWriter();
            writer.write("data: open\n\n");
            writer.flush();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // ended by the filter already
            }
        }
    }

    /** Holds a text/plain answer open asynchronously: not a live connection. */
    static final class LongPoll extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final CompletableFuture<AsyncContext> started = new CompletableFuture<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            response.getWriter().write("waiting");
            started.complete(async);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("an asynchronous SSE stream ends when its sid is revoked: the client reads the end, the async request completes")
    void asyncStreamEndsOnRevocation(String container, TestIssuer issuer) throws Exception {
        LiveConnections live = registry(issuer, b -> b.clock(issuer.clock()));
        AsyncStream servlet = new AsyncStream();
        URI base = serve(container, filter(issuer.verifier().build(), live), servlet);
        SseClient client = new SseClient(base.resolve("/events"), issuer.mint().sid("sid-async").sign());
        assertThat(client.response.statusCode()).isEqualTo(200);
        assertThat(client.nextLine()).isEqualTo("data: open");
        CompletableFuture<Void> end = client.untilEnd();
        assertThat(live.size()).isEqualTo(1);

        issuer.revoke("sid-async");

        Eventually.waitUntil(WAIT, "the client reads the end of the stream", end::isDone);
        assertThat(end).as("ended, not reset").isCompletedWithValue(null);
        assertThat(servlet.asyncEnded.get(10, TimeUnit.SECONDS)).isEqualTo("complete");
        assertThat(live.size()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("a response typed text/event-stream after the servlet took its writer is still a live stream, ended on revocation")
    void lateTypedStreamEndsOnRevocation(String container, TestIssuer issuer) throws Exception {
        LiveConnections live = registry(issuer, b -> b.clock(issuer.clock()));
        URI base = serve(container, filter(issuer.verifier().build(), live), new LateTypedStream());
        SseClient client = new SseClient(base.resolve("/late"), issuer.mint().sid("sid-late").sign());
        assertThat(client.nextLine()).isEqualTo("data: open");
        CompletableFuture<Void> end = client.untilEnd();
        assertThat(live.size()).isEqualTo(1);

        issuer.revoke("sid-late");

        Eventually.waitUntil(WAIT, "the client reads the end of the stream", end::isDone);
        assertThat(end).isCompletedWithValue(null);
        Eventually.waitUntil(WAIT, "the registry forgets the stream", () -> live.size() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("a stream that sent its head and no event yet is a live stream too, ended on revocation")
    void headOnlyStreamEndsOnRevocation(String container, TestIssuer issuer) throws Exception {
        LiveConnections live = registry(issuer, b -> b.clock(issuer.clock()));
        URI base = serve(container, filter(issuer.verifier().build(), live), new HeadOnlyStream());
        SseClient client = new SseClient(base.resolve("/head"), issuer.mint().sid("sid-head").sign());
        assertThat(client.response.statusCode()).isEqualTo(200);
        CompletableFuture<Void> end = client.untilEnd();
        Eventually.waitUntil(WAIT, "the stream is registered", () -> live.size() == 1);

        issuer.revoke("sid-head");

        Eventually.waitUntil(WAIT, "the client reads the end of the stream", end::isDone);
        assertThat(end).isCompletedWithValue(null);
        Eventually.waitUntil(WAIT, "the registry forgets the stream", () -> live.size() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("a stream written in a loop on the request thread ends on revocation; the servlet's next write fails")
    void blockingStreamEndsOnRevocation(String container, TestIssuer issuer) throws Exception {
        LiveConnections live = registry(issuer, b -> b.clock(issuer.clock()));
        BlockingStream servlet = new BlockingStream();
        URI base = serve(container, filter(issuer.verifier().build(), live), servlet);
        SseClient client = new SseClient(base.resolve("/ticks"), issuer.mint().sid("sid-loop").sign());
        assertThat(client.nextLine()).startsWith("data: tick");
        CompletableFuture<Void> end = client.untilEnd();

        issuer.revoke("sid-loop");

        Eventually.waitUntil(WAIT, "the client reads the end of the stream", end::isDone);
        assertThat(end).isCompletedWithValue(null);
        Eventually.waitUntil(WAIT, "the servlet's next write fails, naming the code",
                () -> servlet.writeFailures.stream().anyMatch(message -> message.contains("session_revoked")));
        Eventually.waitUntil(WAIT, "the registry forgets the stream", () -> live.size() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("a stream whose servlet blocks its dispatch after startAsync (the MCP SDK's streamed POST) ends on revocation while the servlet still blocks")
    void blockedDispatchEndsOnRevocation(String container, TestIssuer issuer) throws Exception {
        LiveConnections live = registry(issuer, b -> b.clock(issuer.clock()));
        BlockedDispatch servlet = new BlockedDispatch();
        URI base = serve(container, filter(issuer.verifier().build(), live), servlet);
        try {
            SseClient client = new SseClient(base.resolve("/call"), issuer.mint().sid("sid-blocked").sign());
            assertThat(client.nextLine()).isEqualTo("data: open");
            CompletableFuture<Void> end = client.untilEnd();

            issuer.revoke("sid-blocked");

            Eventually.waitUntil(WAIT, "the client reads the end of the stream", end::isDone);
            assertThat(end).isCompletedWithValue(null);
            assertThat(servlet.release.getCount()).as("the servlet still blocks its dispatch").isEqualTo(1);
        } finally {
            servlet.release.countDown();
        }
        Eventually.waitUntil(WAIT, "the registry forgets the stream", () -> live.size() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("an SSE stream ends at its mandate's exp (invalid_token), not before")
    void streamEndsAtExpiry(String container, TestIssuer issuer) throws Exception {
        LiveConnections live = registry(issuer, b -> b.recheckInterval(Duration.ofHours(1)));
        BlockingStream servlet = new BlockingStream();
        URI base = serve(container, filter(issuer.verifier().clock(Clock.systemUTC()).build(), live), servlet);
        String warm = issuer.mint().issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(600)).sign();
        assertThat(new SseClient(base.resolve("/ticks"), warm).nextLine()).as("the key set is held").startsWith("data: tick");
        Instant exp = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 5);
        SseClient client = new SseClient(base.resolve("/ticks"),
                issuer.mint().issuedAt(exp.minusSeconds(60)).expiresAt(exp).sign());
        assertThat(client.nextLine()).startsWith("data: tick");
        CompletableFuture<Instant> end = client.untilEnd().thenApply(done -> Instant.now());

        Eventually.waitUntil(WAIT, "the stream ends at exp", end::isDone);
        assertThat(end.get()).as("the client read the end at or after exp").isAfterOrEqualTo(exp);
        Eventually.waitUntil(WAIT, "the servlet's next write fails, naming the code",
                () -> servlet.writeFailures.stream().anyMatch(message -> message.contains("invalid_token")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("the filter's own registry (default 2 s) ends the stream at once on recheckNow; destroy() closes it")
    void defaultRegistryEndsStreamsOnRecheckNow(String container, TestIssuer issuer) throws Exception {
        CaracalFilter filter = CaracalFilter.builder().verifier(issuer.verifier().build()).build();
        LiveConnections live = filter.boundary().liveConnections();
        assertThat(live.recheckInterval()).isEqualTo(LiveConnections.DEFAULT_RECHECK_INTERVAL);
        AsyncStream servlet = new AsyncStream();
        URI base = serve(container, filter, servlet);
        SseClient client = new SseClient(base.resolve("/events"), issuer.mint().sid("sid-now").sign());
        assertThat(client.nextLine()).isEqualTo("data: open");
        CompletableFuture<Void> end = client.untilEnd();

        issuer.revoke("sid-now");
        live.recheckNow();

        Eventually.waitUntil(WAIT, "the client reads the end of the stream", end::isDone);
        assertThat(end).isCompletedWithValue(null);
        filter.destroy();
        SseClient late = new SseClient(base.resolve("/events"), issuer.mint().sign());
        assertThat(late.nextLine()).as("a stream opened after destroy() ends at once").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("an asynchronous text/plain answer is not a live connection: never registered, never ended")
    void nonStreamingAsyncIsNotTracked(String container, TestIssuer issuer) throws Exception {
        LiveConnections live = registry(issuer, b -> b.clock(issuer.clock()));
        LongPoll servlet = new LongPoll();
        URI base = serve(container, filter(issuer.verifier().build(), live), servlet);
        CompletableFuture<HttpResponse<String>> answer = HTTP.sendAsync(HttpRequest.newBuilder(base.resolve("/poll"))
                .header("Authorization", "Bearer " + issuer.mint().sid("sid-poll").sign()).build(),
                HttpResponse.BodyHandlers.ofString());
        AsyncContext async = servlet.started.get(10, TimeUnit.SECONDS);

        issuer.revoke("sid-poll");
        live.recheckNow();

        assertThat(live.size()).isZero();
        async.getResponse().getWriter().write(" done");
        async.complete();
        assertThat(answer.get(10, TimeUnit.SECONDS).body()).isEqualTo("waiting done");
    }
}
