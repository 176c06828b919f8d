package ai.caracal.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.redis.RedisForTests;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.revocation.redis.RedisRevocations;
import ai.caracal.revocation.redis.StreamEventListener;
import ai.caracal.servlet.CaracalFilter;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.jetty.JettyForTests;
import ai.caracal.verify.http.LiveConnections;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.sync.RedisCommands;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * connectors.md §10.4 end to end, as deployed: three replicas (Jetty, CaracalFilter, the MCP SDK's
 * Streamable HTTP servlet transport) share one real Redis under a namespace of their own, each with its
 * consumers in the shared group and the filter's own registry (the default 2 s re-check, plus
 * {@code recheckNow} when its consumer applies an entry). A revocation published with {@code XADD} ends
 * the {@code GET /mcp} stream on every replica and a {@code POST} answered as a stream whose tool is
 * still running. The bound waited for is generous; the spec's 5 s is measured in PERFORMANCE.md.
 */
@Tag("integration")
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class LiveStreamsAcrossReplicasTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ExecutorService READERS = Executors.newCachedThreadPool();
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
    private static final String CALL_WAIT = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
            + "\"name\":\"wait\",\"arguments\":{},\"_meta\":{\"progressToken\":\"p-1\"}}}";

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<Replica> replicas = new ArrayList<>();
    private final CountDownLatch releaseTool = new CountDownLatch(1);
    private String namespace;
    private RedisClient admin;
    private RedisCommands<String, String> redis;

    /** One replica: its consumers, its filter (and the filter's registry), its MCP server. */
    private record Replica(URI mcp, LiveConnections live, McpSyncServer server) {
    }

    @BeforeEach
    void startReplicas(TestIssuer issuer) throws InterruptedException {
        namespace = RedisForTests.unique("caracal-live");
        admin = RedisClient.create(RedisForTests.sharedUri());
        redis = admin.connect().sync();
        for (int i = 0; i < 3; i++) {
            replicas.add(replica(issuer, "replica-" + i));
        }
    }

    @AfterEach
    void stop() throws Exception {
        releaseTool.countDown();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        List<String> keys = new ArrayList<>();
        ScanIterator.scan(redis, ScanArgs.Builder.matches(namespace + ":*").limit(500)).forEachRemaining(keys::add);
        if (!keys.isEmpty()) {
            redis.del(keys.toArray(String[]::new));
        }
        admin.shutdown();
    }

    private Replica replica(TestIssuer issuer, String name) throws InterruptedException {
        AtomicReference<LiveConnections> live = new AtomicReference<>();
        RedisRevocations revocations = RedisRevocations.builder(RedisForTests.sharedUri().toURI().toString())
                .namespace(namespace).consumerName(name)
                .listener((stream, result) -> {
                    if (result == StreamEventListener.Result.APPLIED && live.get() != null) {
                        live.get().recheckNow();
                    }
                })
                .start();
        toClose.add(revocations);
        revocations.consumers().awaitJoined(WAIT);
        CaracalFilter filter = CaracalFilter.builder()
                .verifier(issuer.verifier().revocations(revocations.store()).requiredScopes("tool:call").build())
                .build();
        live.set(filter.boundary().liveConnections());
        toClose.add(filter::destroy);

        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp").contextExtractor(CaracalMcp.contextExtractor()).build();
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo(name, "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .toolCall(Tool.builder().name("wait").inputSchema(McpSchema.JsonSchema.builder().type("object").build()).build(),
                        (exchange, request) -> {
                            exchange.progressNotification(new McpSchema.ProgressNotification(
                                    request.meta().get("progressToken"), 0.0, 1.0, "started"));
                            try {
                                releaseTool.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return CallToolResult.builder().addTextContent("done").build();
                        })
                .build();
        toClose.add(server::close);
        JettyForTests jetty = new JettyForTests().filter(filter, "/*").servlet(transport, "/mcp");
        toClose.add(jetty);
        URI base = jetty.start();
        return new Replica(base.resolve("/mcp"), filter.boundary().liveConnections(), server);
    }

    @Test
    @DisplayName("an XADD revocation ends the GET /mcp stream on all three replicas and a POST answered as a stream while its tool still runs")
    void revocationEndsStreamsOnEveryReplica(TestIssuer issuer) throws Exception {
        String sid = "sid-" + RedisForTests.unique("live");
        String token = issuer.mint().sid(sid).scope("tool:call").sign();

        List<CompletableFuture<Void>> ends = new ArrayList<>();
        for (Replica replica : replicas) {
            String session = openSession(replica.mcp, token);
            ends.add(untilEnd(openGetStream(replica, token, session)));
        }
        String session = openSession(replicas.get(0).mcp, token);
        BufferedReader call = open(HTTP.send(request(replicas.get(0).mcp, token, session)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(CALL_WAIT)).build(), HttpResponse.BodyHandlers.ofInputStream()));
        assertThat(readUntilData(call)).as("the tool's progress notification").contains("notifications/progress");
        ends.add(untilEnd(call));
        assertThat(replicas.get(0).live.size()).isEqualTo(2);
        assertThat(replicas.get(1).live.size()).isEqualTo(1);
        assertThat(replicas.get(2).live.size()).isEqualTo(1);

        redis.xadd(namespace + ":" + RedisRevocationConsumer.DEFAULT_STREAM,
                Map.of("zone_id", "zone-1", "session_id", sid, "reason", "requested"));

        Eventually.waitUntil(WAIT, "every stream ends", () -> ends.stream().allMatch(CompletableFuture::isDone));
        for (CompletableFuture<Void> end : ends) {
            assertThat(end).as("ended, not reset").isCompletedWithValue(null);
        }
        assertThat(releaseTool.getCount()).as("the tool still runs").isEqualTo(1);
        for (Replica replica : replicas) {
            Eventually.waitUntil(WAIT, "the registry forgets the ended streams", () -> replica.live.size() == 0);
        }
        HttpResponse<String> again = HTTP.send(request(replicas.get(2).mcp, token, null)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.body()).contains("session_revoked");
    }

    private static HttpRequest.Builder request(URI mcp, String token, String session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp).header("Authorization", "Bearer " + token);
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request;
    }

    private static String openSession(URI mcp, String token) throws Exception {
        HttpResponse<String> init = HTTP.send(request(mcp, token, null).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(INITIALIZE))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> initialized = HTTP.send(request(mcp, token, session).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(INITIALIZED))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(initialized.statusCode()).isEqualTo(202);
        return session;
    }

    /** Opens the session's GET stream; the transport sends the head with the first event, so the server notifies until it arrives. */
    private static BufferedReader openGetStream(Replica replica, String token, String session) {
        CompletableFuture<HttpResponse<InputStream>> stream = HTTP.sendAsync(request(replica.mcp, token, session)
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        Eventually.waitUntil(WAIT, "the head of the GET stream", () -> {
            replica.server.notifyToolsListChanged();
            return stream.isDone();
        });
        HttpResponse<InputStream> response = stream.join();
        assertThat(response.statusCode()).isEqualTo(200);
        return open(response);
    }

    private static BufferedReader open(HttpResponse<InputStream> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    private static String readUntilData(BufferedReader lines) throws IOException {
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith("data:")) {
                return line;
            }
        }
        throw new AssertionError("the stream ended before any event");
    }

    /** Reads the stream to its end: completes normally at the end, exceptionally on a reset. */
    private static CompletableFuture<Void> untilEnd(BufferedReader lines) {
        return CompletableFuture.runAsync(() -> {
            try {
                while (lines.readLine() != null) {
                    // notifications may still arrive until the stream ends
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, READERS);
    }
}
