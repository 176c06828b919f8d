package ai.caracal.cli;

import static ai.caracal.testkit.Eventually.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.redis.RedisForTests;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.revocation.redis.StreamSignature;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * devtools.md §3.7 end to end: {@code caracal serve} in its own JVM, reached over HTTP and with the MCP
 * Java SDK client, configured from flags and from the environment, and stopped with SIGTERM.
 */
@Tag("integration")
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class ServeProcessTest {

    /** A JVM ends with 128 + 15 after SIGTERM once its shutdown hooks have run. */
    private static final int SIGTERM_EXIT = 143;
    private static final byte[] STREAM_KEY = HexFormat.of().parseHex("07".repeat(32));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    private static final String SEARCH = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
            + "{\"name\":\"search\",\"arguments\":{\"query\":\"q\"}}}";

    private TestIssuer issuer;

    @BeforeEach
    void wallClock(TestIssuer issuer) {
        issuer.clock().set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        this.issuer = issuer;
    }

    private static HttpResponse<String> post(URI mcp, String token, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String openSession(URI mcp, String token) throws Exception {
        HttpResponse<String> init = post(mcp, token, null, INITIALIZE);
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        return init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    /**
     * Repeats the call until its response matches (at most 60 s: the child JVM's consumer may start slowly
     * on a loaded machine); returns that response.
     */
    private static HttpResponse<String> awaitResponse(URI mcp, String token, String session,
                                                      Predicate<HttpResponse<String>> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> response = post(mcp, token, session, SEARCH);
            if (done.test(response)) {
                return response;
            }
            assertThat(System.nanoTime() - deadline).as("last response: %s %s", response.statusCode(), response.body())
                    .isNegative();
            Thread.sleep(50);
        }
    }

    private static void publish(StatefulRedisConnection<String, String> redis, String stream, boolean signed,
                                String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        fields.put("outbox_id", UUID.randomUUID().toString());
        if (signed) {
            fields.put(StreamSignature.SIGNATURE_FIELD, StreamSignature.sign(STREAM_KEY, stream, fields));
        }
        redis.sync().xadd(stream, fields);
    }

    @Test
    @DisplayName("defaults, in memory: one 'listening on' line, one WARN, the §7 boundary and tools, SIGTERM stops it")
    void inMemoryDefaults() throws Exception {
        try (ServeProcess serve = ServeProcess.start(Map.of("CARACAL_STS_URL", issuer.url() + "/", "CARACAL_ZONE_ID", "zone_dev"),
                "--port", "0")) {
            URI mcp = serve.awaitListening();
            assertThat(mcp.toString()).matches("http://127\\.0\\.0\\.1:\\d+/mcp");
            String metadataUrl = mcp.resolve("/.well-known/oauth-protected-resource/mcp").toString();

            HttpResponse<String> anonymous = post(mcp, null, null, INITIALIZE);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer resource_metadata=\"" + metadataUrl + "\"");
            assertThat(get(URI.create(metadataUrl)).body()).contains("\"resource\":\"" + mcp + "\"");
            assertThat(get(mcp.resolve("/healthz")).body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(post(mcp, issuer.mint().scope("tool:call").sign(), null, INITIALIZE).body()).contains("agent_required");
            assertThat(post(mcp, issuer.mint().scope("tool:list").agentSession().sign(), null, INITIALIZE).statusCode()).isEqualTo(403);

            String token = issuer.mint().scope("tool:call").agentSession().sub("cli-user").sign();
            McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(mcp.resolve("/").toString())
                            .endpoint("/mcp")
                            .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                            .build())
                    .requestTimeout(Duration.ofSeconds(10)).build();
            try {
                client.initialize();
                CallToolResult search = client.callTool(new CallToolRequest("search", Map.of("query", "cli")));
                assertThat(((TextContent) search.content().get(0)).text()).isEqualTo("[{\"id\":\"1\",\"title\":\"Result for: cli\"}]");
                CallToolResult whoami = client.callTool(new CallToolRequest("whoami", Map.of()));
                assertThat(whoami.structuredContent()).isEqualTo(
                        Map.of("sub", "cli-user", "zone_id", "zone_dev", "client_id", "app-1", "scope", "tool:call"));
            } finally {
                client.close();
            }

            assertThat(serve.terminate()).isEqualTo(SIGTERM_EXIT);
            assertThat(serve.stdoutLines()).containsExactly("listening on " + mcp);
            List<String> warnings = serve.stderr().lines().filter(line -> line.contains("WARN")).toList();
            assertThat(warnings).singleElement().asString().contains("revocations are kept in memory");
            assertThat(serve.stderr()).doesNotContain("Exception");
        }
    }

    @Test
    @DisplayName("Redis from REDIS_URL with STREAMS_HMAC_KEY=<new>,<old>: events signed with the old key on both streams"
            + " reach the server; --consumer names it; after SIGTERM no consumer is left in either group")
    @Tag("redis")
    void redisFromEnvironment() throws Exception {
        try (RedisForTests.OwnedRedis owned = RedisForTests.startOwned()) {
            String redisUrl = owned.uri().toURI().toString();
            Map<String, String> env = Map.of("CARACAL_STS_URL", issuer.url(), "CARACAL_ZONE_ID", "zone_dev",
                    "REDIS_URL", redisUrl, "STREAMS_HMAC_KEY", "42".repeat(32) + ",07" + "07".repeat(31));
            RedisClient client = RedisClient.create(owned.uri());
            try (ServeProcess serve = ServeProcess.start(env, "--port", "0", "--no-require-agent", "--scope", "documents:read",
                    "--audience", "resource://docs-cli", "--consumer", "cli-test-1");
                 StatefulRedisConnection<String, String> redis = client.connect()) {
                URI mcp = serve.awaitListening();
                String revokedSid = "sid-" + UUID.randomUUID();
                String unsignedSid = "sid-" + UUID.randomUUID();
                String revoked = issuer.mint().audience("resource://docs-cli").scope("documents:read").sid(revokedSid).sign();
                String notRevoked = issuer.mint().audience("resource://docs-cli").scope("documents:read").sid(unsignedSid).sign();
                String delegated = issuer.mint().audience("resource://docs-cli").scope("documents:read")
                        .delegationEdge().chain("app_orchestrator", "app-1").hopCount(1).graphEpoch(1).sign();
                String revokedSession = openSession(mcp, revoked);
                String keptSession = openSession(mcp, notRevoked);
                String delegatedSession = openSession(mcp, delegated);

                publish(redis, "caracal.sessions.revoke", false, "zone_id", "zone_dev", "sid", unsignedSid, "reason", "requested");
                publish(redis, "caracal.sessions.revoke", true, "zone_id", "zone_dev", "sid", revokedSid, "reason", "requested");
                HttpResponse<String> afterRevocation = awaitResponse(mcp, revoked, revokedSession, r -> r.statusCode() == 401);
                assertThat(afterRevocation.body()).startsWith("{\"error\":\"session_revoked\"");
                assertThat(post(mcp, notRevoked, keptSession, SEARCH).statusCode())
                        .as("an unsigned event is dead-lettered, not applied").isEqualTo(200);

                publish(redis, "caracal.delegations.invalidate", true, "event", "dev_invalidate", "zone_id", "zone_dev", "epoch", "2");
                HttpResponse<String> afterInvalidation = awaitResponse(mcp, delegated, delegatedSession, r -> r.statusCode() == 401);
                assertThat(afterInvalidation.body()).startsWith("{\"error\":\"delegation_stale\"");

                assertThat(redis.sync().xinfoConsumers("caracal.sessions.revoke", "resource-revocation"))
                        .anySatisfy(info -> assertThat(info.toString()).contains("cli-test-1"));
                List<StreamMessage<String, String>> dead = redis.sync().xrange("caracal.sessions.revoke.dead",
                        io.lettuce.core.Range.create("-", "+"));
                assertThat(dead).isNotEmpty();

                assertThat(serve.terminate()).isEqualTo(SIGTERM_EXIT);
                assertThat(serve.stdoutLines()).containsExactly("listening on " + mcp);
                assertThat(serve.stderr()).doesNotContain("in memory").doesNotContain("Exception");
                assertThat(redis.sync().xinfoConsumers("caracal.sessions.revoke", "resource-revocation")).isEmpty();
                assertThat(redis.sync().xinfoConsumers("caracal.delegations.invalidate", "resource-delegation-invalidation"))
                        .isEmpty();
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    @DisplayName("S70 --consumer-group G with a key while G records 'unsigned': exit 2 naming the group, both policies"
            + " and the fix; in group G2, with two repeatable keys, it starts and applies an entry signed with the second")
    @Tag("redis")
    void consumerGroupPolicyIsEnforcedAtStart() throws Exception {
        try (RedisForTests.OwnedRedis owned = RedisForTests.startOwned()) {
            String redisUrl = owned.uri().toURI().toString();
            Map<String, String> env = Map.of("CARACAL_STS_URL", issuer.url(), "CARACAL_ZONE_ID", "zone_dev", "REDIS_URL", redisUrl);
            RedisClient client = RedisClient.create(owned.uri());
            try (StatefulRedisConnection<String, String> redis = client.connect()) {
                try (RedisRevocationConsumer unsigned = RedisRevocationConsumer.builder().client(client)
                        .store(new InMemoryRevocationStore()).consumer("replica-a").group("fleet").build()) {
                    unsigned.ensureGroup();
                }

                try (ServeProcess refused = ServeProcess.start(env, "--port", "0", "--consumer-group", "fleet",
                        "--stream-hmac-key", "07".repeat(32))) {
                    assertThat(refused.awaitExit()).isEqualTo(2);
                    assertThat(refused.stdoutLines()).isEmpty();
                    assertThat(refused.stderr()).contains("caracal: consumer group fleet on stream caracal.sessions.revoke")
                            .contains("'unsigned'").contains("'signed'").contains("--consumer-group")
                            .contains("caracal:revoked:sessions:consumer-policy:caracal.sessions.revoke:fleet");
                }

                try (ServeProcess serve = ServeProcess.start(env, "--port", "0", "--consumer-group", "fleet-signed",
                        "--stream-hmac-key", "42".repeat(32), "--stream-hmac-key", "07".repeat(32))) {
                    serve.awaitListening();
                    String sid = "sid-" + UUID.randomUUID();
                    publish(redis, "caracal.sessions.revoke", true, "zone_id", "zone_dev", "sid", sid, "reason", "requested");
                    waitUntil(Duration.ofSeconds(15), "the entry signed with the second key is applied",
                            () -> redis.sync().exists("caracal:revoked:sessions:" + sid) == 1);
                    assertThat(redis.sync().get("caracal:revoked:sessions:consumer-policy:caracal.sessions.revoke:fleet-signed"))
                            .isEqualTo("signed");
                    assertThat(serve.terminate()).isEqualTo(SIGTERM_EXIT);
                }
                assertThat(redis.sync().xinfoConsumers("caracal.sessions.revoke", "fleet-signed")).isEmpty();
            } finally {
                client.shutdown();
            }
        }
    }
}
