package ai.caracal.devsts;

import ai.caracal.testkit.Eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.revocation.redis.DelegationInvalidationConsumer;
import ai.caracal.revocation.redis.RedisForTests;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.revocation.redis.RevocationStreamConsumer;
import ai.caracal.revocation.redis.StreamSignature;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * devtools.md §1.6 and §1.7 with Redis: events go onto the real streams of a real Redis with the
 * producer encoding, and the project's own consumers, given the same HMAC key, apply them. The
 * consumers' signature check is the byte-for-byte proof of the format.
 *
 * <p>Runs on {@link RedisForTests#sharedUri()}. The stream names are the fixed production ones, so each
 * test reads them through its own consumer group created at {@code $} (only entries added from then on)
 * and looks for its own unique anchors and zones.
 */
@Tag("redis")
class RedisPublishingTest {

    private static RedisURI uri;
    /** The URL as configured (RedisURI renders credentials masked, so it is not turned back into text). */
    private static String url;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> redis;

    private final String hmacHex = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
    private final byte[] hmacKey = HexFormat.of().parseHex(hmacHex);
    private final InMemoryRevocationStore applied = new InMemoryRevocationStore();
    private DevSts sts;
    private final Map<String, String> groups = new java.util.LinkedHashMap<>();

    @BeforeAll
    static void connect() {
        uri = RedisForTests.sharedUri();
        String configured = System.getenv(RedisForTests.ENV);
        url = configured != null && !configured.isBlank() ? configured : "redis://" + uri.getHost() + ":" + uri.getPort();
        client = RedisClient.create(uri);
        connection = client.connect();
        redis = connection.sync();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
        client.shutdown();
    }

    @BeforeEach
    void start() {
        sts = DevSts.builder().redis(url).streamHmacKeyHex(hmacHex).start();
    }

    @AfterEach
    void stop() {
        sts.close();
        for (Map.Entry<String, String> created : groups.entrySet()) {
            redis.xgroupDestroy(created.getValue(), created.getKey());
            redis.del("caracal:revoked:sessions:consumer-policy:" + created.getValue() + ":" + created.getKey());
        }
    }

    /** A group that sees only entries added after this call; destroyed, with its policy record, after the test. */
    private String newGroup(String stream) {
        String group = RedisForTests.unique("dev-sts-test");
        redis.xgroupCreate(XReadArgs.StreamOffset.latest(stream), group, XGroupCreateArgs.Builder.mkstream());
        groups.put(group, stream);
        return group;
    }

    private static void pollUntil(RevocationStreamConsumer consumer, String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 15 s: " + what);
            }
            consumer.pollOnce();
        }
    }

    private static Map<String, String> entry(String stream, String id) {
        List<StreamMessage<String, String>> messages = redis.xrange(stream, Range.create(id, id));
        assertThat(messages).hasSize(1);
        return messages.get(0).getBody();
    }

    private static boolean deadLettered(String stream, String id) {
        return redis.xrange(stream + ".dead", Range.create("-", "+")).stream()
                .anyMatch(message -> id.equals(message.getBody().get("source_id")));
    }

    @Test
    void revocationIsAppliedByARevocationConsumerWithTheSameKey() {
        String group = newGroup(RevokeResult.STREAM);
        String agent = RedisForTests.unique("agent");
        String edge = RedisForTests.unique("edge");

        RevokeResult result = sts.revoke(RevokeRequest.builder().agentSessionId(agent).delegationEdgeId(edge).build());

        try (RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(client).store(applied)
                .consumer("dev-sts-test").group(group).streamHmacKeyHex(hmacHex).block(Duration.ofMillis(200)).build()) {
            pollUntil(consumer, "the consumer handles the entry", () -> applied.isRevoked(agent)
                    || deadLettered(RevokeResult.STREAM, result.streamId().orElseThrow()));
        }
        assertThat(deadLettered(RevokeResult.STREAM, result.streamId().orElseThrow())).isFalse();
        assertThat(applied.isRevoked(agent)).isTrue();
        assertThat(applied.isRevoked(edge)).isTrue();
        assertThat(result.published()).isTrue();
        assertThat(result.appliedToStore()).isFalse();
    }

    @Test
    void invalidationIsAppliedByADelegationConsumerWithTheSameKey() {
        String group = newGroup(InvalidateResult.STREAM);
        String zone = RedisForTests.unique("zone");

        sts.invalidateDelegations(zone);
        InvalidateResult result = sts.invalidateDelegations(zone, 5);

        try (DelegationInvalidationConsumer consumer = DelegationInvalidationConsumer.builder().client(client)
                .store(applied).consumer("dev-sts-test").group(group).streamHmacKeyHex(hmacHex)
                .block(Duration.ofMillis(200)).build()) {
            pollUntil(consumer, "the consumer handles the entry", () -> applied.currentDelegationEpoch(zone) == 5
                    || deadLettered(InvalidateResult.STREAM, result.streamId().orElseThrow()));
        }
        assertThat(applied.currentDelegationEpoch(zone)).isEqualTo(5);
        assertThat(result.epoch()).isEqualTo(5);
        assertThat(result.published()).isTrue();
        assertThat(deadLettered(InvalidateResult.STREAM, result.streamId().orElseThrow())).isFalse();
    }

    @Test
    void revocationEntryHasTheProducerFieldsInOrderWithSigLast() {
        String sid = RedisForTests.unique("sid");

        RevokeResult result = sts.revoke(RevokeRequest.builder().zoneId("zone_x").sessionId(sid).sid(sid).rootSid("root-1")
                .reason("testing").build());

        Map<String, String> fields = entry(RevokeResult.STREAM, result.streamId().orElseThrow());
        assertThat(List.copyOf(fields.keySet()))
                .containsExactly("zone_id", "session_id", "sid", "root_sid", "reason", "outbox_id", "_sig");
        assertThat(fields).containsEntry("zone_id", "zone_x").containsEntry("session_id", sid).containsEntry("sid", sid)
                .containsEntry("root_sid", "root-1").containsEntry("reason", "testing");
        assertThat(UuidV7.timestampOf(fields.get("outbox_id"))).isPositive();
        Map<String, String> unsigned = new LinkedHashMap<>(fields);
        unsigned.remove("_sig");
        assertThat(fields.get("_sig")).isEqualTo(StreamSignature.sign(hmacKey, RevokeResult.STREAM, unsigned))
                .matches("[0-9a-f]{64}");
        assertThat(result.revoked()).containsExactly(sid, "root-1");
    }

    @Test
    void invalidationEntryHasTheProducerFieldsInOrderWithSigLast() {
        String zone = RedisForTests.unique("zone");

        InvalidateResult result = sts.invalidateDelegations(zone, 7);

        Map<String, String> fields = entry(InvalidateResult.STREAM, result.streamId().orElseThrow());
        assertThat(List.copyOf(fields.keySet())).containsExactly("event", "zone_id", "epoch", "outbox_id", "_sig");
        assertThat(fields).containsEntry("event", "dev_invalidate").containsEntry("zone_id", zone).containsEntry("epoch", "7");
        assertThat(StreamSignature.verify(hmacKey, InvalidateResult.STREAM, fields)).isTrue();
        assertThat(StreamSignature.verify(hmacKey, RevokeResult.STREAM, fields)).isFalse();
    }

    @Test
    void entriesAreAddedWithApproximateTrimmingTo100000() throws Exception {
        String agent = RedisForTests.unique("agent");
        String zone = RedisForTests.unique("zone");
        try (RedisMonitor monitor = RedisMonitor.start(java.net.URI.create(url))) {
            sts.revoke(RevokeRequest.builder().agentSessionId(agent).build());
            sts.invalidateDelegations(zone);

            Eventually.waitUntil(Duration.ofSeconds(30), "MONITOR shows both XADDs",
                    () -> monitor.lines().stream().filter(line -> line.contains(agent) || line.contains(zone)).count() >= 2);
            assertThat(monitor.lines()).anySatisfy(line -> assertThat(line).matches(".*\\] \"XADD\" "
                    + "\"caracal\\.sessions\\.revoke\" \"MAXLEN\" \"~\" \"100000\" \"\\*\" \"zone_id\" \"zone_dev\" "
                    + "\"agent_session_id\" \"" + agent + "\" \"reason\" \"dev_revoked\" \"outbox_id\" \"[0-9a-f-]{36}\" "
                    + "\"_sig\" \"[0-9a-f]{64}\"$"));
            assertThat(monitor.lines()).anySatisfy(line -> assertThat(line).matches(".*\\] \"XADD\" "
                    + "\"caracal\\.delegations\\.invalidate\" \"MAXLEN\" \"~\" \"100000\" \"\\*\" \"event\" \"dev_invalidate\" "
                    + "\"zone_id\" \"" + zone + "\" \"epoch\" \"1\" \"outbox_id\" \"[0-9a-f-]{36}\" \"_sig\" \"[0-9a-f]{64}\"$"));
        }
    }

    @Test
    void withoutAKeyEntriesAreUnsignedAndStillApplied() {
        String group = newGroup(RevokeResult.STREAM);
        String agent = RedisForTests.unique("agent");
        try (DevSts unsigned = DevSts.builder().redis(url).start()) {
            RevokeResult result = unsigned.revoke(RevokeRequest.builder().agentSessionId(agent).build());

            assertThat(entry(RevokeResult.STREAM, result.streamId().orElseThrow())).doesNotContainKey("_sig");
        }

        try (RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(client).store(applied)
                .consumer("dev-sts-test").group(group).block(Duration.ofMillis(200)).build()) {
            pollUntil(consumer, "the consumer revokes " + agent, () -> applied.isRevoked(agent));
        }
    }

    @Test
    void consumerWithAnotherKeyDeadLettersTheEntry() {
        String group = newGroup(RevokeResult.STREAM);
        String agent = RedisForTests.unique("agent");
        String otherKey = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));

        String id = sts.revoke(RevokeRequest.builder().agentSessionId(agent).build()).streamId().orElseThrow();

        try (RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(client).store(applied)
                .consumer("dev-sts-test").group(group).streamHmacKeyHex(otherKey).block(Duration.ofMillis(200)).build()) {
            pollUntil(consumer, "the entry is dead-lettered", () -> deadLettered(RevokeResult.STREAM, id));
        }
        assertThat(applied.isRevoked(agent)).isFalse();
    }

    @Test
    void storeAndRedisAreBothWritten() {
        InMemoryRevocationStore attached = new InMemoryRevocationStore();
        String agent = RedisForTests.unique("agent");
        try (DevSts both = DevSts.builder().revocations(attached).redis(url).streamHmacKeyHex(hmacHex).start()) {
            Http.Answer answer = new Http(both).postJson("/dev/revoke", Map.of("agent_session_id", agent));

            assertThat(answer.object()).containsEntry("applied_to_store", true).containsEntry("published", true)
                    .containsEntry("stream", "caracal.sessions.revoke");
            String id = (String) answer.object().get("stream_id");
            assertThat(entry(RevokeResult.STREAM, id)).containsEntry("agent_session_id", agent);
            assertThat(attached.isRevoked(agent)).isTrue();

            Http.Answer invalidated = new Http(both).postJson("/dev/delegations/invalidate", Map.of("zone_id", "zone_dev"));
            assertThat(invalidated.object()).containsEntry("applied_to_store", true).containsEntry("published", true);
            assertThat(entry(InvalidateResult.STREAM, (String) invalidated.object().get("stream_id")))
                    .containsEntry("zone_id", "zone_dev");
        }
    }

    @Test
    void unreachableRedisIsTemporarilyUnavailable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (DevSts down = DevSts.builder().redis("redis://127.0.0.1:" + port).start()) {
            Http.Answer answer = new Http(down).postJson("/dev/revoke", Map.of("sid", "s-1"));

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.error()).isEqualTo("temporarily_unavailable");
            assertThat(answer.description()).contains("caracal.sessions.revoke");
            assertThatThrownBy(() -> down.invalidateDelegations("zone_dev")).isInstanceOf(RevocationStoreException.class);
        }
    }
}
