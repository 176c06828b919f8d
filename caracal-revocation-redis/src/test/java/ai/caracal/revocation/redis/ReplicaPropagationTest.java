package ai.caracal.revocation.redis;

import static ai.caracal.testkit.Eventually.waitUntil;
import static ai.caracal.revocation.redis.TestProducer.fields;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.MandateVerifier;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue #3: revocations written by a consumer are seen by every replica sharing the Redis. Two
 * "replicas", each with its own client, store, consumers (one group, distinct consumer names) and
 * verifier, read the same Redis; an event published once reaches both verifiers.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class ReplicaPropagationTest {

    private final List<AutoCloseable> open = new ArrayList<>();
    private final String prefix = RedisForTests.unique("replicas") + ":";
    private final String revokeStream = RedisForTests.unique("caracal.sessions.revoke");
    private final String epochStream = RedisForTests.unique("caracal.delegations.invalidate");
    private RedisClient producer;

    @BeforeEach
    void producer() {
        producer = RedisForTests.client(RedisForTests.sharedUri());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        try (var connection = producer.connect()) {
            connection.sync().del(revokeStream, epochStream, revokeStream + ".dead", epochStream + ".dead");
            List<String> keys = connection.sync().keys(prefix + "*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        }
        producer.shutdown();
    }

    private MandateVerifier replica(TestIssuer issuer, String name) {
        RedisClient client = RedisForTests.client(RedisForTests.sharedUri());
        open.add(client::shutdown);
        RedisRevocationStore store = RedisRevocationStore.builder().client(client).keyPrefix(prefix).build();
        open.add(store);
        RedisForTests.awaitUsable(store);
        ConsumerRunner runner = ConsumerRunner.builder()
                .add(RedisRevocationConsumer.builder().client(client).store(store).consumer(name)
                        .stream(revokeStream).block(Duration.ofMillis(100)).build())
                .add(DelegationInvalidationConsumer.builder().client(client).store(store).consumer(name)
                        .stream(epochStream).block(Duration.ofMillis(100)).build())
                .build();
        open.add(runner);
        runner.start();
        return issuer.verifier().revocations(store).build();
    }

    @Test
    @DisplayName("one revocation event reaches the verifiers of every replica")
    void revocationReachesEveryReplica(TestIssuer issuer) {
        MandateVerifier replicaA = replica(issuer, "replica-a");
        MandateVerifier replicaB = replica(issuer, "replica-b");
        String agent = RedisForTests.unique("agent");
        String token = issuer.mint().agentSession(agent).sign();
        assertThat(replicaA.authenticate(token).ok()).isTrue();
        assertThat(replicaB.authenticate(token).ok()).isTrue();

        try (var connection = producer.connect()) {
            TestProducer.publish(connection.sync(), revokeStream,
                    fields("zone_id", "zone-1", "agent_session_id", agent, "reason", "requested"));
        }

        waitUntil(Duration.ofSeconds(10), "replica A rejects the revoked mandate", () -> revoked(replicaA.authenticate(token)));
        waitUntil(Duration.ofSeconds(10), "replica B rejects the revoked mandate", () -> revoked(replicaB.authenticate(token)));
        String other = issuer.mint().agentSession(RedisForTests.unique("agent")).sign();
        assertThat(replicaA.authenticate(other).ok()).isTrue();
        assertThat(replicaB.authenticate(other).ok()).isTrue();
    }

    @Test
    @DisplayName("one delegation invalidation makes older delegated mandates stale on every replica")
    void epochBumpReachesEveryReplica(TestIssuer issuer) {
        MandateVerifier replicaA = replica(issuer, "replica-a");
        MandateVerifier replicaB = replica(issuer, "replica-b");
        String zone = "zone-1";
        String token = issuer.mint().delegationEdge().graphEpoch(4).sign();
        assertThat(replicaA.authenticate(token).ok()).isTrue();

        try (var connection = producer.connect()) {
            TestProducer.publish(connection.sync(), epochStream,
                    fields("event", "edge_revoke", "zone_id", zone, "epoch", "5"));
        }

        waitUntil(Duration.ofSeconds(10), "replica A sees the new epoch", () -> stale(replicaA.authenticate(token)));
        waitUntil(Duration.ofSeconds(10), "replica B sees the new epoch", () -> stale(replicaB.authenticate(token)));
        assertThat(replicaB.authenticate(issuer.mint().delegationEdge().graphEpoch(5).sign()).ok()).isTrue();
    }

    private static boolean revoked(AuthResult result) {
        return !result.ok() && result.error().code() == ErrorCode.SESSION_REVOKED;
    }

    private static boolean stale(AuthResult result) {
        return !result.ok() && result.error().code() == ErrorCode.DELEGATION_STALE;
    }
}
