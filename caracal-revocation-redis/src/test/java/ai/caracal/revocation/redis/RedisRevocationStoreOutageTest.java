package ai.caracal.revocation.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationQuery;
import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.testkit.CaracalAssertions;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.logging.LogCapture;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.MandateVerifier;
import ch.qos.logback.classic.Level;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the store does while Redis is unreachable, slow, or not up yet, on servers these tests own and
 * stop. Stores here are built from a client, as in production, with the default 250 ms timeout.
 */
@CaracalTest
class RedisRevocationStoreOutageTest {

    private RedisForTests.OwnedRedis redis;
    private RedisClient client;

    @BeforeEach
    void startRedis() {
        redis = RedisForTests.startOwned();
        client = RedisForTests.client(redis.uri());
    }

    @AfterEach
    void stopRedis() {
        client.shutdown();
        redis.close();
    }

    @Test
    @DisplayName("S19 Redis stopped, default options: revoked, epoch Long.MAX_VALUE, the verifier answers session_revoked")
    void stoppedRedisFailsClosed(TestIssuer issuer) {
        try (RedisRevocationStore store = RedisRevocationStore.builder().client(client).build()) {
            RedisForTests.awaitUsable(store);
            MandateVerifier verifier = issuer.verifier().revocations(store).build();
            String token = issuer.mint().agentSession().delegationEdge().sign();
            CaracalAssertions.assertThat(verifier.authenticate(token)).isOk();

            redis.stop();

            assertThat(store.isRevoked("sid-1")).isTrue();
            assertThat(store.currentDelegationEpoch("zone1")).isEqualTo(Long.MAX_VALUE);
            assertThat(store.check(List.of("sid-1"), "zone1")).isEqualTo(RevocationCheck.FAILED_CLOSED);
            assertThat(store.checkEach(List.of(new RevocationQuery(List.of("sid-1"), "zone1"),
                    new RevocationQuery(List.of("sid-2"), null))))
                    .containsExactly(RevocationCheck.FAILED_CLOSED, RevocationCheck.FAILED_CLOSED);
            CaracalAssertions.assertThat(verifier.authenticate(token)).failedWith(ErrorCode.SESSION_REVOKED);
        }
    }

    @Test
    @DisplayName("S20 Redis stopped, failClosed(false): not revoked, epoch 0, the valid token passes, one WARN")
    void stoppedRedisFailsOpenWithOneWarning(TestIssuer issuer) {
        try (LogCapture logs = LogCapture.of(RedisRevocationStore.class, Level.DEBUG);
             RedisRevocationStore store = RedisRevocationStore.builder().client(client).failClosed(false).build()) {
            RedisForTests.awaitUsable(store);
            MandateVerifier verifier = issuer.verifier().revocations(store).build();
            String token = issuer.mint().sign();
            store.revoke("someone-else");

            redis.stop();

            assertThat(store.isRevoked("someone-else")).isFalse();
            assertThat(store.currentDelegationEpoch("zone1")).isZero();
            assertThat(store.check(List.of("someone-else"), "zone1")).isEqualTo(RevocationCheck.CLEAR);
            assertThat(store.checkEach(List.of(new RevocationQuery(List.of("someone-else"), "zone1"))))
                    .containsExactly(RevocationCheck.CLEAR);
            CaracalAssertions.assertThat(verifier.authenticate(token)).isOk();
            CaracalAssertions.assertThat(verifier.authenticate(token)).isOk();
            assertThat(logs.at(Level.WARN)).singleElement().asString().contains("failing open");
        }
    }

    @Test
    @DisplayName("S21 a server silent past commandTimeout counts as an error, each command abandoned after 250 ms")
    void slowServerCountsAsUnavailable() throws Exception {
        try (RedisRevocationStore store = RedisRevocationStore.builder().client(client).build();
             StatefulRedisConnection<String, String> pauser = client.connect()) {
            RedisForTests.awaitUsable(store);
            // Silent for 30 s (unlike DEBUG SLEEP, a pause does not hold up stopping the server): far longer
            // than the commands below take on any machine, so none of them can get a late answer.
            pauser.sync().clientPause(30_000);

            long started = System.nanoTime();
            assertThat(store.isRevoked("a")).isTrue();
            assertThat(store.currentDelegationEpoch("zone1")).isEqualTo(Long.MAX_VALUE);
            assertThat(store.check(List.of("a", "b"), "zone1")).isEqualTo(RevocationCheck.FAILED_CLOSED);
            // The third time-out in a row took the paused server for a silent peer (S71): the fourth command
            // finds the store reconnecting, and fails as fast.
            assertThatThrownBy(() -> store.revoke("a")).isInstanceOf(RevocationStoreException.class)
                    .message().containsAnyOf("no reply within 250 ms", "not connected to Redis");
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            // Four commands, each abandoned after 250 ms, none waiting for the server to speak again (30 s).
            // How close to 4 x 250 ms this comes is a performance figure, not checked here.
            assertThat(elapsedMillis).isLessThan(10_000L);
        }
    }

