package ai.caracal.revocation.redis;

import static ai.caracal.revocation.redis.TestProducer.VECTOR_KEY;
import static ai.caracal.revocation.redis.TestProducer.fields;
import static ai.caracal.revocation.redis.TestProducer.publish;
import static ai.caracal.revocation.redis.TestProducer.publishSigned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** State.md §9.3 rows for {@link RedisRevocationConsumer}, against a real Redis. */
class RedisRevocationConsumerTest {

    private static final Duration PENDING_IDLE = Duration.ofMillis(200);
    private static final Duration BLOCK = Duration.ofMillis(100);

    private final StreamLane lane = StreamLane.shared("caracal.sessions.revoke.test");
    private final TestStreams streams = lane.streams;
    private final String stream = lane.stream;
    private final String group = lane.group;

    @AfterEach
    void tearDown() {
        lane.close();
    }

    private RedisRevocationConsumer.Builder consumer(RevocationStore store) {
        return lane.revocationConsumer(store).block(BLOCK).pendingIdle(PENDING_IDLE);
    }

    @Test
    @DisplayName("S34 ensureGroup on an empty server creates the stream and the group at 0")
    void ensureGroupOnEmptyServerCreatesStreamAndGroup() {
        try (RedisForTests.OwnedRedis server = RedisForTests.startOwned();
             TestStreams owned = new TestStreams(server.uri());
             RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(owned.client)
                     .store(new InMemoryRevocationStore()).consumer("c1").build()) {
            assertThat(owned.redis.exists("caracal.sessions.revoke")).isZero();

            consumer.ensureGroup();

            assertThat(owned.redis.type("caracal.sessions.revoke")).isEqualTo("stream");
            assertThat(owned.redis.xinfoGroups("caracal.sessions.revoke").toString()).contains("resource-revocation");
            assertThat(owned.recorded.ofType("XGROUP"))
                    .containsExactly("XGROUP CREATE caracal.sessions.revoke resource-revocation 0 MKSTREAM");
        }
    }

    @Test
    @DisplayName("S35 ensureGroup twice succeeds (BUSYGROUP ignored)")
    void ensureGroupTwiceSucceeds() {
        try (RedisRevocationConsumer consumer = consumer(new InMemoryRevocationStore()).build()) {
            consumer.ensureGroup();
            consumer.ensureGroup();
            assertThat(streams.redis.xinfoGroups(stream)).hasSize(1);
        }
    }

    @Test
    @DisplayName("S36 ensureGroup with the wrong password throws RevocationStoreException; the right one succeeds")
    void ensureGroupWithWrongPasswordThrows() {
        try (RedisForTests.OwnedRedis server = RedisForTests.startOwned("requirepass right-password")) {
            withClient(RedisURI.builder(server.uri()).withPassword("wrong-password".toCharArray()).build(), wrong -> {
                try (RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(wrong)
                        .store(new InMemoryRevocationStore()).consumer("c1").build()) {
                    // Lettuce usually reports WRONGPASS, but may report the refused handshake as a closed connection.
                    assertThatThrownBy(consumer::ensureGroup)
                            .isInstanceOf(RevocationStoreException.class)
                            .satisfies(e -> assertThat(causes(e)).containsAnyOf("WRONGPASS", "NOAUTH", "Unable to connect"))
                            .satisfies(e -> assertThat(causes(e)).doesNotContain("wrong-password"));
                }
            });
            withClient(RedisURI.builder(server.uri()).withPassword("right-password".toCharArray()).build(), right -> {
                try (RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(right)
                        .store(new InMemoryRevocationStore()).consumer("c1").build()) {
                    consumer.ensureGroup();
                }
            });
        }
    }

    private static void withClient(RedisURI uri, java.util.function.Consumer<RedisClient> test) {
        RedisClient client = RedisClient.create(uri);
        try {
            test.accept(client);
        } finally {
            client.shutdown();
        }
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }

