package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;
import io.lettuce.core.RedisClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The victim of {@code ConsumerFaultTest}: a separate JVM whose consumer reads an entry and then hangs
 * inside the store, before it could ack, until the test kills the process with SIGKILL.
 *
 * <p>Arguments: Redis URI, stream, group, consumer name. Prints {@value #HOLDING} and the anchor once
 * the entry is read.
 */
public final class StuckConsumerMain {

    static final String HOLDING = "HOLDING ";

    private StuckConsumerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        RevocationStore hangs = new RevocationStore() {
            @Override
            public void revoke(String anchor, Duration ttl) {
                out.println(HOLDING + anchor);
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public boolean isRevoked(String anchor) {
                return false;
            }

            @Override
            public long currentDelegationEpoch(String zoneId) {
                return 0;
            }

            @Override
            public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
                return false;
            }
        };
        RedisClient client = RedisClient.create(args[0]);
        RedisRevocationConsumer consumer = RedisRevocationConsumer.builder().client(client).store(hangs).consumer(args[3])
                .stream(args[1]).group(args[2]).block(Duration.ofSeconds(1)).build();
        while (true) {
            consumer.pollOnce();
        }
    }
}
