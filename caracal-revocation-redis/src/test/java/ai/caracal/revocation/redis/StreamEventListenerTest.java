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
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.logging.LogCapture;
import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@link StreamEventListener} of the consumers (the {@code caracal.revocation.events} metric), against a real Redis. */
class StreamEventListenerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration PENDING_IDLE = Duration.ofMillis(200);

    private final StreamLane lane = StreamLane.shared("caracal.sessions.revoke.events");
    private final TestStreams streams = lane.streams;
    private final String stream = lane.stream;
    private final String group = lane.group;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final StreamEventListener recording = (source, result) -> seen.add(source + " " + result);

    @AfterEach
    void tearDown() {
        lane.close();
    }

    private RedisRevocationConsumer.Builder consumer(RevocationStore store) {
        return lane.revocationConsumer(store).block(Duration.ofMillis(100)).pendingIdle(PENDING_IDLE)
                .streamHmacKey(VECTOR_KEY);
    }

    @Test
    void appliedAndDeadLetteredEntriesAreReportedWithTheirStream() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        publishSigned(streams.redis, stream, fields("session_id", "sid-good"), VECTOR_KEY);
        publish(streams.redis, stream, fields("session_id", "sid-forged", "_sig", "00".repeat(32)));

        try (ConsumerRunner runner = ConsumerRunner.builder().add(consumer(store).listener(recording).build()).build()) {
            runner.start();
            Eventually.waitUntil(WAIT, "both entries to be reported", () -> seen.size() >= 2);
        }

        assertThat(seen).containsExactly(stream + " APPLIED", stream + " DEAD_LETTERED");
        assertThat(store.isRevoked("sid-good")).isTrue();
        assertThat(store.isRevoked("sid-forged")).isFalse();
        assertThat(streams.deadLetters(stream)).hasSize(1);
    }

    @Test
    void delegationConsumerReportsToo() {
        String delegations = streams.newStream("caracal.delegations.invalidate.events");
        publish(streams.redis, delegations, fields("zone_id", "zone1", "epoch", "not-a-number"));

        try (DelegationInvalidationConsumer consumer = DelegationInvalidationConsumer.builder().client(streams.client)
                .store(new InMemoryRevocationStore()).consumer("c1").stream(delegations).group(group)
                .block(Duration.ofMillis(100)).listener(recording).build()) {
            consumer.ensureGroup();
            assertThat(consumer.pollOnce()).isEqualTo(1);
        }

        assertThat(seen).containsExactly(delegations + " DEAD_LETTERED");
    }

    @Test
    void failedStoreWriteIsReportedAsRetryThenAppliedOnRedelivery() throws InterruptedException {
        ScriptedRevocationStore store = new ScriptedRevocationStore();
        publishSigned(streams.redis, stream, fields("session_id", "sid-later"), VECTOR_KEY);

        try (RedisRevocationConsumer consumer = consumer(store).listener(recording).build()) {
            consumer.ensureGroup();
            store.failWrites(true);
            assertThatThrownBy(consumer::pollOnce).isInstanceOf(RevocationStoreException.class);
            assertThat(seen).containsExactly(stream + " RETRY");
            assertThat(streams.pending(stream, group)).isEqualTo(1);

            store.failWrites(false);
            Thread.sleep(PENDING_IDLE.toMillis() + 50);
            consumer.pollOnce();
        }

        assertThat(seen).containsExactly(stream + " RETRY", stream + " APPLIED");
        assertThat(store.isRevoked("sid-later")).isTrue();
    }

    @Test
    void throwingListenerIsLoggedAndNeverStopsConsumption() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        StreamEventListener broken = (source, result) -> {
            throw new IllegalStateException("listener bug");
        };
        publishSigned(streams.redis, stream, fields("session_id", "sid-1"), VECTOR_KEY);
        publish(streams.redis, stream, fields("session_id", "sid-forged"));
        publishSigned(streams.redis, stream, fields("session_id", "sid-2"), VECTOR_KEY);

        try (LogCapture log = LogCapture.of(RedisRevocationConsumer.class, Level.DEBUG);
             ConsumerRunner runner = ConsumerRunner.builder().add(consumer(store).listener(broken).build()).build()) {
            runner.start();
            Eventually.waitUntil(WAIT, "all three entries to be handled and acked",
                    () -> runner.handledCount() == 3 && streams.pending(stream, group) == 0);

            assertThat(store.isRevoked("sid-1")).isTrue();
            assertThat(store.isRevoked("sid-2")).isTrue();
            assertThat(streams.deadLetters(stream)).hasSize(1);
            assertThat(runner.lastError()).isEmpty();
            assertThat(log.warnings()).anySatisfy(line -> assertThat(line).contains("listener").contains(stream));
        }
    }

    @Test
    void listenerIsRequiredWhenSet() {
        assertThatThrownBy(() -> RedisRevocationConsumer.builder().listener(null))
                .isInstanceOf(NullPointerException.class).hasMessage("listener");
    }
}
