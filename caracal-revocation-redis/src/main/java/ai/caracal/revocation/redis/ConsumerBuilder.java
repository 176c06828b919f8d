package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The options of §6.1 shared by the builders of both consumers. Each option is checked when it is set;
 * {@link #check()}, called by the consumer being built, checks the combination. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class ConsumerBuilder<B extends ConsumerBuilder<B>> {

    static final int DEFAULT_BATCH_SIZE = 50;
    static final Duration DEFAULT_BLOCK = Duration.ofSeconds(2);
    static final Duration MAX_BLOCK = Duration.ofSeconds(60);
    static final Duration DEFAULT_PENDING_IDLE = Duration.ofSeconds(30);
    static final long DEFAULT_DEAD_LETTER_MAX_LENGTH = 10_000;

    RedisClient client;
    RedisClusterClient clusterClient;
    RevocationStore store;
    String consumer;
    String stream;
    String group;
    int batchSize = DEFAULT_BATCH_SIZE;
    Duration block = DEFAULT_BLOCK;
    Duration pendingIdle = DEFAULT_PENDING_IDLE;
    /** The stream HMAC keys in order; empty when signatures are not checked. Each is a private copy. */
    List<byte[]> hmacKeys = List.of();
    Boolean requireSignature;
    long deadLetterMaxLength = DEFAULT_DEAD_LETTER_MAX_LENGTH;
    /** {@code null} when none is set: then nothing is reported. */
    StreamEventListener listener;

    ConsumerBuilder(String defaultStream, String defaultGroup) {
        this.stream = defaultStream;
        this.group = defaultGroup;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * @param client the standalone client the dedicated connection is opened from; caller-owned,
     *               never closed by the consumer
     * @return this builder
     */
    public B client(RedisClient client) {
        this.client = Objects.requireNonNull(client, "client");
        return self();
    }

    /**
     * @param client the cluster client the dedicated connection is opened from; caller-owned,
     *               never closed by the consumer
     * @return this builder
     */
    public B client(RedisClusterClient client) {
        this.clusterClient = Objects.requireNonNull(client, "client");
        return self();
    }

    /**
     * @param store the store the events are applied to; required, never closed by the consumer
     * @return this builder
     */
    public B store(RevocationStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return self();
    }

    /**
     * @param consumer this instance's name in the consumer group, unique per instance (for example
     *                 {@code mcp-server-1}); required, non-blank
     * @return this builder
     */
    public B consumer(String consumer) {
        this.consumer = requireNonBlank(consumer, "consumer");
        return self();
    }

    /**
     * @param stream the stream to read; default: the consumer's {@code DEFAULT_STREAM}; non-blank
     * @return this builder
     */
    public B stream(String stream) {
        this.stream = requireNonBlank(stream, "stream");
        return self();
    }

    /**
     * Sets the consumer group. The consumers of one group share its entries: each entry is applied by
     * one of them. All of them must have the same signature policy (all with keys, or all without);
     * {@link RevocationStreamConsumer#ensureGroup()} refuses a consumer whose policy differs from the one
     * recorded for the group (state.md S70). Give a consumer that must see every entry itself (a demo, a
     * tool) a group of its own.
     *
     * @param group the consumer group; default: the consumer's {@code DEFAULT_GROUP}; non-blank
     * @return this builder
     */
    public B group(String group) {
        this.group = requireNonBlank(group, "group");
        return self();
    }

    /**
     * @param batchSize the {@code COUNT} of each read and re-claim; default 50; zero or negative
     *                  means the default
     * @return this builder
     */
    public B batchSize(int batchSize) {
        this.batchSize = batchSize <= 0 ? DEFAULT_BATCH_SIZE : batchSize;
        return self();
    }

    /**
     * @param block how long one read waits for new entries; default 2 s
     * @return this builder
     * @throws IllegalArgumentException unless between 1 ms and 60 s ({@code BLOCK 0} would wait
     *                                  forever)
     */
    public B block(Duration block) {
        Objects.requireNonNull(block, "block");
        if (block.compareTo(Duration.ofMillis(1)) < 0 || block.compareTo(MAX_BLOCK) > 0) {
            throw new IllegalArgumentException("block must be between 1 ms and 60 s (BLOCK 0 would wait forever), got "
                    + block.toMillis() + " ms");
        }
        this.block = block;
        return self();
    }

    /**
     * @param pendingIdle how long an entry must have been pending, with any consumer of the group,
     *                    before a poll re-claims it; default 30 s; zero or negative means the default
     * @return this builder
     */
    public B pendingIdle(Duration pendingIdle) {
        Objects.requireNonNull(pendingIdle, "pendingIdle");
        this.pendingIdle = pendingIdle.isZero() || pendingIdle.isNegative() ? DEFAULT_PENDING_IDLE : pendingIdle;
        return self();
    }

    /**
     * Sets the stream HMAC key; entries are then accepted only with a valid {@code _sig}. Replaces keys
     * set before.
     *
     * @param key at least 32 bytes; copied
     * @return this builder
     * @throws IllegalArgumentException if shorter than 32 bytes
     */
    public B streamHmacKey(byte[] key) {
        this.hmacKeys = keys(List.of(Objects.requireNonNull(key, "streamHmacKey")), "streamHmacKey");
        return self();
    }

    /**
     * Sets the stream HMAC key from hex (either case), as the {@code STREAMS_HMAC_KEY} environment
     * variable holds it. The library never reads the environment itself.
     *
     * @param hex an even number of hex digits decoding to at least 32 bytes
     * @return this builder
     * @throws IllegalArgumentException if not hex or shorter than 32 bytes
     */
    public B streamHmacKeyHex(String hex) {
        this.hmacKeys = keys(decodeHex(List.of(Objects.requireNonNull(hex, "streamHmacKeyHex")), "streamHmacKeyHex"),
                "streamHmacKeyHex");
        return self();
    }

    /**
     * Sets several stream HMAC keys, for key rotation (state.md S69): an entry is accepted when its
     * {@code _sig} was made with any of them. Publishers sign with the first. Replaces keys set before.
     *
     * @param keys at least one key, each at least 32 bytes; copied
     * @return this builder
     * @throws IllegalArgumentException if the list is empty or a key is shorter than 32 bytes
     */
    public B streamHmacKeys(List<byte[]> keys) {
        this.hmacKeys = keys(keys, "streamHmacKeys");
        return self();
    }

    /**
     * {@link #streamHmacKeys(List)} from hex (either case), for example the comma-separated elements of
     * {@code STREAMS_HMAC_KEY}. The library never reads the environment itself.
     *
     * @param hexKeys at least one key, each an even number of hex digits decoding to at least 32 bytes
     * @return this builder
     * @throws IllegalArgumentException if the list is empty, or a key is not hex or shorter than 32 bytes
     */
    public B streamHmacKeysHex(List<String> hexKeys) {
        this.hmacKeys = keys(decodeHex(hexKeys, "streamHmacKeysHex"), "streamHmacKeysHex");
        return self();
    }

    /**
     * @param requireSignature whether entries must carry a valid {@code _sig}; default {@code true}
     *                         when a key is set, otherwise {@code false}. {@code true} without a
     *                         key, and {@code false} with one, are rejected by {@code build()}.
     * @return this builder
     */
    public B requireSignature(boolean requireSignature) {
        this.requireSignature = requireSignature;
        return self();
    }

    /**
     * @param deadLetterMaxLength the approximate length {@code <stream>.dead} is trimmed to
     *                            ({@code MAXLEN ~}); default 10 000; zero or negative means the
     *                            default
     * @return this builder
     */
    public B deadLetterMaxLength(long deadLetterMaxLength) {
        this.deadLetterMaxLength = deadLetterMaxLength <= 0 ? DEFAULT_DEAD_LETTER_MAX_LENGTH : deadLetterMaxLength;
        return self();
    }

    /**
     * Sets the listener told of every entry's outcome (applied, dead-lettered, or left pending for a
     * retry); by default there is none and nothing is called. A listener that throws is logged at WARN
     * and ignored.
     *
     * @param listener the listener; never {@code null}; called on the polling thread
     * @return this builder
     */
    public B listener(StreamEventListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /**
     * Checks the combination of the options, for the consumer being built.
     *
     * @return {@code true} when stream keys are set, so entries must be signed
     * @throws IllegalStateException when {@code client}, {@code store} or {@code consumer} is missing, both
     *                               kinds of client are set, or the signature options contradict each other
     */
    boolean check() {
        if (client == null && clusterClient == null) {
            throw new IllegalStateException("client is required (a RedisClient or a RedisClusterClient)");
        }
        if (client != null && clusterClient != null) {
            throw new IllegalStateException("set either a RedisClient or a RedisClusterClient as client, not both");
        }
        if (store == null) {
            throw new IllegalStateException("store is required (the RevocationStore the entries are applied to)");
        }
        if (consumer == null) {
            throw new IllegalStateException(
                    "consumer is required (a name unique per instance, for example mcp-server-1)");
        }
        boolean keyed = !hmacKeys.isEmpty();
        if (requireSignature != null && requireSignature && !keyed) {
            throw new IllegalStateException("a stream HMAC key is required when signatures are required"
                    + " (set streamHmacKey or streamHmacKeyHex)");
        }
        if (requireSignature != null && !requireSignature && keyed) {
            throw new IllegalStateException("requireSignature(false) cannot be combined with a stream HMAC key:"
                    + " a configured key is always enforced");
        }
        return keyed;
    }

    /** @return private copies of the keys, each checked */
    private static List<byte[]> keys(List<byte[]> keys, String option) {
        Objects.requireNonNull(keys, option);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(option + " needs at least one key");
        }
        List<byte[]> copies = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            StreamSignature.checkKeyLength(key, option);
            copies.add(key.clone());
        }
        return List.copyOf(copies);
    }

    private static List<byte[]> decodeHex(List<String> hexKeys, String option) {
        Objects.requireNonNull(hexKeys, option);
        List<byte[]> keys = new ArrayList<>(hexKeys.size());
        for (String hex : hexKeys) {
            Objects.requireNonNull(hex, option);
            byte[] key = StreamSignature.decodeHex(hex);
            if (key == null) {
                throw new IllegalArgumentException(option + " must be hex: an even number of digits 0-9, a-f, A-F");
            }
            keys.add(key);
        }
        return keys;
    }

    private static String requireNonBlank(String value, String option) {
        Objects.requireNonNull(value, option);
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " must not be blank");
        }
        return value;
    }
}