    @Test
    @DisplayName("S37 signed entry H1 revokes sid-1, root-1, agent-1 and edge-1 and is acked")
    void signedH1RevokesItsFourAnchors() {
        try (RedisForTests.OwnedRedis server = RedisForTests.startOwned();
             TestStreams owned = new TestStreams(server.uri())) {
            InMemoryRevocationStore store = new InMemoryRevocationStore();
            try (RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(owned.client).store(store)
                    .consumer("c1").streamHmacKeyHex(TestProducer.VECTOR_KEY_HEX).block(BLOCK).build()) {
                consumer.ensureGroup();
                Map<String, String> entry = new LinkedHashMap<>(TestProducer.h1());
                entry.put("_sig", "4c746b7e0e80a775ba96c7f289c6b5217f86c722c8b0327d2aec92897e87c168");
                publish(owned.redis, "caracal.sessions.revoke", entry);

                assertThat(consumer.pollOnce()).isEqualTo(1);

                assertThat(List.of("sid-1", "root-1", "agent-1", "edge-1")).allMatch(store::isRevoked);
                assertThat(store.size()).isEqualTo(4);
                assertThat(owned.pending("caracal.sessions.revoke", "resource-revocation")).isZero();
                assertThat(owned.deadLetters("caracal.sessions.revoke")).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("S38 session_id and sid with the same value plus root_sid write exactly 2 keys")
    void duplicateAnchorsAreWrittenOnce() {
        ScriptedRevocationStore store = new ScriptedRevocationStore();
        try (RedisRevocationConsumer consumer = consumer(store).build()) {
            consumer.ensureGroup();
            publish(streams.redis, stream, fields("session_id", "sid-1", "sid", "sid-1", "root_sid", "r"));

            assertThat(consumer.pollOnce()).isEqualTo(1);

            assertThat(store.revokedInOrder()).containsExactly("sid-1", "r");
            assertThat(streams.pending(stream, group)).isZero();
        }
    }

    @Test
    @DisplayName("S39 _sig=00 with a key configured is dead-lettered as invalid_signature and acked")
    void wrongSignatureIsDeadLettered() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (RedisRevocationConsumer consumer = consumer(store).streamHmacKey(VECTOR_KEY).build()) {
            consumer.ensureGroup();
            String id = publish(streams.redis, stream,
                    fields("zone_id", "zone1", "session_id", "sid-1", "reason", "grant_revoked", "_sig", "00"));

            assertThat(consumer.pollOnce()).isEqualTo(1);

            assertThat(store.size()).isZero();
            assertThat(streams.pending(stream, group)).isZero();
            List<StreamMessage<String, String>> dead = streams.deadLetters(stream);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).getBody()).containsExactly(
                    Map.entry("source_id", id),
                    Map.entry("reason", "invalid_signature"),
                    Map.entry("payload",
                            "{\"_sig\":\"00\",\"reason\":\"grant_revoked\",\"session_id\":\"sid-1\",\"zone_id\":\"zone1\"}"));
            assertThat(streams.recorded.ofType("XADD"))
                    .anySatisfy(c -> assertThat(c).startsWith("XADD " + stream + ".dead MAXLEN ~ 10000 * source_id " + id));
        }
    }

