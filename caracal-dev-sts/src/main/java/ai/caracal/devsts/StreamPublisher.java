package ai.caracal.devsts;

import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.revocation.redis.StreamSignature;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds events to the Redis streams with the producer encoding of state.md §5:
 * {@code XADD <stream> MAXLEN ~ 100000 * <fields…> [_sig <hex>]}, {@code _sig} computed by
 * {@link StreamSignature} over the final field map and appended last.
 *
 * <p>The only class that touches Lettuce and {@code caracal-revocation-redis}, both optional
 * dependencies, so a dev STS without Redis never loads them. It owns its client and its one connection,
 * which is opened at the first publish (so the dev STS starts while Redis is down) and re-opened after a
 * failure. Thread-safe (publishes are serialised).
 */
final class StreamPublisher implements AutoCloseable {

    static final long MAX_LENGTH = 100_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final RedisClient client;
    private final byte[] hmacKey;
    private StatefulRedisConnection<String, String> connection;

    /**
     * @param url     a Redis URI ({@code redis://}, {@code rediss://}, {@code redis-socket://})
     * @param hmacKey the stream HMAC key, or {@code null} to publish unsigned entries
     * @throws IllegalArgumentException when the URI cannot be parsed
     */
    StreamPublisher(String url, byte[] hmacKey) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(TIMEOUT);
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build()).build());
        this.hmacKey = hmacKey;
    }

    /** @return whether published entries carry {@code _sig} */
    boolean signs() {
        return hmacKey != null;
    }

    /**
     * @return the new entry's ID
     * @throws RevocationStoreException when Redis cannot be reached or refuses the entry
     */
    synchronized String publish(String stream, Map<String, String> fields) {
        Map<String, String> entry = new LinkedHashMap<>(fields);
        if (hmacKey != null) {
            entry.put(StreamSignature.SIGNATURE_FIELD, StreamSignature.sign(hmacKey, stream, fields));
        }
        try {
            if (connection == null || !connection.isOpen()) {
                connection = client.connect();
            }
            return connection.sync().xadd(stream, XAddArgs.Builder.maxlen(MAX_LENGTH).approximateTrimming(), entry);
        } catch (RuntimeException e) {
            throw new RevocationStoreException("cannot publish to " + stream + ": " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
