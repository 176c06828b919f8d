package ai.caracal.testkit.tracing;

import ai.caracal.testkit.TestIssuer;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Both ends of a connector's W3C baggage test (interop.md §1): the caller's request, carrying a
 * {@code traceparent} and a {@code baggage} header with forged {@code caracal.*} entries beside a third-party
 * one, and a loopback server downstream of the handler that records the headers of the last call it got.
 * The handler calls {@link #call(Context)} (or {@link #callAsync(Context)}) with its current context, as an
 * instrumented HTTP client would propagate it.
 *
 * <pre>{@code
 * try (BaggageDownstream downstream = BaggageDownstream.start()) {
 *     // handler: downstream.call(Context.current());
 *     HTTP.send(BaggageDownstream.incoming(server.resolve("/tool"), token).build(), discarding());
 *     assertThat(downstream.baggage()).containsEntry("caracal.session", "sid-1");
 * }
 * }</pre>
 *
 * <p>Needs {@code io.opentelemetry:opentelemetry-api} (an optional dependency of the test kit). Thread-safe.
 */
public final class BaggageDownstream implements AutoCloseable {

    /** W3C Trace Context and W3C Baggage, as a server and client instrumentation use them. */
    public static final TextMapPropagator W3C = TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());

    /** The caller's {@code traceparent}: its trace ID must reach the downstream server. */
    public static final String INCOMING_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    /** The trace ID of {@link #INCOMING_TRACEPARENT}, as a downstream {@code traceparent} starts. */
    public static final String INCOMING_TRACE_PREFIX = "00-4bf92f3577b34da6a3ce929d0e0e4736-";

    /**
     * The caller's {@code baggage}: forged {@code caracal.*} entries (in two spellings and one unknown name)
     * that must never reach downstream, and {@code tenant=example}, which must pass unchanged.
     */
    public static final String INCOMING_BAGGAGE = "caracal.session=forged-session,caracal.hop=0,"
            + "Caracal.Agent_Session=forged,caracal.extra=forged,tenant=example";

    /**
     * interop.md §1's shared example as the downstream server must see it: the {@code caracal.*} entries of
     * {@link #sharedExampleMandate}'s claims and the caller's {@code tenant=example}, none of its forged ones.
     */
    public static final Map<String, String> SHARED_EXAMPLE_SEEN = Map.of(
            "caracal.session", "authority-record-1",
            "caracal.agent_session", "session-child",
            "caracal.delegation_edge", "delegation-1",
            "caracal.parent_edge", "delegation-root",
            "caracal.hop", "1",
            "tenant", "example");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final TextMapSetter<HttpRequest.Builder> SETTER = HttpRequest.Builder::header;

    private final HttpServer server;
    private final AtomicReference<String> baggage = new AtomicReference<>();
    private final AtomicReference<String> traceparent = new AtomicReference<>();

    private BaggageDownstream(HttpServer server) {
        this.server = server;
    }

    /**
     * @return a started downstream server on a loopback port
     * @throws IOException when no port can be bound
     */
    public static BaggageDownstream start() throws IOException {
        BaggageDownstream downstream = new BaggageDownstream(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        downstream.server.createContext("/", exchange -> {
            downstream.baggage.set(exchange.getRequestHeaders().getFirst("baggage"));
            downstream.traceparent.set(exchange.getRequestHeaders().getFirst("traceparent"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        downstream.server.start();
        return downstream;
    }

    /**
     * The caller's request: {@link #INCOMING_TRACEPARENT}, {@link #INCOMING_BAGGAGE} and, when a token is
     * given, its bearer {@code Authorization}.
     *
     * @param uri   the protected server's URI
     * @param token the mandate, or {@code null} for none
     * @return the request builder (a 30 s time-out set)
     */
    public static HttpRequest.Builder incoming(URI uri, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(30))
                .header("traceparent", INCOMING_TRACEPARENT)
                .header("baggage", INCOMING_BAGGAGE);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    /**
     * @param issuer the test's issuer
     * @return the shared example's mandate: {@code sid} {@code authority-record-1}, agent session
     *         {@code session-child}, edge {@code delegation-1} after {@code delegation-root}, hop 1
     */
    public static String sharedExampleMandate(TestIssuer issuer) {
        return issuer.mint().sid("authority-record-1").agentSession("session-child")
                .delegationEdge("delegation-1").delegationPath("delegation-root", "delegation-1").hopCount(1).sign();
    }

    /**
     * Calls this server from a handler, with {@code context} injected into the headers.
     *
     * @param context the handler's current context
     * @throws IOException          when the call fails
     * @throws InterruptedException when interrupted while waiting
     */
    public void call(Context context) throws IOException, InterruptedException {
        HTTP.send(request(context), HttpResponse.BodyHandlers.discarding());
    }

    /**
     * Calls this server without blocking (for an event loop), with {@code context} injected into the headers.
     *
     * @param context the handler's current context
     * @return completed when the answer arrived
     */
    public CompletableFuture<Void> callAsync(Context context) {
        return HTTP.sendAsync(request(context), HttpResponse.BodyHandlers.discarding()).thenApply(response -> null);
    }

    private HttpRequest request(Context context) {
        HttpRequest.Builder call = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/next"));
        W3C.inject(context, call, SETTER);
        return call.build();
    }

    /** @return the {@code baggage} members of the last call, by key (empty when none came) */
    public Map<String, String> baggage() {
        return parse(baggage.get());
    }

    /** @return the {@code traceparent} of the last call, or {@code null} */
    public String traceparent() {
        return traceparent.get();
    }

    /**
     * @param header a W3C {@code baggage} header value, or {@code null}
     * @return its members, key to value, in order (properties kept in the value)
     */
    public static Map<String, String> parse(String header) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (header == null) {
            return entries;
        }
        for (String member : header.split(",")) {
            String[] pair = member.strip().split("=", 2);
            entries.put(pair[0].strip(), pair.length > 1 ? pair[1].strip() : "");
        }
        return entries;
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.stop(0);
    }
}
