package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Applies delegation-graph epoch bumps from {@code caracal.delegations.invalidate} to a
 * {@link RevocationStore}.
 *
 * <p>Each entry carries {@code zone_id} (non-blank) and {@code epoch} (1 to 19 ASCII digits that fit a
 * signed 64-bit long; signs, spaces, exponents and empty values are invalid). A valid entry becomes
 * {@code store.advanceDelegationEpoch(zone_id, epoch)} with the store's default TTL; a lower or equal
 * epoch changes nothing, because epochs only rise, and out-of-order delivery is therefore safe. Other
 * fields ({@code event}, {@code edge_id}, unknown ones) are ignored. Invalid entries are dead-lettered
 * as {@code invalid_delegation_epoch}; entries whose signature fails, when a key is configured, as
 * {@code invalid_signature}.
 *
 * <pre>{@code
 * DelegationInvalidationConsumer consumer = DelegationInvalidationConsumer.builder()
 *     .client(redis).store(store).consumer("mcp-server-1").streamHmacKeyHex(hmacKeyHex).build();
 * }</pre>
 *
 * <p>Thread safety, ownership and failure behaviour are those of {@link RevocationStreamConsumer}:
 * the consumer opens its own connection from the client on first use (so it can be built while Redis is
 * down) and {@link #close()} closes only that connection.
 */
public final class DelegationInvalidationConsumer implements RevocationStreamConsumer {

    /** The default stream: {@code caracal.delegations.invalidate}. */
    public static final String DEFAULT_STREAM = "caracal.delegations.invalidate";

    /** The default consumer group: {@code resource-delegation-invalidation}. */
    public static final String DEFAULT_GROUP = "resource-delegation-invalidation";

    static final String INVALID_EPOCH = "invalid_delegation_epoch";
    private static final int MAX_EPOCH_DIGITS = 19;

    private final StreamConsumerEngine engine;

    private DelegationInvalidationConsumer(ConsumerSettings settings) {
        this.engine = new StreamConsumerEngine(settings, DelegationInvalidationConsumer::advanceEpoch,
                DelegationInvalidationConsumer.class);
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

    /**
     * Parses an {@code epoch} field: 1 to 19 ASCII digits that fit a signed 64-bit long.
     *
     * @return the epoch, or empty when the value is absent or invalid
     */
    static OptionalLong parseEpoch(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_EPOCH_DIGITS) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException overflow) {
            return OptionalLong.empty();
        }
    }

    private static Optional<String> advanceEpoch(Map<String, String> fields, RevocationStore store) {
        String zoneId = fields.get("zone_id");
        OptionalLong epoch = parseEpoch(fields.get("epoch"));
        // A blank zone is rejected too: the store would silently ignore it, so it could never be applied.
        if (zoneId == null || zoneId.isBlank() || epoch.isEmpty()) {
            return Optional.of(INVALID_EPOCH);
        }
        store.advanceDelegationEpoch(zoneId, epoch.getAsLong());
        return Optional.empty();
    }

    /**
     * Builder for {@link DelegationInvalidationConsumer}. Each option is checked when it is set; {@link #build()}
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
         * @param store the store the epochs are written to; required, never closed by the consumer
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
         * @param stream the stream to read; default {@code caracal.delegations.invalidate}; non-blank
         * @return this builder
         */
        public Builder stream(String stream) {
            settings.stream(stream);
            return this;
        }

        /**
         * @param group the consumer group; default {@code resource-delegation-invalidation}; non-blank
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
        public DelegationInvalidationConsumer build() {
            return new DelegationInvalidationConsumer(settings);
        }
    }
}
