package ai.caracal.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.redis.RedisForTests;
import ai.caracal.revocation.redis.RedisRevocationStore;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import io.lettuce.core.RedisClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** With {@code REDIS_URL} the example checks revocations in Redis, shared with every other replica. */
@CaracalTest(zone = "zone_dev", audience = "resource://examples")
class SpringBootExampleRedisTest {

    @Test
    @DisplayName("REDIS_URL selects the Redis store: a session revoked in Redis is rejected with 401 session_revoked")
    void revocationsComeFromRedis(TestIssuer issuer) throws Exception {
        issuer.clock().set(Instant.now());
        String redisUrl = RedisForTests.sharedUri().toURI().toString();
        String session = RedisForTests.unique("agent-session");
        String token = issuer.mint().agentSession(session).sign();
        Map<String, String> env = Map.of("CARACAL_STS_URL", issuer.url(), "CARACAL_ZONE_ID", "zone_dev", "PORT", "0",
                "REDIS_URL", redisUrl);
        HttpClient http = HttpClient.newHttpClient();
        RedisClient redis = RedisClient.create(redisUrl);
        try (SpringBootExample example = SpringBootExample.start(env::get)) {
            HttpRequest whoami = HttpRequest.newBuilder(example.uri().resolve("/api/whoami"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).build();
            assertThat(http.send(whoami, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            RedisRevocationStore.builder().client(redis).build().revoke(session);

            HttpResponse<String> revoked = http.send(whoami, HttpResponse.BodyHandlers.ofString());
            assertThat(revoked.statusCode()).isEqualTo(401);
            assertThat(revoked.body()).contains("\"error\":\"session_revoked\"");
        } finally {
            redis.shutdown();
        }
    }
}