    @Test
    @DisplayName("S29 revoke and advance while Redis is down throw, in either failure mode")
    void writesWhileRedisIsDownThrow() {
        try (RedisRevocationStore closed = RedisRevocationStore.builder().client(client).build();
             RedisRevocationStore open = RedisRevocationStore.builder().client(client).failClosed(false).build()) {
            RedisForTests.awaitUsable(closed);
            RedisForTests.awaitUsable(open);

            redis.stop();

            for (RedisRevocationStore store : List.of(closed, open)) {
                assertThatThrownBy(() -> store.revoke("sid-1")).isInstanceOf(RevocationStoreException.class)
                        .hasMessageStartingWith("Cannot record the revocation in Redis");
                assertThatThrownBy(() -> store.advanceDelegationEpoch("zone1", 7))
                        .isInstanceOf(RevocationStoreException.class)
                        .hasMessageStartingWith("Cannot record the delegation epoch in Redis");
            }
        }
    }

    @Test
    @DisplayName("a store built while Redis is down fails closed at once, then works by itself once Redis starts")
    void constructionDoesNotNeedRedis() {
        RedisForTests.OwnedRedis later = RedisForTests.unstarted();
        try (RedisClient laterClient = RedisForTests.client(later.uri());
             RedisRevocationStore store = RedisRevocationStore.builder().client(laterClient).build()) {
            assertThat(store.isRevoked("a")).isTrue();
            assertThat(store.check(List.of("a"), "zone1")).isEqualTo(RevocationCheck.FAILED_CLOSED);
            assertThatThrownBy(() -> store.revoke("a")).isInstanceOf(RevocationStoreException.class);

            later.start();

            RedisForTests.awaitUsable(store);
            assertThat(store.isRevoked("a")).isFalse();
            store.revoke("a");
            assertThat(store.isRevoked("a")).isTrue();
        } finally {
            later.close();
        }
    }

    @Test
    @DisplayName("a client created without a URI: one ERROR, no retries, and lookups fail closed")
    void clientWithoutUriFailsClosed() throws InterruptedException {
        try (RedisClient noUri = RedisClient.create(RedisForTests.resources());
             LogCapture logs = LogCapture.of(RedisRevocationStore.class, Level.DEBUG);
             RedisRevocationStore store = RedisRevocationStore.builder().client(noUri).build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (logs.at(Level.ERROR).isEmpty() && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            assertThat(logs.at(Level.ERROR)).singleElement().asString().contains("retrying will not help");
            assertThat(store.isRevoked("a")).isTrue();
            assertThat(store.check(List.of("a"), "zone1")).isEqualTo(RevocationCheck.FAILED_CLOSED);
        }
    }

    @Test
    @DisplayName("close() closes the connection the store opened, not the client, and is idempotent")
    void closeClosesOnlyTheStoresOwnConnection() throws InterruptedException {
        try (StatefulRedisConnection<String, String> admin = client.connect()) {
            RedisRevocationStore store = RedisRevocationStore.builder().client(client).build();
            RedisForTests.awaitUsable(store);
            assertThat(connectedClients(admin)).isEqualTo(2);

            store.close();
            store.close();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (connectedClients(admin) != 1 && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
            assertThat(connectedClients(admin)).isEqualTo(1);
            assertThat(store.isRevoked("a")).isTrue();
            assertThatThrownBy(() -> store.revoke("a")).isInstanceOf(RevocationStoreException.class)
                    .hasMessageContaining("closed");
            assertThat(admin.sync().ping()).isEqualTo("PONG");
        }
    }

    @Test
    @DisplayName("commandTimeout, null and non-positive, means 250 ms")
    void nonPositiveCommandTimeoutMeansTheDefault() throws Exception {
        try (RedisRevocationStore store = RedisRevocationStore.builder().client(client).commandTimeout(Duration.ZERO).build();
             StatefulRedisConnection<String, String> probe = client.connect()) {
            RedisForTests.awaitUsable(store);
            probe.sync().clientPause(30_000);
            assertThatThrownBy(() -> store.revoke("a")).hasMessageContaining("no reply within 250 ms");
        }
    }

    private static long connectedClients(StatefulRedisConnection<String, String> admin) {
        String info = admin.sync().info("clients");
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("connected_clients:")) {
                return Long.parseLong(line.substring("connected_clients:".length()).trim());
            }
        }
        throw new AssertionError("no connected_clients in " + info);
    }
}
