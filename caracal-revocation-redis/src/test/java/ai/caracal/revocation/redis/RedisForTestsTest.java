package ai.caracal.revocation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

class RedisForTestsTest {

    @Test
    void ownedServerAnswersAndRestartsOnTheSamePort() {
        try (RedisForTests.OwnedRedis redis = RedisForTests.startOwned()) {
            RedisClient client = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                assertThat(connection.sync().ping()).isEqualTo("PONG");
            }
            redis.stop();
            redis.start();
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                assertThat(connection.sync().set("k", "v")).isEqualTo("OK");
            } finally {
                client.shutdown();
            }
        }
    }
}
