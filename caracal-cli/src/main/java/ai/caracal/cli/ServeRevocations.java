package ai.caracal.cli;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.ConsumerRunner;
import ai.caracal.revocation.redis.DelegationInvalidationConsumer;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.revocation.redis.RedisRevocationStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;

/**
 * The revocation store of a long-running {@code caracal serve}: in memory, or a Redis store kept up to
 * date by a {@link ConsumerRunner} on both streams. {@link #close()} releases what was created here.
 */
final class ServeRevocations implements AutoCloseable {

    private final RevocationStore store;
    private final RedisClient client;
    private final ConsumerRunner runner;
    private boolean closed;

    private ServeRevocations(RevocationStore store, RedisClient client, ConsumerRunner runner) {
        this.store = store;
        this.client = client;
        this.runner = runner;
    }

    static ServeRevocations inMemory() {
        return new ServeRevocations(new InMemoryRevocationStore(), null, null);
    }

    /**
     * Builds the Redis store and both consumers; {@link #start()} starts them.
     *
     * @param uri          the Redis server
     * @param consumerName this replica's consumer name in both groups
     * @param hmacKeyHex   the stream signature key, or {@code null} to accept unsigned entries
     * @throws IllegalArgumentException for a bad key
     */
    static ServeRevocations redis(RedisURI uri, String consumerName, String hmacKeyHex) {
        RedisClient client = RedisClient.create(uri);
        RedisRevocationStore store = null;
        try {
            store = RedisRevocationStore.builder().client(client).build();
            RedisRevocationConsumer.Builder revocations = RedisRevocationConsumer.builder()
                    .client(client).store(store).consumer(consumerName);
            DelegationInvalidationConsumer.Builder invalidations = DelegationInvalidationConsumer.builder()
                    .client(client).store(store).consumer(consumerName);
            if (hmacKeyHex != null) {
                revocations.streamHmacKeyHex(hmacKeyHex);
                invalidations.streamHmacKeyHex(hmacKeyHex);
            }
            ConsumerRunner runner = ConsumerRunner.builder().add(revocations.build()).add(invalidations.build()).build();
            return new ServeRevocations(store, client, runner);
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw e;
        }
    }

    RevocationStore store() {
        return store;
    }

    /** Starts the consumers, if any: returns at once, and they retry in the background while Redis is down. */
    void start() {
        if (runner != null) {
            runner.start();
        }
    }

    /** Stops the consumers, then closes the store's connection and the client. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (runner != null) {
            runner.close();
        }
        if (store instanceof RedisRevocationStore) {
            ((RedisRevocationStore) store).close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
