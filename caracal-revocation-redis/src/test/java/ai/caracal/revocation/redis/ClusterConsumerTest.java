package ai.caracal.revocation.redis;

import static ai.caracal.testkit.Eventually.waitUntil;
import static ai.caracal.revocation.redis.TestProducer.fields;
import static ai.caracal.revocation.redis.TestProducer.publish;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.InMemoryRevocationStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The consumers on a {@link RedisClusterClient}: a one-node Redis Cluster that owns every slot. */
class ClusterConsumerTest {

    /** A cluster node takes seconds to stop on a signal; SHUTDOWN NOSAVE is immediate. */
    private static void shutdownNow(RedisForTests.OwnedRedis server) {
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().shutdown(false);
        } catch (RuntimeException expected) {
            // the server drops the connection as it exits
        } finally {
            client.shutdown();
        }
    }

    @Test
    @DisplayName("consumers built from a RedisClusterClient apply entries and dead-letter to a stream in another slot")
    void clusterClientConsumerAppliesAndDeadLetters() throws Exception {
        Path nodesFile = Files.createTempFile("caracal-cluster-" + UUID.randomUUID(), ".conf");
        Files.delete(nodesFile);
        try (RedisForTests.OwnedRedis server = RedisForTests.startOwned("cluster-enabled yes",
                "cluster-config-file " + nodesFile)) {
            RedisClient setup = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> connection = setup.connect()) {
                connection.sync().clusterAddSlots(IntStream.range(0, 16384).toArray());
                waitUntil(Duration.ofSeconds(10), "cluster_state:ok",
                        () -> connection.sync().clusterInfo().contains("cluster_state:ok"));
            } finally {
                setup.shutdown();
            }
            RedisClusterClient cluster = RedisClusterClient.create(server.uri());
            InMemoryRevocationStore store = new InMemoryRevocationStore();
            try (RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(cluster).store(store)
                    .consumer("c1").block(Duration.ofMillis(100)).build();
                 var producer = cluster.connect()) {
                consumer.ensureGroup();
                publish(producer.sync(), "caracal.sessions.revoke", fields("session_id", "cluster-sid"));
                publish(producer.sync(), "caracal.sessions.revoke", fields("reason", "no anchor"));

                assertThat(consumer.pollOnce()).isEqualTo(2);

                assertThat(store.isRevoked("cluster-sid")).isTrue();
                assertThat(producer.sync().xlen("caracal.sessions.revoke.dead")).isEqualTo(1);
                assertThat(producer.sync().xpending("caracal.sessions.revoke", "resource-revocation").getCount()).isZero();
            } finally {
                cluster.shutdown();
                shutdownNow(server);
            }
        } finally {
            Files.deleteIfExists(nodesFile);
        }
    }
}