    @Test
    @DisplayName("S40 an entry without _sig and a key configured is dead-lettered as invalid_signature and acked")
    void missingSignatureIsDeadLettered() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (RedisRevocationConsumer consumer = consumer(store).streamHmacKey(VECTOR_KEY).build()) {
            consumer.ensureGroup();
            String id = publish(streams.redis, stream, fields("zone_id", "zone1", "session_id", "sid-1", "reason", "ttl"));

            assertThat(consumer.pollOnce()).isEqualTo(1);

            assertThat(store.isRevoked("sid-1")).isFalse();
            assertThat(streams.pending(stream, group)).isZero();
            assertThat(streams.deadLetters(stream)).singleElement().satisfies(dead -> {
                assertThat(dead.getBody()).containsEntry("source_id", id).containsEntry("reason", "invalid_signature");
                assertThat(dead.getBody().get("payload"))
                        .isEqualTo("{\"reason\":\"ttl\",\"session_id\":\"sid-1\",\"zone_id\":\"zone1\"}");
            });
        }
    }

    @Test
    @DisplayName("S41 H1 with its _sig in uppercase hex is accepted")
    void uppercaseSignatureIsAccepted() {
        try (RedisForTests.OwnedRedis server = RedisForTests.startOwned();
             TestStreams owned = new TestStreams(server.uri())) {
            InMemoryRevocationStore store = new InMemoryRevocationStore();
            try (RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(owned.client).store(store)
                    .consumer("c1").streamHmacKey(VECTOR_KEY).block(BLOCK).build()) {
                consumer.ensureGroup();
                Map<String, String> entry = new LinkedHashMap<>(TestProducer.h1());
                entry.put("_sig", "4c746b7e0e80a775ba96c7f289c6b5217f86c722c8b0327d2aec92897e87c168".toUpperCase(Locale.ROOT));
                publish(owned.redis, "caracal.sessions.revoke", entry);

                assertThat(consumer.pollOnce()).isEqualTo(1);

                assertThat(List.of("sid-1", "root-1", "agent-1", "edge-1")).allMatch(store::isRevoked);
                assertThat(owned.deadLetters("caracal.sessions.revoke")).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("S42 without a key, unsigned entries and entries with a wrong _sig are both processed and acked")
    void withoutKeySignaturesAreIgnored() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (RedisRevocationConsumer consumer = consumer(store).build()) {
            consumer.ensureGroup();
            publish(streams.redis, stream, fields("session_id", "unsigned-1"));
            publish(streams.redis, stream, fields("session_id", "wrongly-signed-1", "_sig", "00"));

            assertThat(consumer.pollOnce()).isEqualTo(2);

            assertThat(store.isRevoked("unsigned-1")).isTrue();
            assertThat(store.isRevoked("wrongly-signed-1")).isTrue();
            assertThat(streams.pending(stream, group)).isZero();
            assertThat(streams.deadLetters(stream)).isEmpty();
        }
    }

    @Test
    @DisplayName("S43 an entry with only zone_id, reason and edge_id is dead-lettered as missing_revocation_anchor")
    void entryWithoutAnchorIsDeadLettered() {
        ScriptedRevocationStore store = new ScriptedRevocationStore();
        try (RedisRevocationConsumer consumer = consumer(store).build()) {
            consumer.ensureGroup();
            String id = publish(streams.redis, stream,
                    fields("zone_id", "zone1", "reason", "delegation_revoked", "edge_id", "edge-1"));

            assertThat(consumer.pollOnce()).isEqualTo(1);

            assertThat(store.revokedInOrder()).isEmpty();
            assertThat(streams.pending(stream, group)).isZero();
            assertThat(streams.deadLetters(stream)).singleElement().satisfies(dead -> assertThat(dead.getBody())
                    .containsEntry("source_id", id)
                    .containsEntry("reason", "missing_revocation_anchor")
                    .containsEntry("payload", "{\"edge_id\":\"edge-1\",\"reason\":\"delegation_revoked\",\"zone_id\":\"zone1\"}"));
        }
    }

    @Test
    @DisplayName("S44 an unwritable dead-letter stream aborts the poll and leaves the entry pending")
    void unwritableDeadLetterStreamLeavesEntryPending() {
        ScriptedRevocationStore store = new ScriptedRevocationStore();
        try (RedisRevocationConsumer consumer = consumer(store).build()) {
            consumer.ensureGroup();
            streams.redis.set(stream + ".dead", "not a stream");
            publish(streams.redis, stream, fields("zone_id", "zone1", "reason", "requested"));

            assertThatThrownBy(consumer::pollOnce)
                    .isInstanceOf(RevocationStoreException.class)
                    .hasMessageContaining("XADD " + stream + ".dead")
                    .hasMessageContaining("WRONGTYPE");

            assertThat(streams.pending(stream, group)).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("S45 a failing store aborts the poll; the entry stays pending and is re-claimed once the store works")
    void failedEntryIsReclaimedAfterPendingIdle() throws InterruptedException {
        ScriptedRevocationStore store = new ScriptedRevocationStore();
        try (RedisRevocationConsumer consumer = consumer(store).build()) {
            consumer.ensureGroup();
            publish(streams.redis, stream, fields("session_id", "sid-45", "root_sid", "root-45"));
            store.failWrites(true);

            assertThatThrownBy(consumer::pollOnce).isInstanceOf(RevocationStoreException.class)
                    .hasMessageContaining("injected");
            assertThat(streams.pending(stream, group)).isEqualTo(1);

            store.failWrites(false);
            Thread.sleep(PENDING_IDLE.toMillis() + 100);

            assertThat(consumer.pollOnce()).isEqualTo(1);
            assertThat(store.revokedInOrder()).containsExactly("sid-45", "root-45");
            assertThat(streams.pending(stream, group)).isZero();
            assertThat(streams.recorded.ofType("XAUTOCLAIM")).isNotEmpty();
        }
    }

    @Test
    @DisplayName("S46 two idle pending entries and one new entry are processed pending, pending, new")
    void pendingEntriesAreProcessedBeforeNewOnes() throws InterruptedException {
        ScriptedRevocationStore store = new ScriptedRevocationStore();
        try (RedisRevocationConsumer consumer = consumer(store).build()) {
            consumer.ensureGroup();
            publish(streams.redis, stream, fields("session_id", "pending-1"));
            publish(streams.redis, stream, fields("session_id", "pending-2"));
            assertThat(streams.deliverWithoutAck(stream, group, "crashed", 10)).hasSize(2);
            Thread.sleep(PENDING_IDLE.toMillis() + 100);
            publish(streams.redis, stream, fields("session_id", "new-1"));

            assertThat(consumer.pollOnce()).isEqualTo(3);

            assertThat(store.revokedInOrder()).containsExactly("pending-1", "pending-2", "new-1");
            assertThat(streams.pending(stream, group)).isZero();
        }
    }

    @Test
    @DisplayName("S47 pending entries over two XAUTOCLAIM pages (batchSize 1) are all processed, cursor followed to 0-0")
    void autoclaimCursorIsFollowed() throws InterruptedException {
        ScriptedRevocationStore store = new ScriptedRevocationStore();
        try (RedisRevocationConsumer consumer = consumer(store).batchSize(1).build()) {
            consumer.ensureGroup();
            String first = publish(streams.redis, stream, fields("session_id", "page-1"));
            String second = publish(streams.redis, stream, fields("session_id", "page-2"));
            assertThat(streams.deliverWithoutAck(stream, group, "crashed", 10)).hasSize(2);
            Thread.sleep(PENDING_IDLE.toMillis() + 100);
            streams.recorded.clear();

            assertThat(consumer.pollOnce()).isEqualTo(2);

            assertThat(store.revokedInOrder()).containsExactly("page-1", "page-2");
            assertThat(streams.pending(stream, group)).isZero();
            List<String> claims = streams.recorded.ofType("XAUTOCLAIM");
            assertThat(claims).hasSizeGreaterThanOrEqualTo(2);
            assertThat(claims.get(0)).contains(" 0-0 COUNT 1");
            assertThat(claims.get(1)).contains(" " + second + " COUNT 1");
            assertThat(first).isNotEqualTo(second);
        }
    }

    @Test
    @DisplayName("S48 pollOnce with nothing to read returns 0 after the default 2 s block, never BLOCK 0")
    void emptyPollReturnsAfterBoundedBlock() {
        try (RedisRevocationConsumer consumer = lane.revocationConsumer(new InMemoryRevocationStore()).build()) {
            consumer.ensureGroup();
            long started = System.nanoTime();

            assertThat(consumer.pollOnce()).isZero();

            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isBetween(Duration.ofMillis(1_900), Duration.ofSeconds(10));
            assertThat(streams.recorded.ofType("XREADGROUP")).singleElement()
                    .satisfies(c -> assertThat(c).contains("BLOCK 2000").doesNotContain("BLOCK 0 "));
        }
    }

    @Test
    @DisplayName("S52 H2's fields and _sig written to caracal.sessions.revoke are dead-lettered as invalid_signature")
    void entryCopiedFromAnotherStreamFailsItsSignature() {
        try (RedisForTests.OwnedRedis server = RedisForTests.startOwned();
             TestStreams owned = new TestStreams(server.uri())) {
            InMemoryRevocationStore store = new InMemoryRevocationStore();
            try (RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(owned.client).store(store)
                    .consumer("c1").streamHmacKey(VECTOR_KEY).block(BLOCK).build()) {
                consumer.ensureGroup();
                Map<String, String> entry = new LinkedHashMap<>(TestProducer.h2());
                entry.put("_sig", "af93be15944d57332651e8a37d422c792929ecc90736344cc4a672997b25dac5");
                publish(owned.redis, "caracal.sessions.revoke", entry);

                assertThat(consumer.pollOnce()).isEqualTo(1);

                assertThat(owned.deadLetters("caracal.sessions.revoke")).singleElement()
                        .satisfies(dead -> assertThat(dead.getBody()).containsEntry("reason", "invalid_signature"));
                assertThat(owned.pending("caracal.sessions.revoke", "resource-revocation")).isZero();
            }
        }
    }

    @Test
    @DisplayName("Unknown fields are ignored and the anchors still applied")
    void unknownFieldsAreIgnored() {
        ScriptedRevocationStore store = new ScriptedRevocationStore();
        try (RedisRevocationConsumer consumer = consumer(store).streamHmacKey(VECTOR_KEY).build()) {
            consumer.ensureGroup();
            publishSigned(streams.redis, stream, fields("zone_id", "zone1", "delegation_edge_id", "edge-9",
                    "x_future_field", "{\"nested\":[1,2]}", "grant_id", "", "dedupe_key", "d-1"), VECTOR_KEY);

            assertThat(consumer.pollOnce()).isEqualTo(1);

            assertThat(store.revokedInOrder()).containsExactly("edge-9");
        }
    }

    @Test
    @DisplayName("Empty anchor values are skipped; an entry whose anchors are all empty is dead-lettered")
    void emptyAnchorValuesAreSkipped() {
        ScriptedRevocationStore store = new ScriptedRevocationStore();
        try (RedisRevocationConsumer consumer = consumer(store).build()) {
            consumer.ensureGroup();
            publish(streams.redis, stream, fields("session_id", "", "sid", "", "agent_session_id", "agent-7"));
            publish(streams.redis, stream, fields("session_id", "", "root_sid", "", "delegation_edge_id", ""));

            assertThat(consumer.pollOnce()).isEqualTo(2);

            assertThat(store.revokedInOrder()).containsExactly("agent-7");
            assertThat(streams.deadLetters(stream)).singleElement()
                    .satisfies(dead -> assertThat(dead.getBody()).containsEntry("reason", "missing_revocation_anchor"));
        }
    }

    @Test
    @DisplayName("A huge entry (1 MiB anchor, 2 000 unknown fields) is applied and a huge malformed one dead-lettered")
    void hugeEntriesNeitherCrashNorBlock() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (RedisRevocationConsumer consumer = consumer(store).build()) {
            consumer.ensureGroup();
            String hugeAnchor = "a".repeat(1 << 20);
            Map<String, String> huge = new HashMap<>();
            for (int i = 0; i < 2_000; i++) {
                huge.put("unknown_" + i, "v".repeat(100));
            }
            Map<String, String> applied = new HashMap<>(huge);
            applied.put("session_id", hugeAnchor);
            publish(streams.redis, stream, applied);
            Map<String, String> malformed = new HashMap<>(huge);
            malformed.put("reason", "x".repeat(1 << 20));
            publish(streams.redis, stream, malformed);

            assertThat(consumer.pollOnce()).isEqualTo(2);

            assertThat(store.isRevoked(hugeAnchor)).isTrue();
            assertThat(streams.deadLetters(stream)).singleElement()
                    .satisfies(dead -> assertThat(dead.getBody().get("payload")).hasSizeGreaterThan(1 << 20));
            assertThat(streams.pending(stream, group)).isZero();
        }
    }

    @Test
    @DisplayName("Malformed entries never un-revoke: a revoked anchor stays revoked through invalid entries naming it")
    void malformedEntriesNeverUnrevoke() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (RedisRevocationConsumer consumer = consumer(store).streamHmacKey(VECTOR_KEY).build()) {
            consumer.ensureGroup();
            publishSigned(streams.redis, stream, fields("session_id", "sid-keep"), VECTOR_KEY);
            publish(streams.redis, stream, fields("session_id", "sid-keep", "_sig", "not hex"));
            publish(streams.redis, stream, fields("session_id", "sid-keep", "reason", "unrevoke", "_sig", "ABC"));
            publishSigned(streams.redis, stream, fields("reason", "unrevoke", "edge_id", "sid-keep"), VECTOR_KEY);

            assertThat(consumer.pollOnce()).isEqualTo(4);

            assertThat(store.isRevoked("sid-keep")).isTrue();
            assertThat(streams.deadLetters(stream)).extracting(dead -> dead.getBody().get("reason"))
                    .containsExactly("invalid_signature", "invalid_signature", "missing_revocation_anchor");
        }
    }

    @Test
    @DisplayName("A closed consumer refuses to poll, and closing twice is harmless; the client stays usable")
    void closedConsumerRefusesToPoll() {
        RedisRevocationConsumer consumer = consumer(new InMemoryRevocationStore()).build();
        consumer.ensureGroup();
        consumer.close();
        consumer.close();

        assertThatThrownBy(consumer::pollOnce).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(streams.redis.ping()).isEqualTo("PONG");
        try (var other = streams.client.connect()) {
            assertThat(other.sync().ping()).isEqualTo("PONG");
        }
    }
}
