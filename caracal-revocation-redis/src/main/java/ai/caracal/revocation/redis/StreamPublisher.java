package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStoreException;
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
 * Publishes events onto the revocation streams exactly as Caracal's producers do (state.md §5):
 * {@code XADD <stream> MAXLEN ~ 100000 * <fields…> [_sig <hex>]}, every value a string, {@code _sig}
 * computed by {@link StreamSignature} over the final field map and appended last. For development
 * tools (the dev STS, {@code caracal revoke --redis}) and tests; production events come from the
 * control plane's outbox.
 *
 * <pre>{@code
 * try (StreamPublisher publisher = new StreamPublisher("redis://127.0.0.1:6379", hmacKeyOrNull)) {
 *     publisher.publish("caracal.sessions.revoke", Map.of("zone_id", "zone_dev", "agent_session_id", id, "reason", "requested"));
 * }
 * }</pre>
 *
 * <p>It owns its client and its one connection, which is opened at the first publish (so it can be
 * created while Redis is down) and re-opened after a failure. Thread-safe (publishes are serialised).
 */
public final class StreamPublisher implements AutoCloseable {

    /** Producers trim the streams to about this many entries ({@code MAXLEN ~}). */
    public static final long MAX_LENGTH = 100_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final RedisClient client;
    private final byte[] hmacKey;
    private StatefulRedisConnection<String, String> connection;

    /**
     * @param url     a Redis URI ({@code redis://}, {@code rediss://}, {@code redis-socket://})
     * @param hmacKey the stream HMAC key (at least 32 bytes), or {@code null} to publish unsigned entries;
     *                during a key rotation, the first of the keys consumers accept (state.md S69)
     * @throws IllegalArgumentException when the URI cannot be parsed
     */
    public StreamPublisher(String url, byte[] hmacKey) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(TIMEOUT);
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build()).build());
        this.hmacKey = hmacKey;
    }

    /** @return whether published entries carry {@code _sig} */
    public boolean signs() {
        return hmacKey != null;
    }

    /**
     * @param stream the stream, for example {@code caracal.sessions.revoke}
     * @param fields the entry's fields in producer order, without {@code _sig}
     * @return the new entry's ID
     * @throws IllegalArgumentException when signing and a field name holds {@code =} or a line feed, or a
     *                                  value holds a line feed (state.md S67); nothing is added
     * @throws RevocationStoreException when Redis cannot be reached or refuses the entry
     */
    public synchronized String publish(String stream, Map<String, String> fields) {
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
