package ai.caracal.revocation.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole production set-up in one object, for applications that only have a Redis URL: a client,
 * a fail-closed {@link RedisRevocationStore}, and a started {@link ConsumerRunner} applying both
 * revocation streams to it.
 *
 * <pre>{@code
 * try (RedisRevocations redis = RedisRevocations.start(System.getenv("REDIS_URL"), RedisRevocations.defaultConsumerName(), null)) {
 *     MandateVerifier verifier = MandateVerifier.builder()...revocations(redis.store()).build();
 *     ...
 * }
 * }</pre>
 *
 * <p>Use the individual classes when you need other options. {@link #close()} stops the consumers and
 * closes the store and the client it created. Thread-safe.
 */
public final class RedisRevocations implements AutoCloseable {

    private final RedisClient client;
    private final RedisRevocationStore store;
    private final ConsumerRunner consumers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisRevocations(RedisClient client, RedisRevocationStore store, ConsumerRunner consumers) {
        this.client = client;
        this.store = store;
        this.consumers = consumers;
    }

    /**
     * Creates the client, the store (defaults: fail-closed, 250 ms timeout) and the consumers of both
     * streams, and starts the consumers in the background. Needs no Redis yet: everything connects and
     * retries on its own, failing closed meanwhile.
     *
     * @param redisUrl         for example {@code redis://127.0.0.1:6379}
     * @param consumerName     this instance's unique name in the consumer groups
     * @param streamHmacKeyHex the stream HMAC key in hex, or {@code null} to accept unsigned entries
     * @return the running set-up
     * @throws IllegalArgumentException for a malformed URL or key
     */
    public static RedisRevocations start(String redisUrl, String consumerName, String streamHmacKeyHex) {
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(consumerName, "consumerName");
        RedisClient client = RedisClient.create(RedisURI.create(redisUrl));
        try {
            RedisRevocationStore store = RedisRevocationStore.builder().client(client).build();
            RedisRevocationConsumer.Builder revocations = RedisRevocationConsumer.builder()
                    .client(client).store(store).consumer(consumerName);
            DelegationInvalidationConsumer.Builder delegations = DelegationInvalidationConsumer.builder()
                    .client(client).store(store).consumer(consumerName);
            if (streamHmacKeyHex != null) {
                revocations.streamHmacKeyHex(streamHmacKeyHex);
                delegations.streamHmacKeyHex(streamHmacKeyHex);
            }
            ConsumerRunner consumers = ConsumerRunner.builder().add(revocations.build()).add(delegations.build()).build();
            consumers.start();
            return new RedisRevocations(client, store, consumers);
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw e;
        }
    }

    /** @return {@code <hostname>-<pid>}, a consumer name unique per process on a host */
    public static String defaultConsumerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /** @return the shared, fail-closed store to give to verifiers */
    public RedisRevocationStore store() {
        return store;
    }

    /** @return the running consumers (for health checks: {@code consumers().healthy()}) */
    public ConsumerRunner consumers() {
        return consumers;
    }

    /** Stops the consumers, closes the store and shuts the client down. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        consumers.close();
        store.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
