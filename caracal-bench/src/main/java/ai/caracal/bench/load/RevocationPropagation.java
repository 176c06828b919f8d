package ai.caracal.bench.load;

import ai.caracal.revocation.redis.ConsumerRunner;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.revocation.redis.RedisRevocationStore;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.ClaimNames;
import ai.caracal.verify.MandateVerifier;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Measures revocation propagation: from {@code XADD} on the revocation stream to rejection by every one
 * of three running replicas. Each replica has its own Redis client, {@link RedisRevocationStore},
 * consumer (one consumer group, distinct consumer names) and verifier; the producer publishes one
 * revocation at a time and polls all three verifiers until each rejects the revoked mandate.
 *
 * <p>Usage: {@code java -cp ... ai.caracal.bench.load.RevocationPropagation [redis://127.0.0.1:6379] [revocations]}
 */
public final class RevocationPropagation {

    private static final int REPLICAS = 3;

    private RevocationPropagation() {
    }

    /**
     * @param args optional Redis URL and number of revocations
     * @throws Exception when Redis is unreachable
     */
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        int revocations = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        String stream = "caracal.sessions.revoke.bench-" + UUID.randomUUID();
        String prefix = "caracal:bench:" + UUID.randomUUID() + ":";
        List<AutoCloseable> open = new ArrayList<>();
        RedisClient producerClient = RedisClient.create(RedisURI.create(url));
        try (TestIssuer issuer = TestIssuer.start("zone_bench", "resource://documents");
             StatefulRedisConnection<String, String> producer = producerClient.connect()) {
            List<MandateVerifier> replicas = new ArrayList<>();
            for (int r = 0; r < REPLICAS; r++) {
                RedisClient client = RedisClient.create(RedisURI.create(url));
                open.add(client::shutdown);
                RedisRevocationStore store = RedisRevocationStore.builder().client(client).keyPrefix(prefix).build();
                open.add(store);
                ConsumerRunner runner = ConsumerRunner.builder()
                        .add(RedisRevocationConsumer.builder().client(client).store(store)
                                .consumer("replica-" + r).stream(stream).build())
                        .build();
                open.add(runner);
                runner.start();
                replicas.add(issuer.verifier().revocations(store).build());
            }
            awaitHealthy(issuer, replicas);

            Percentiles propagation = new Percentiles(revocations);
            for (int i = 0; i < revocations; i++) {
                String agent = "agent-" + UUID.randomUUID();
                String token = issuer.mint().agentSession(agent).sign();
                for (MandateVerifier replica : replicas) {
                    if (!replica.authenticate(token).ok()) {
                        throw new IllegalStateException("fresh mandate rejected before its revocation");
                    }
                }
                long start = System.nanoTime();
                producer.sync().xadd(stream, XAddArgs.Builder.maxlen(100_000).approximateTrimming(),
                        Map.of(ClaimNames.ZONE_ID, "zone_bench", ClaimNames.AGENT_SESSION_ID, agent, "reason", "requested"));
                boolean[] rejected = new boolean[REPLICAS];
                int remaining = REPLICAS;
                while (remaining > 0) {
                    if (System.nanoTime() - start > 10_000_000_000L) {
                        throw new IllegalStateException("revocation " + i + " did not reach every replica within 10 s");
                    }
                    for (int r = 0; r < REPLICAS; r++) {
                        if (!rejected[r] && !replicas.get(r).authenticate(token).ok()) {
                            rejected[r] = true;
                            remaining--;
                        }
                    }
                }
                propagation.add(System.nanoTime() - start);
            }
            System.out.println("XADD to rejection on all " + REPLICAS + " replicas: " + propagation.summary());
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
            try (StatefulRedisConnection<String, String> cleanup = producerClient.connect()) {
                cleanup.sync().del(stream, stream + ".dead");
            }
            producerClient.shutdown();
        }
    }

    private static void awaitHealthy(TestIssuer issuer, List<MandateVerifier> replicas) throws InterruptedException {
        String token = issuer.mint().sign();
        for (int i = 0; i < 1_000; i++) {
            if (replicas.stream().allMatch(r -> r.authenticate(token).ok())) {
                Thread.sleep(500);
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("replicas did not reach Redis");
    }
}
