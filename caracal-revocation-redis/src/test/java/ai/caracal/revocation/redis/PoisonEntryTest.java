package ai.caracal.revocation.redis;

import static ai.caracal.revocation.redis.TestProducer.fields;
import static ai.caracal.revocation.redis.TestProducer.publish;
import static ai.caracal.testkit.Eventually.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * State.md S68: an entry that fails to apply for a reason other than an outage is retried at most 5
 * deliveries, then dead-lettered as {@code apply_failed}, and never holds back the entries after it.
 * Before, it aborted every poll that re-claimed it, so the entries delivered with it were never applied.
 */
class PoisonEntryTest {

    private static final Duration PENDING_IDLE = Duration.ofMillis(100);

    private final StreamLane lane = StreamLane.shared("caracal.delegations.invalidate.poison");
    private final TestStreams streams = lane.streams;
    private final String stream = lane.stream;
    private final String group = lane.group;
    private final String prefix = lane.keyPrefix("poison");

    @AfterEach
    void tearDown() {
        lane.close();
    }

    @Test
    @DisplayName("S68 zone P's epoch key holds a hash; invalidations for P, then Q (epoch 9): Q's epoch is 9 within"
            + " 15 s; P's entry is dead-lettered apply_failed")
    void wrongTypeOnOneZoneDoesNotHoldBackTheNext() {
        streams.redis.hset(prefix + "delegation-epoch:zone-p", "not", "an epoch");
        String poison = publish(streams.redis, stream, fields("event", "edge_revoke", "zone_id", "zone-p", "epoch", "5"));
        publish(streams.redis, stream, fields("event", "edge_revoke", "zone_id", "zone-q", "epoch", "9"));

        try (RedisRevocationStore store = RedisRevocationStore.builder().client(streams.client).keyPrefix(prefix)
                     .commandTimeout(Duration.ofSeconds(2)).build();
             ConsumerRunner runner = ConsumerRunner.builder().add(lane.delegationConsumer(store)
                     .block(Duration.ofMillis(100)).pendingIdle(PENDING_IDLE).build()).build()) {
            runner.start();

            waitUntil(Duration.ofSeconds(15), "zone Q's epoch is 9", () -> store.currentDelegationEpoch("zone-q") == 9);
            waitUntil(Duration.ofSeconds(30), "zone P's entry is dead-lettered",
                    () -> !streams.deadLetters(stream).isEmpty());

            List<StreamMessage<String, String>> dead = streams.deadLetters(stream);
            assertThat(dead).singleElement().satisfies(entry -> assertThat(entry.getBody())
                    .containsEntry("source_id", poison).containsEntry("reason", "apply_failed"));
            assertThat(streams.redis.type(prefix + "delegation-epoch:zone-p")).isEqualTo("hash");
            waitUntil(Duration.ofSeconds(5), "nothing is pending", () -> streams.pending(stream, group) == 0);
        }
    }

    @Test
    @DisplayName("S68 a store that refuses one anchor: later entries are applied by the same poll, and the refused"
            + " entry is tried in exactly 5 deliveries before it is dead-lettered")
    void refusedEntryIsTriedFiveTimesThenDeadLettered() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        RevocationStore store = new RefusingStore("poison", attempts);
        try (RedisRevocationConsumer consumer = lane.revocationConsumer(store)
                .block(Duration.ofMillis(100)).pendingIdle(PENDING_IDLE).build()) {
            consumer.ensureGroup();
            String poison = publish(streams.redis, stream, fields("zone_id", "z", "sid", "poison", "reason", "requested"));
            publish(streams.redis, stream, fields("zone_id", "z", "sid", "good", "reason", "requested"));

            assertThat(consumer.pollOnce()).isEqualTo(1);
            assertThat(store.isRevoked("good")).isTrue();
            assertThat(attempts).hasValue(1);
            assertThat(streams.deadLetters(stream)).isEmpty();

            for (int poll = 0; poll < 100 && streams.deadLetters(stream).isEmpty(); poll++) {
                Thread.sleep(PENDING_IDLE.toMillis());
                consumer.pollOnce();
            }

            assertThat(attempts).hasValue(RevocationStreamConsumer.MAX_DELIVERIES);
            assertThat(streams.deadLetters(stream)).singleElement().satisfies(entry -> assertThat(entry.getBody())
                    .containsEntry("source_id", poison).containsEntry("reason", "apply_failed"));
            assertThat(streams.pending(stream, group)).isZero();
            assertThat(store.isRevoked("poison")).isFalse();
        }
    }

    /** An in-memory store that throws a non-transient error for one anchor, counting the attempts. */
    private static final class RefusingStore implements RevocationStore {
        private final InMemoryRevocationStore delegate = new InMemoryRevocationStore();
        private final String refused;
        private final AtomicInteger attempts;

        RefusingStore(String refused, AtomicInteger attempts) {
            this.refused = refused;
            this.attempts = attempts;
        }

        @Override
        public boolean isRevoked(String anchor) {
            return delegate.isRevoked(anchor);
        }

        @Override
        public void revoke(String anchor, Duration ttl) {
            if (refused.equals(anchor)) {
                attempts.incrementAndGet();
                throw new IllegalStateException("this store never accepts " + anchor);
            }
            delegate.revoke(anchor, ttl);
        }

        @Override
        public long currentDelegationEpoch(String zoneId) {
            return delegate.currentDelegationEpoch(zoneId);
        }

        @Override
        public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
            return delegate.advanceDelegationEpoch(zoneId, epoch, ttl);
        }
    }
}
