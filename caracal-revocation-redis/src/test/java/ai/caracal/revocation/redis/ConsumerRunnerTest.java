package ai.caracal.revocation.redis;

import static ai.caracal.testkit.Eventually.waitUntil;
import static ai.caracal.revocation.redis.TestProducer.fields;
import static ai.caracal.revocation.redis.TestProducer.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.testkit.logging.LogCapture;
import ch.qos.logback.classic.Level;
import io.lettuce.core.RedisClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link ConsumerRunner} (state.md §6.5), S54 and S55, against real Redis servers. */
class ConsumerRunnerTest {

    private static final Duration BLOCK = Duration.ofMillis(100);

    private final StreamLane lane = StreamLane.shared("caracal.sessions.revoke.runner");
    private final TestStreams streams = lane.streams;
    private final String stream = lane.stream;
    private final String group = lane.group;

    @AfterEach
    void tearDown() {
        lane.close();
    }

    private RedisRevocationConsumer.Builder consumer(RedisClient client, RevocationStore store) {
        return RedisRevocationConsumer.builder().client(client).store(store).consumer("c1").stream(stream).group(group)
                .block(BLOCK).pendingIdle(Duration.ofMillis(200));
    }

    private static List<Thread> threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive())
                .collect(Collectors.toList());
    }

    @Test
    @DisplayName("S54 start() with Redis down logs backoff WARNs; once Redis is up the group exists and the runner is healthy")
    void runnerRecoversWhenRedisComesUp() {
        try (RedisForTests.OwnedRedis server = RedisForTests.startOwned();
             LogCapture logs = LogCapture.of(ConsumerRunner.class, Level.DEBUG)) {
            server.stop();
            RedisClient client = RedisClient.create(server.uri());
            try (ConsumerRunner runner = ConsumerRunner.builder()
                    .add(RedisRevocationConsumer.builder().client(client).store(new InMemoryRevocationStore())
                            .consumer("c1").block(BLOCK).build())
                    .build()) {
                runner.start();

                waitUntil(Duration.ofSeconds(10), "a backoff WARN while Redis is down", () -> !logs.warnings().isEmpty());
                // start() returned at once: the attempts and backoffs run on the runner's own thread
                assertThat(logs.threadsAt(Level.WARN)).allSatisfy(thread -> assertThat(thread).startsWith("caracal-consumer-"));
                assertThat(runner.healthy()).isFalse();
                assertThat(runner.lastError()).isPresent();
                assertThat(logs.warnings().get(0)).contains("caracal.sessions.revoke").contains("retrying in 1 s");

                server.start();

                waitUntil(Duration.ofSeconds(35), "healthy after Redis came up", runner::healthy);
                try (TestStreams owned = new TestStreams(server.uri())) {
                    assertThat(owned.redis.xinfoGroups("caracal.sessions.revoke").toString()).contains("resource-revocation");
                }
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    @DisplayName("S55 runner.close() during a blocking read returns within block + 5 s and the threads end")
    void closeDuringBlockingReadReturnsPromptly() {
        RedisRevocationConsumer consumer = lane.revocationConsumer(new InMemoryRevocationStore()).build();
        ConsumerRunner runner = ConsumerRunner.builder().add(consumer).build();
        runner.start();
        waitUntil(Duration.ofSeconds(10), "a first successful poll", runner::healthy);
        assertThat(threadsNamed("caracal-consumer-" + stream)).hasSize(1);

        long started = System.nanoTime();
        runner.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(consumer.block().plusSeconds(5));
        assertThat(threadsNamed("caracal-consumer-" + stream)).isEmpty();
        assertThat(runner.isRunning()).isFalse();
        assertThatThrownBy(consumer::pollOnce).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("a running runner applies published entries, counts them and reports healthy on daemon threads")
    void runnerAppliesEntriesInTheBackground() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        String delegations = streams.newStream("caracal.delegations.invalidate.runner");
        try (ConsumerRunner runner = ConsumerRunner.builder()
                .add(consumer(streams.client, store).build())
                .add(DelegationInvalidationConsumer.builder().client(streams.client).store(store).consumer("c1")
                        .stream(delegations).group(group).block(BLOCK).build())
                .build()) {
            assertThat(runner.isRunning()).isFalse();
            assertThat(runner.lastSuccessfulPoll()).isEqualTo(Instant.EPOCH);
            runner.start();
            runner.start();

            publish(streams.redis, stream, fields("session_id", "sid-runner", "root_sid", "root-runner"));
            publish(streams.redis, delegations, fields("zone_id", "zone1", "epoch", "12"));
            publish(streams.redis, delegations, fields("zone_id", "zone1", "epoch", "twelve"));

            waitUntil(Duration.ofSeconds(10), "all three entries handled", () -> runner.handledCount() == 3);
            assertThat(store.isRevoked("sid-runner")).isTrue();
            assertThat(store.isRevoked("root-runner")).isTrue();
            assertThat(store.currentDelegationEpoch("zone1")).isEqualTo(12);
            assertThat(runner.healthy()).isTrue();
            assertThat(runner.lastError()).isEmpty();
            assertThat(threadsNamed("caracal-consumer-" + stream)).singleElement().matches(Thread::isDaemon);
            assertThat(threadsNamed("caracal-consumer-" + delegations)).singleElement().matches(Thread::isDaemon);
        }
    }

    @Test
    @DisplayName("healthy() is false after stop(), and once the last successful poll is older than 60 s")
    void healthNeedsARunningRunnerAndARecentPoll() {
        MovableClock clock = new MovableClock();
        RedisRevocationConsumer consumer = consumer(streams.client, new InMemoryRevocationStore()).build();
        try (ConsumerRunner runner = ConsumerRunner.builder().add(consumer).clock(clock).build()) {
            runner.start();
            waitUntil(Duration.ofSeconds(10), "a first successful poll", runner::healthy);
            runner.stop();
            assertThat(runner.healthy()).isFalse();
            runner.start();
            assertThat(runner.healthy()).isTrue();

            consumer.close();
            // The read in flight may fail first with a connection error; the next poll fails because the consumer is closed.
            waitUntil(Duration.ofSeconds(15), "a failed poll on the closed consumer",
                    () -> runner.lastError().filter(IllegalStateException.class::isInstance).isPresent());
            assertThat(runner.healthy()).isTrue();
            clock.advance(Duration.ofSeconds(61));

            assertThat(runner.healthy()).isFalse();
            assertThat(runner.lastError().get()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    @DisplayName("close() stops the threads and closes the consumers but not the client; stop() and close() are idempotent")
    void closeClosesConsumersButNotTheClient() {
        RedisRevocationConsumer consumer = consumer(streams.client, new InMemoryRevocationStore()).build();
        ConsumerRunner runner = ConsumerRunner.builder().add(consumer).build();
        runner.start();
        runner.stop();
        runner.stop();
        assertThat(threadsNamed("caracal-consumer-" + stream)).isEmpty();
        consumer.ensureGroup();

        runner.close();
        runner.close();

        assertThatThrownBy(consumer::ensureGroup).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(runner::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        try (var connection = streams.client.connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
        }
    }

    @Test
    @DisplayName("a runner needs at least one consumer and refuses the same consumer twice")
    void builderValidatesConsumers() {
        assertThatThrownBy(() -> ConsumerRunner.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one consumer");
        try (RedisRevocationConsumer consumer = consumer(streams.client, new InMemoryRevocationStore()).build()) {
            assertThatThrownBy(() -> ConsumerRunner.builder().add(consumer).add(consumer))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already added");
        }
    }

    /** A clock that tests move by hand; it does not move by itself. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
