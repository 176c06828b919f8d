package ai.caracal.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.redis.ConsumerRunner;
import ai.caracal.revocation.redis.RedisForTests;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TcpFaultProxy;
import ai.caracal.testkit.TestClock;
import ai.caracal.testkit.logging.LogCapture;
import ch.qos.logback.classic.Level;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link ConsumerHealthMetrics} on a real registry, watching a real {@link ConsumerRunner}: against the
 * tests' Redis through a {@link TcpFaultProxy}, and against a port where nothing listens. The runner and
 * the binder share a {@link TestClock}, so "60 s without a successful poll" is reached by moving it.
 */
class ConsumerHealthMetricsTest {

    private static final Duration BLOCK = Duration.ofMillis(100);

    @Test
    @DisplayName("the gauges go from unhealthy to healthy once the consumer polls, back when Redis refuses it, and recover")
    void gaugesFollowTheConsumer() {
        RedisURI redis = RedisForTests.sharedUri();
        String stream = RedisForTests.unique("caracal.sessions.revoke.health");
        String group = RedisForTests.unique("health");
        TestClock clock = new TestClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TcpFaultProxy proxy = TcpFaultProxy.start(redis.getHost(), redis.getPort())) {
            RedisClient client = RedisClient.create(RedisURI.builder(redis).withHost(proxy.host()).withPort(proxy.port()).build());
            try (ConsumerRunner runner = runner(client, stream, group, clock)) {
                new ConsumerHealthMetrics(registry, runner, clock);
                assertThat(healthy(registry)).isZero();
                clock.advance(Duration.ofSeconds(5));
                assertThat(age(registry)).as("never polled: counted from the binder's creation").isEqualTo(5.0);

                runner.start();
                Eventually.waitUntil(Duration.ofSeconds(20), "the gauge to show a healthy consumer",
                        () -> healthy(registry) == 1);
                assertThat(age(registry)).isZero();
                assertThat(runner.lastError()).isEmpty();

                proxy.reset();
                Eventually.waitUntil(Duration.ofSeconds(20), "a failed poll while Redis refuses",
                        () -> runner.lastError().isPresent());
                assertThat(healthy(registry)).as("within 60 s of the last success").isEqualTo(1);
                clock.advance(Duration.ofSeconds(61));
                assertThat(healthy(registry)).isZero();
                assertThat(age(registry)).isEqualTo(61.0);

                proxy.restore();
                Eventually.waitUntil(Duration.ofSeconds(30), "the gauge to show the consumer polling again",
                        () -> healthy(registry) == 1);
                assertThat(age(registry)).isZero();

                runner.stop();
                assertThat(healthy(registry)).as("a stopped runner applies nothing").isZero();
            } finally {
                client.shutdown();
                cleanUp(redis, stream);
            }
        }
    }

    @Test
    @DisplayName("a consumer that never polled is unhealthy, and its age grows from start-up instead of from 1970")
    void aConsumerThatNeverPolledIsUnhealthy() throws Exception {
        TestClock clock = new TestClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", closedPort()));
        try (ConsumerRunner runner = runner(client, RedisForTests.unique("caracal.sessions.revoke.health"),
                RedisForTests.unique("health"), clock)) {
            new ConsumerHealthMetrics(registry, runner, clock);
            runner.start();

            assertThat(runner.awaitJoined(Duration.ofSeconds(20))).isFalse();
            assertThat(runner.lastError()).isPresent();
            clock.advance(Duration.ofSeconds(90));

            assertThat(healthy(registry)).isZero();
            assertThat(age(registry)).isEqualTo(90.0);
        } finally {
            client.shutdown();
        }
    }

    @Test
    @DisplayName("the gauges are exported with their names and unit, and hold the runner themselves")
    void gaugeNames() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RedisClient client = RedisClient.create(RedisForTests.sharedUri());
        try (ConsumerRunner runner = runner(client, "unused", "unused", new TestClock())) {
            new ConsumerHealthMetrics(registry, runner);
            System.gc();
            assertThat(registry.get(ConsumerHealthMetrics.LAST_POLL_AGE).gauge().getId().getBaseUnit()).isEqualTo("seconds");
            assertThat(healthy(registry)).isZero();
        } finally {
            client.shutdown();
        }
    }

    @Test
    @DisplayName("a registry that refuses the gauges is logged and stops nothing")
    void aRegistryThatRefusesTheGaugesStopsNothing() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().startsWith("caracal.revocation.consumer.")) {
                    throw new IllegalStateException("registry broken");
                }
                return id;
            }
        });
        RedisClient client = RedisClient.create(RedisForTests.sharedUri());
        try (ConsumerRunner runner = runner(client, "unused", "unused", new TestClock());
             LogCapture logs = LogCapture.of(ConsumerHealthMetrics.class, Level.WARN)) {
            new ConsumerHealthMetrics(registry, runner);

            assertThat(registry.find(ConsumerHealthMetrics.HEALTHY).gauge()).isNull();
            assertThat(logs.warnings()).hasSize(1);
            assertThat(logs.warnings().get(0)).contains("consumer health gauges").contains("registry broken");
        } finally {
            client.shutdown();
        }
    }

    private static ConsumerRunner runner(RedisClient client, String stream, String group, TestClock clock) {
        return ConsumerRunner.builder().clock(clock)
                .add(RedisRevocationConsumer.builder().client(client).store(new InMemoryRevocationStore())
                        .consumer("health-test").stream(stream).group(group).block(BLOCK).build())
                .build();
    }

    private static double healthy(SimpleMeterRegistry registry) {
        return registry.get(ConsumerHealthMetrics.HEALTHY).gauge().value();
    }

    private static double age(SimpleMeterRegistry registry) {
        return registry.get(ConsumerHealthMetrics.LAST_POLL_AGE).gauge().value();
    }

    /** @return a loopback port that was free a moment ago and where nothing listens */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void cleanUp(RedisURI redis, String stream) {
        RedisClient client = RedisClient.create(redis);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().del(stream, stream + ".dead");
            ScanIterator.scan(connection.sync(), ScanArgs.Builder.matches("*consumer-policy:" + stream + ":*").limit(1000))
                    .forEachRemaining(key -> connection.sync().del(key));
        } finally {
            client.shutdown();
        }
    }
}
