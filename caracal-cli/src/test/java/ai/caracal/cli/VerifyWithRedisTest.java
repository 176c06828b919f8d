package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.redis.RedisForTests;
import ai.caracal.revocation.redis.RedisRevocationStore;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import io.lettuce.core.RedisClient;
import java.net.ServerSocket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** devtools.md §3.4 {@code --redis}: revocation checked against a real Redis, fail-closed. */
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class VerifyWithRedisTest {

    private TestIssuer issuer;

    @BeforeEach
    void mintAtWallClockTime(TestIssuer issuer) {
        issuer.clock().set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        this.issuer = issuer;
    }

    private CliRun verify(String redisUrl, String token) {
        return CliRun.run("verify", "--issuer", issuer.url(), "--zone", "zone_dev", "--aud", "resource://documents",
                "--redis", redisUrl, token);
    }

    @Test
    @DisplayName("an anchor revoked in Redis is rejected with session_revoked; others are accepted")
    void revocationInRedisIsSeen() {
        String redisUrl = RedisForTests.sharedUri().toURI().toString();
        String agent = RedisForTests.unique("agent");
        String token = issuer.mint().agentSession(agent).sign();

        assertThat(verify(redisUrl, token).exitCode()).isZero();

        RedisClient client = RedisClient.create(RedisForTests.sharedUri());
        try (RedisRevocationStore store = RedisRevocationStore.builder().client(client).build()) {
            RedisForTests.awaitUsable(store);
            store.revoke(agent);
        } finally {
            client.shutdown();
        }
        CliRun revoked = verify(redisUrl, token);
        assertThat(revoked.exitCode()).isEqualTo(3);
        assertThat(revoked.out()).startsWith("REJECTED session_revoked (HTTP 401)");
    }

    @Test
    @DisplayName("an unreachable Redis fails closed: session_revoked, exit 3")
    void unreachableRedisFailsClosed() throws Exception {
        int unusedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            unusedPort = socket.getLocalPort();
        }
        CliRun run = verify("redis://127.0.0.1:" + unusedPort, issuer.mint().sign());

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).startsWith("REJECTED session_revoked (HTTP 401)");
    }

    @Test
    @DisplayName("--redis with --revoked or --epoch is a usage error (exit 2)")
    void redisExcludesInMemoryPreload() {
        CliRun withRevoked = CliRun.run("verify", "--issuer", issuer.url(), "--zone", "zone_dev", "--aud", "a",
                "--redis", "redis://127.0.0.1:6379", "--revoked", "x", "token");
        CliRun withEpoch = CliRun.run("verify", "--issuer", issuer.url(), "--zone", "zone_dev", "--aud", "a",
                "--redis", "redis://127.0.0.1:6379", "--epoch", "3", "token");

        assertThat(withRevoked.exitCode()).isEqualTo(2);
        assertThat(withEpoch.exitCode()).isEqualTo(2);
        assertThat(withRevoked.err()).contains("--redis cannot be combined");
    }

    @Test
    @DisplayName("a malformed --redis URL is a usage error (exit 2)")
    void malformedRedisUrl() {
        CliRun run = verify("not a url", issuer.mint().sign());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--redis is not a Redis URL");
    }
}
