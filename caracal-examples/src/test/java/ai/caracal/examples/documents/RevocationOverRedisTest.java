package ai.caracal.examples.documents;

import static ai.caracal.examples.documents.McpHttp.authorizationFailure;
import static ai.caracal.examples.documents.McpHttp.openSession;
import static ai.caracal.examples.documents.McpHttp.post;
import static ai.caracal.examples.documents.McpHttp.sdkClient;
import static ai.caracal.examples.documents.McpHttp.toolCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.caracal.revocation.redis.ConsumerRunner;
import ai.caracal.revocation.redis.DelegationInvalidationConsumer;
import ai.caracal.revocation.redis.RedisForTests;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.revocation.redis.RedisRevocationStore;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.AuthError;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.http.AuthErrorBody;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * M5 as it runs in production: the server's store is a {@link RedisRevocationStore} fed by a
 * {@link ConsumerRunner}, and the revocation arrives as an event on the revocation stream. The streams
 * get unique names, so the test can share a Redis with others ({@code CARACAL_TEST_REDIS_URL}, or an
 * embedded server).
 */
@Tag("integration")
@Tag("redis")
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class RevocationOverRedisTest {

    private final String revokeStream = RedisForTests.unique("caracal.sessions.revoke");
    private final String invalidateStream = RedisForTests.unique("caracal.delegations.invalidate");
    private TestIssuer issuer;
    private RedisClient redis;
    private RedisRevocationStore store;
    private ConsumerRunner runner;
    private DocumentsMcpServer server;

    @BeforeEach
    void start(TestIssuer issuer) {
        issuer.clock().set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        this.issuer = issuer;
        redis = RedisClient.create(RedisForTests.sharedUri());
        store = RedisRevocationStore.builder().client(redis).keyPrefix(RedisForTests.unique("caracal:test:revoked") + ":").build();
        RedisForTests.awaitUsable(store);
        runner = ConsumerRunner.builder()
                .add(RedisRevocationConsumer.builder().client(redis).store(store).consumer("documents-mcp-test")
                        .stream(revokeStream).block(Duration.ofMillis(200)).build())
                .add(DelegationInvalidationConsumer.builder().client(redis).store(store).consumer("documents-mcp-test")
                        .stream(invalidateStream).block(Duration.ofMillis(200)).build())
                .build();
        runner.start();
        server = DocumentsMcpServer.builder().port(0).issuer(issuer.url()).zoneId("zone_dev").revocations(store).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        runner.close();
        store.close();
        redis.shutdown();
    }

    private void publishRevocation(String agentSessionId) {
        Map<String, String> event = new LinkedHashMap<>();
        event.put("zone_id", "zone_dev");
        event.put("agent_session_id", agentSessionId);
        event.put("reason", "requested");
        event.put("outbox_id", UUID.randomUUID().toString());
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            connection.sync().xadd(revokeStream, XAddArgs.Builder.maxlen(100_000).approximateTrimming(), event);
        }
    }

    private void awaitRevoked(String anchor) {
        Eventually.waitUntil(Duration.ofSeconds(15), "the consumer applied the event", () -> store.isRevoked(anchor));
    }

    @Test
    @DisplayName("M5: a revocation event on the stream makes the live session's next tools/call HTTP 401 session_revoked")
    void m5RevocationThroughTheStream() {
        URI mcp = server.mcpUrl();
        String agent = "agent-" + UUID.randomUUID();
        String token = issuer.mint().scope("tool:call").agentSession(agent).sign();
        String rawSession = openSession(mcp, token);
        CallToolRequest search = new CallToolRequest("search", Map.of("query", "before"));

        try (McpSyncClient client = sdkClient(mcp, token)) {
            client.initialize();
            assertThat(client.callTool(search).isError()).isFalse();
            assertThat(post(mcp, "Bearer " + token, rawSession, toolCall(2, "search", "{\"query\":\"q\"}")).statusCode()).isEqualTo(200);

            publishRevocation(agent);
            awaitRevoked(agent);

            McpHttpClientTransportAuthorizationException failure = authorizationFailure(catchThrowable(() -> client.callTool(search)));
            assertThat(failure.getResponseInfo().statusCode()).isEqualTo(401);
            assertThat(failure.getRequestSnapshot().headers().firstValue("Mcp-Session-Id")).isPresent();
        }
        HttpResponse<String> sameSession = post(mcp, "Bearer " + token, rawSession, toolCall(3, "search", "{\"query\":\"q\"}"));
        assertThat(sameSession.statusCode()).isEqualTo(401);
        assertThat(sameSession.body()).isEqualTo(AuthErrorBody.json(AuthError.of(ErrorCode.SESSION_REVOKED)));
    }

    @Test
    @DisplayName("a mandate whose anchors were not revoked keeps working on the same server")
    void otherSessionsUnaffected() {
        URI mcp = server.mcpUrl();
        String revoked = "agent-" + UUID.randomUUID();
        String kept = issuer.mint().scope("tool:call").agentSession().sign();
        String keptSession = openSession(mcp, kept);

        publishRevocation(revoked);
        awaitRevoked(revoked);

        HttpResponse<String> response = post(mcp, "Bearer " + kept, keptSession, toolCall(2, "search", "{\"query\":\"q\"}"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Result for: q");
    }
}
