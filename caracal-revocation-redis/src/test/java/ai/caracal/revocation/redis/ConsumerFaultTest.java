package ai.caracal.revocation.redis;

import static ai.caracal.testkit.Eventually.waitUntil;
import static ai.caracal.revocation.redis.TestProducer.fields;
import static ai.caracal.revocation.redis.TestProducer.publish;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.InMemoryRevocationStore;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.models.stream.PendingMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Crash and restart faults with real processes: a consumer JVM killed with SIGKILL between reading and
 * acking, and 10 000 events published while two consumers of one group are restarted again and again.
 * Every wait is bounded.
 */
@Tag("slow")
class ConsumerFaultTest {

    private static final Duration PENDING_IDLE = Duration.ofMillis(200);
    private static final Duration BLOCK = Duration.ofMillis(100);

    private final StreamLane lane = StreamLane.shared("caracal.sessions.revoke.fault");
    private final TestStreams streams = lane.streams;
    private final String stream = lane.stream;
    private final String group = lane.group;

    @AfterEach
    void tearDown() {
        lane.close();
    }

    @Test
    @DisplayName("Fault: a consumer JVM killed after reading but before XACK; another consumer re-claims the entry and applies it")
    void entryOfAKilledConsumerIsReclaimedByAnother() throws Exception {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        try (RedisRevocationConsumer survivor = lane.revocationConsumer(store).consumer("survivor")
                .block(BLOCK).pendingIdle(PENDING_IDLE).build()) {
            survivor.ensureGroup();
            String id = publish(streams.redis, stream, fields("zone_id", "zone1", "session_id", "killed-1",
                    "root_sid", "killed-root", "reason", "grant_revoked"));

            Process victim = startVictim("victim");
            try {
                // A fresh JVM loading Lettuce and Netty on a loaded 2-core machine took over 30 s once.
                assertThat(awaitLine(victim, StuckConsumerMain.HOLDING, Duration.ofMinutes(2)))
                        .isEqualTo(StuckConsumerMain.HOLDING + "killed-1");
                List<PendingMessage> pending = streams.redis.xpending(stream, group, Range.create("-", "+"), Limit.from(10));
                assertThat(pending).singleElement().satisfies(p -> {
                    assertThat(p.getId()).isEqualTo(id);
                    assertThat(p.getConsumer()).isEqualTo("victim");
                });

                victim.destroyForcibly();
                assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                victim.destroyForcibly();
            }
            assertThat(store.isRevoked("killed-1")).isFalse();
            Thread.sleep(PENDING_IDLE.toMillis() + 100);

            assertThat(survivor.pollOnce()).isEqualTo(1);

            assertThat(store.isRevoked("killed-1")).isTrue();
            assertThat(store.isRevoked("killed-root")).isTrue();
            assertThat(streams.pending(stream, group)).isZero();
            assertThat(streams.recorded.ofType("XAUTOCLAIM"))
                    .anySatisfy(c -> assertThat(c).contains(" " + group + " survivor "));
        }
    }

    @Test
    @DisplayName("Fault: 10 000 events published while two consumers of one group restart 10 times each; none is lost")
    void noEventIsLostWhileConsumersRestart() {
        int events = 10_000;
        int batches = 20;
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        List<Replica> replicas = List.of(new Replica("replica-1", store), new Replica("replica-2", store));
        int restartsWhileBehind = 0;
        try (StatefulRedisConnection<String, String> producer = streams.client.connect()) {
            RedisAsyncCommands<String, String> async = producer.async();
            replicas.forEach(Replica::start);
            for (int batch = 0; batch < batches; batch++) {
                List<RedisFuture<String>> added = new ArrayList<>();
                for (int i = batch * events / batches; i < (batch + 1) * events / batches; i++) {
                    added.add(async.xadd(stream, XAddArgs.Builder.maxlen(100_000).approximateTrimming(),
                            fields("zone_id", "zone1", "session_id", "anchor-" + i, "reason", "grant_revoked",
                                    "outbox_id", "outbox-" + i)));
                }
                assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(10), added.toArray(RedisFuture[]::new))).isTrue();
                if (store.size() < (batch + 1) * events / batches) {
                    restartsWhileBehind++;
                }
                // Half of the restarts are abrupt: the connection is closed under a running poll.
                replicas.get(batch % 2).restart(batch % 4 < 2);
            }

            waitUntil(Duration.ofSeconds(60), "all " + events + " anchors revoked", () -> store.size() == events);
            for (int i = 0; i < events; i++) {
                assertThat(store.isRevoked("anchor-" + i)).as("anchor-%d", i).isTrue();
            }
            waitUntil(Duration.ofSeconds(10), "no entry left pending", () -> streams.pending(stream, group) == 0);
            assertThat(replicas).allSatisfy(r -> assertThat(r.restarts).isEqualTo(batches / 2));
            assertThat(restartsWhileBehind).as("restarts that hit consumers with work in flight").isPositive();
        } finally {
            replicas.forEach(Replica::close);
        }
    }

    /** One resource-server replica: a consumer with a fixed name in the shared group, run by its own runner. */
    private final class Replica {
        final String name;
        final InMemoryRevocationStore store;
        RedisRevocationConsumer consumer;
        ConsumerRunner runner;
        int restarts;

        Replica(String name, InMemoryRevocationStore store) {
            this.name = name;
            this.store = store;
        }

        void start() {
            consumer = lane.revocationConsumer(store).consumer(name).block(BLOCK).pendingIdle(PENDING_IDLE).build();
            runner = ConsumerRunner.builder().add(consumer).build();
            runner.start();
        }

        void restart(boolean abrupt) {
            if (abrupt) {
                consumer.close();
            }
            runner.close();
            restarts++;
            start();
        }

        void close() {
            if (runner != null) {
                runner.close();
            }
        }
    }

    private Process startVictim(String consumerName) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String configured = System.getenv(RedisForTests.ENV);
        String uri = configured != null && !configured.isBlank() ? configured : RedisForTests.sharedUri().toURI().toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StuckConsumerMain.class.getName(),
                uri, stream, group, consumerName)
                .redirectErrorStream(true)
                .start();
    }

    /** Reads the process's output until a line starts with {@code prefix}; fails after {@code limit}. */
    private static String awaitLine(Process process, String prefix, Duration limit) throws InterruptedException {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> seen = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process was killed; nothing more to read
            }
        }, "victim-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }
        throw new AssertionError("the victim process printed no '" + prefix + "' line within " + limit + "; output: " + seen);
    }
}
