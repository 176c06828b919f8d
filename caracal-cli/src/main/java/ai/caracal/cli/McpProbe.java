package ai.caracal.cli;

import ai.caracal.mint.Json;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drives the MCP server the way an agent would: the MCP Java SDK client over Streamable HTTP runs
 * {@code initialize}, then one {@code tools/call}, every request carrying the given
 * {@code Authorization} header. A request the boundary rejects is observed as its HTTP status and JSON
 * body; a tool result as {@code ok} or its {@code structuredContent.error}.
 */
final class McpProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** How long D27 waits for the server to end the stream after the revocation: the spec's 5 s, and as much again. */
    static final Duration STREAM_WAIT = Duration.ofSeconds(10);

    /** Something to do between {@code initialize} and {@code tools/call} (revoke, invalidate). */
    @FunctionalInterface
    interface Step {
        void run() throws InterruptedException;
    }

    /** Extra headers a row sends: on every request, or only on its {@code tools/call}. */
    @FunctionalInterface
    interface Headers {
        void add(HttpRequest.Builder request, String body);
    }

    static final Headers NO_HEADERS = (request, body) -> { };

    /** @return a header sent with every request of the row */
    static Headers header(String name, String value) {
        return (request, body) -> request.header(name, value);
    }

    /** @return a header sent with the row's {@code tools/call} only */
    static Headers onToolCall(String name, String value) {
        return (request, body) -> {
            if (body != null && body.contains("\"tools/call\"")) {
                request.header(name, value);
            }
        };
    }

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"caracal-demo\",\"version\":\"1\"}}}";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    private final URI mcp;

    McpProbe(URI mcp) {
        this.mcp = mcp;
    }

    /**
     * @param authorization the whole {@code Authorization} value, or {@code null} to send none
     * @param call          the tool call after {@code initialize}
     * @param afterInitialize run once {@code initialize} succeeded, before the call
     * @return what came back
     */
    DemoObservation run(String authorization, CallToolRequest call, Step afterInitialize) throws InterruptedException {
        return run(authorization, call, afterInitialize, NO_HEADERS);
    }

    /**
     * @param headers headers the row adds to its requests
     * @see #run(String, CallToolRequest, Step)
     */
    DemoObservation run(String authorization, CallToolRequest call, Step afterInitialize, Headers headers) throws InterruptedException {
        RecordingHttpClient.Builder http = new RecordingHttpClient.Builder();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(mcp.resolve("/").toString())
                .endpoint(mcp.getPath())
                .clientBuilder(http)
                .httpRequestCustomizer((request, method, uri, body, context) -> {
                    if (authorization != null) {
                        request.header("Authorization", authorization);
                    }
                    headers.add(request, body);
                })
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("caracal-demo", "1.0.0"))
                .requestTimeout(TIMEOUT)
                .initializationTimeout(TIMEOUT)
                .build();
        try {
            try {
                client.initialize();
            } catch (RuntimeException e) {
                return failure(e, http.exchanges());
            }
            afterInitialize.run();
            CallToolResult result;
            try {
                result = client.callTool(call);
            } catch (RuntimeException e) {
                return failure(e, http.exchanges());
            }
            return toolResult(result, lastPostStatus(http.exchanges()));
        } finally {
            closeQuietly(client);
        }
    }

    /**
     * Closes the client without letting its close decide the row: MCP Java SDK 2.2.0 throws a
     * {@code NullPointerException} from {@code close()} when an initialization it started never produced
     * a session (seen once in CI: {@code DemoCommandTest.jsonOutput} exited 1 with it), and what the probe
     * observed is already decided by then.
     */
    private static void closeQuietly(McpSyncClient client) {
        try {
            client.close();
        } catch (RuntimeException e) {
            // The SDK's own clean-up failed; the observation stands.
        }
    }

    private static DemoObservation toolResult(CallToolResult result, OptionalInt http) {
        String body = json(result);
        if (!Boolean.TRUE.equals(result.isError())) {
            return new DemoObservation(result.content().isEmpty() ? "empty_result" : "ok", DemoObservation.TOOL, http, body);
        }
        Object error = result.structuredContent() instanceof Map<?, ?> structured ? structured.get("error") : null;
        return new DemoObservation(error instanceof String code ? code : "tool_error", DemoObservation.TOOL, http, body);
    }

    private static DemoObservation failure(RuntimeException thrown, List<RecordingHttpClient.Exchange> exchanges) {
        Optional<McpHttpClientTransportAuthorizationException> rejection = rejection(thrown);
        Optional<RecordingHttpClient.Exchange> refused = exchanges.stream()
                .filter(exchange -> "POST".equals(exchange.method()) && exchange.status() >= 400 && exchange.body().isPresent())
                .filter(exchange -> rejection.isEmpty() || exchange.status() == rejection.get().getResponseInfo().statusCode())
                .reduce((first, second) -> second);
        if (refused.isEmpty()) {
            return new DemoObservation("no_response", DemoObservation.NOWHERE, lastPostStatus(exchanges), String.valueOf(thrown.getMessage()));
        }
        String body = refused.get().body().orElse("");
        return new DemoObservation(errorOf(body), DemoObservation.BOUNDARY, OptionalInt.of(refused.get().status()), body);
    }

    /**
     * @return the Caracal code of a rejection body, {@code rpc <code>} for a JSON-RPC error answer,
     *         {@code session_not_found} for the transport's unknown-session error, {@code no_error_body} else
     */
    static String errorOf(String body) {
        Object error = Json.readObjectLastWins(body).map(object -> object.get("error")).orElse(null);
        if (error instanceof String code) {
            return code;
        }
        if (error instanceof Map<?, ?> rpcError) {
            Object message = rpcError.get("message");
            if (message instanceof String text && text.startsWith("Session not found")) {
                return "session_not_found";
            }
            Object code = rpcError.get("code");
            return code instanceof Number ? "rpc " + code : "no_error_body";
        }
        return "no_error_body";
    }

    /**
     * D26: the owner opens a session over raw HTTP ({@code initialize}, {@code notifications/initialized}),
     * then another principal sends {@code call} naming it.
     *
     * @return what the stranger's request received
     */
    DemoObservation foreignSession(String ownerAuthorization, String strangerAuthorization, CallToolRequest call)
            throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        try {
            HttpResponse<String> init = client.send(post(ownerAuthorization, null, INITIALIZE),
                    HttpResponse.BodyHandlers.ofString());
            Optional<String> session = init.headers().firstValue("Mcp-Session-Id");
            if (init.statusCode() != 200 || session.isEmpty()) {
                return new DemoObservation("no_session", DemoObservation.NOWHERE, OptionalInt.of(init.statusCode()), init.body());
            }
            client.send(post(ownerAuthorization, session.get(), INITIALIZED), HttpResponse.BodyHandlers.discarding());
            String body = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + Json.write(call.name()) + ",\"arguments\":" + Json.write(call.arguments()) + "}}";
            HttpResponse<String> answer = client.send(post(strangerAuthorization, session.get(), body),
                    HttpResponse.BodyHandlers.ofString());
            String at = answer.statusCode() >= 400 ? DemoObservation.BOUNDARY : DemoObservation.TOOL;
            String got = answer.statusCode() >= 400 ? errorOf(answer.body()) : "ok";
            return new DemoObservation(got, at, OptionalInt.of(answer.statusCode()), answer.body());
        } catch (IOException e) {
            return new DemoObservation("no_response", DemoObservation.NOWHERE, OptionalInt.empty(), String.valueOf(e.getMessage()));
        }
    }

    /**
     * D27: opens a session over raw HTTP, then its {@code GET} stream, calling {@code announce} until the
     * stream's head arrives (the transport sends it with the first event); then runs {@code revoke} and
     * reads the stream until it ends, for at most {@link #STREAM_WAIT}.
     *
     * @return {@code stream_closed} (at {@code stream}, the stream's status) when the server ended the
     *         stream, {@code stream_open} when it did not, or what a refused request received
     */
    DemoObservation streamClosedBy(String authorization, Runnable announce, Step revoke) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        ExecutorService reader = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "caracal-demo-stream");
            thread.setDaemon(true);
            return thread;
        });
        try {
            HttpResponse<String> init = client.send(post(authorization, null, INITIALIZE), HttpResponse.BodyHandlers.ofString());
            Optional<String> session = init.headers().firstValue("Mcp-Session-Id");
            if (init.statusCode() != 200 || session.isEmpty()) {
                return refusedOrMissing(init.statusCode(), init.body(), "no_session");
            }
            client.send(post(authorization, session.get(), INITIALIZED), HttpResponse.BodyHandlers.discarding());
            CompletableFuture<HttpResponse<InputStream>> opened = client.sendAsync(HttpRequest.newBuilder(mcp)
                    .header("Authorization", authorization).header("Mcp-Session-Id", session.get())
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!opened.isDone() && System.nanoTime() < deadline) {
                announce.run();
                Thread.sleep(50);
            }
            if (!opened.isDone()) {
                opened.cancel(true);
                return new DemoObservation("no_response", DemoObservation.NOWHERE, OptionalInt.empty(), "the GET stream sent no head");
            }
            HttpResponse<InputStream> stream = opened.join();
            if (stream.statusCode() != 200) {
                String body = new String(stream.body().readAllBytes(), StandardCharsets.UTF_8);
                return refusedOrMissing(stream.statusCode(), body, "no_stream");
            }
            CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> drain(stream.body()), reader);
            revoke.run();
            long revoked = System.nanoTime();
            try {
                ended.get(STREAM_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return new DemoObservation("stream_open", DemoObservation.STREAM, OptionalInt.of(200),
                        "the stream was still open " + STREAM_WAIT.toSeconds() + " s after the revocation was applied");
            } catch (ExecutionException e) {
                return new DemoObservation("stream_reset", DemoObservation.STREAM, OptionalInt.of(200),
                        String.valueOf(e.getCause().getMessage()));
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revoked);
            return new DemoObservation("stream_closed", DemoObservation.STREAM, OptionalInt.of(200),
                    "the server ended the stream " + millis + " ms after the revocation was applied");
        } catch (IOException e) {
            return new DemoObservation("no_response", DemoObservation.NOWHERE, OptionalInt.empty(), String.valueOf(e.getMessage()));
        } finally {
            reader.shutdownNow();
        }
    }

    private static DemoObservation refusedOrMissing(int status, String body, String otherwise) {
        return status >= 400 ? new DemoObservation(errorOf(body), DemoObservation.BOUNDARY, OptionalInt.of(status), body)
                : new DemoObservation(otherwise, DemoObservation.NOWHERE, OptionalInt.of(status), body);
    }

    /** Reads a stream to its end; a read error (a reset) fails. */
    private static void drain(InputStream body) {
        try (InputStream in = body) {
            byte[] buffer = new byte[1024];
            while (in.read(buffer) >= 0) {
                // events until the end
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest post(String authorization, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp).timeout(TIMEOUT)
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request.build();
    }

    private static Optional<McpHttpClientTransportAuthorizationException> rejection(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof McpHttpClientTransportAuthorizationException rejected) {
                return Optional.of(rejected);
            }
        }
        return Optional.empty();
    }

    private static OptionalInt lastPostStatus(List<RecordingHttpClient.Exchange> exchanges) {
        return exchanges.stream().filter(exchange -> "POST".equals(exchange.method()))
                .reduce((first, second) -> second)
                .map(exchange -> OptionalInt.of(exchange.status()))
                .orElse(OptionalInt.empty());
    }

    private static String json(CallToolResult result) {
        try {
            return McpJsonDefaults.getMapper().writeValueAsString(result);
        } catch (IOException e) {
            return String.valueOf(result);
        }
    }
}
