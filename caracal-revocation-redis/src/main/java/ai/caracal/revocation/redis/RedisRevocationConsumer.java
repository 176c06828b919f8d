package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies revocation events from {@code caracal.sessions.revoke} to a {@link RevocationStore}.
 *
 * <p>Each entry names up to five anchors, read in this order: {@code session_id} (the legacy wire
 * name of the authority record ID), {@code sid}, {@code root_sid}, {@code agent_session_id} and
 * {@code delegation_edge_id}. Empty values are skipped and duplicates dropped; every remaining anchor
 * is revoked with the store's default TTL. Other fields ({@code zone_id}, {@code reason},
 * {@code edge_id}, unknown ones) are ignored. Entries without an anchor are dead-lettered as
 * {@code missing_revocation_anchor}; entries whose signature fails, when a key is configured, as
 * {@code invalid_signature}.
 *
 * <pre>{@code
 * RedisRevocationConsumer consumer = RedisRevocationConsumer.builder()
 *     .client(redis).store(store).consumer("mcp-server-1").streamHmacKeyHex(hmacKeyHex).build();
 * }</pre>
 *
 * <p>Thread safety, ownership and failure behaviour are those of {@link RevocationStreamConsumer}:
 * the consumer opens its own connection from the client on first use (so it can be built while Redis is
 * down) and {@link #close()} closes only that connection.
 */
public final class RedisRevocationConsumer implements RevocationStreamConsumer {

    /** The default stream: {@code caracal.sessions.revoke}. */
    public static final String DEFAULT_STREAM = "caracal.sessions.revoke";

    /** The default consumer group: {@code resource-revocation}. */
    public static final String DEFAULT_GROUP = "resource-revocation";

    static final String MISSING_ANCHOR = "missing_revocation_anchor";
    private static final List<String> ANCHOR_FIELDS =
            List.of("session_id", "sid", "root_sid", "agent_session_id", "delegation_edge_id");

    private final StreamConsumerEngine engine;

    private RedisRevocationConsumer(ConsumerSettings settings) {
        this.engine = new StreamConsumerEngine(settings, RedisRevocationConsumer::revokeAnchors,
                RedisRevocationConsumer.class);
    }

    /**
     * @return a builder; {@code client}, {@code store} and {@code consumer} are required
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String stream() {
        return engine.stream();
    }

    @Override
    public String group() {
        return engine.group();
    }

    @Override
    public String consumerName() {
        return engine.consumerName();
    }

    @Override
    public Duration block() {
        return engine.block();
    }

    @Override
    public void ensureGroup() {
        engine.ensureGroup();
    }

    @Override
    public int pollOnce() {
        return engine.pollOnce();
    }

    @Override
    public void close() {
        engine.close();
    }

    /** The anchors of an entry, in wire order, empty values skipped and duplicates dropped. */
    static List<String> anchors(Map<String, String> fields) {
        List<String> anchors = new ArrayList<>(ANCHOR_FIELDS.size());
        for (String field : ANCHOR_FIELDS) {
            String value = fields.get(field);
            if (value != null && !value.isEmpty() && !anchors.contains(value)) {
                anchors.add(value);
            }
        }
        return anchors;
    }

    private static Optional<String> revokeAnchors(Map<String, String> fields, RevocationStore store) {
        List<String> anchors = anchors(fields);
        if (anchors.isEmpty()) {
            return Optional.of(MISSING_ANCHOR);
        }
        for (String anchor : anchors) {
            store.revoke(anchor);
        }
        return Optional.empty();
    }

    /**
     * Builder for {@link RedisRevocationConsumer}. Each option is checked when it is set; {@link #build()}
     * checks the combination. Not thread-safe.
     */
    public static final class Builder {

        private final ConsumerSettings settings = new ConsumerSettings(DEFAULT_STREAM, DEFAULT_GROUP);

        private Builder() {
        }

        /**
         * @param client the standalone client the dedicated connection is opened from; caller-owned,
         *               never closed by the consumer
         * @return this builder
         */
        public Builder client(RedisClient client) {
            settings.client(client);
            return this;
        }

        /**
         * @param client the cluster client the dedicated connection is opened from; caller-owned,
         *               never closed by the consumer
         * @return this builder
         */
        public Builder client(RedisClusterClient client) {
            settings.client(client);
            return this;
        }

        /**
         * @param store the store the revocations are written to; required, never closed by the consumer
         * @return this builder
         */
        public Builder store(RevocationStore store) {
            settings.store(store);
            return this;
        }

        /**
         * @param consumer this instance's name in the consumer group, unique per instance (for example
         *                 {@code mcp-server-1}); required, non-blank
         * @return this builder
         */
        public Builder consumer(String consumer) {
            settings.consumer(consumer);
            return this;
        }

        /**
         * @param stream the stream to read; default {@code caracal.sessions.revoke}; non-blank
         * @return this builder
         */
        public Builder stream(String stream) {
            settings.stream(stream);
            return this;
        }

        /**
         * @param group the consumer group; default {@code resource-revocation}; non-blank
         * @return this builder
         */
        public Builder group(String group) {
            settings.group(group);
            return this;
        }

        /**
         * @param batchSize the {@code COUNT} of each read and re-claim; default 50; zero or negative
         *                  means the default
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            settings.batchSize(batchSize);
            return this;
        }

        /**
         * @param block how long one read waits for new entries; default 2 s
         * @return this builder
         * @throws IllegalArgumentException unless between 1 ms and 60 s ({@code BLOCK 0} would wait
         *                                  forever)
         */
        public Builder block(Duration block) {
            settings.block(block);
            return this;
        }

        /**
         * @param pendingIdle how long an entry must have been pending, with any consumer of the group,
         *                    before a poll re-claims it; default 30 s; zero or negative means the default
         * @return this builder
         */
        public Builder pendingIdle(Duration pendingIdle) {
            settings.pendingIdle(pendingIdle);
            return this;
        }

        /**
         * Sets the stream HMAC key; entries are then accepted only with a valid {@code _sig}.
         *
         * @param key at least 32 bytes; copied
         * @return this builder
         * @throws IllegalArgumentException if shorter than 32 bytes
         */
        public Builder streamHmacKey(byte[] key) {
            settings.streamHmacKey(key);
            return this;
        }

        /**
         * Sets the stream HMAC key from hex (either case), as the {@code STREAMS_HMAC_KEY} environment
         * variable holds it. The library never reads the environment itself.
         *
         * @param hex an even number of hex digits decoding to at least 32 bytes
         * @return this builder
         * @throws IllegalArgumentException if not hex or shorter than 32 bytes
         */
        public Builder streamHmacKeyHex(String hex) {
            settings.streamHmacKeyHex(hex);
            return this;
        }

        /**
         * @param requireSignature whether entries must carry a valid {@code _sig}; default {@code true}
         *                         when a key is set, otherwise {@code false}. {@code true} without a
         *                         key, and {@code false} with one, are rejected by {@link #build()}.
         * @return this builder
         */
        public Builder requireSignature(boolean requireSignature) {
            settings.requireSignature(requireSignature);
            return this;
        }

        /**
         * @param deadLetterMaxLength the approximate length {@code <stream>.dead} is trimmed to
         *                            ({@code MAXLEN ~}); default 10 000; zero or negative means the
         *                            default
         * @return this builder
         */
        public Builder deadLetterMaxLength(long deadLetterMaxLength) {
            settings.deadLetterMaxLength(deadLetterMaxLength);
            return this;
        }

        /**
         * Builds the consumer without contacting Redis.
         *
         * @return a new consumer
         * @throws IllegalStateException when {@code client}, {@code store} or {@code consumer} is
         *                               missing, both kinds of client are set, or the signature
         *                               options contradict each other
         */
        public RedisRevocationConsumer build() {
            return new RedisRevocationConsumer(settings);
        }
    }
}
