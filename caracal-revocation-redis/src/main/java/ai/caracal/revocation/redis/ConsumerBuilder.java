package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.List;

/**
 * The options of §6.1 shared by the builders of both consumers. Each option is checked when it is set;
 * {@code build()} checks the combination. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class ConsumerBuilder<B extends ConsumerBuilder<B>> {

    final ConsumerSettings settings;

    ConsumerBuilder(String defaultStream, String defaultGroup) {
        this.settings = new ConsumerSettings(defaultStream, defaultGroup);
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
        settings.client(client);
        return self();
    }

    /**
     * @param client the cluster client the dedicated connection is opened from; caller-owned,
     *               never closed by the consumer
     * @return this builder
     */
    public B client(RedisClusterClient client) {
        settings.client(client);
        return self();
    }

    /**
     * @param store the store the events are applied to; required, never closed by the consumer
     * @return this builder
     */
    public B store(RevocationStore store) {
        settings.store(store);
        return self();
    }

    /**
     * @param consumer this instance's name in the consumer group, unique per instance (for example
     *                 {@code mcp-server-1}); required, non-blank
     * @return this builder
     */
    public B consumer(String consumer) {
        settings.consumer(consumer);
        return self();
    }

    /**
     * @param stream the stream to read; default: the consumer's {@code DEFAULT_STREAM}; non-blank
     * @return this builder
     */
    public B stream(String stream) {
        settings.stream(stream);
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
        settings.group(group);
        return self();
    }

    /**
     * @param batchSize the {@code COUNT} of each read and re-claim; default 50; zero or negative
     *                  means the default
     * @return this builder
     */
    public B batchSize(int batchSize) {
        settings.batchSize(batchSize);
        return self();
    }

    /**
     * @param block how long one read waits for new entries; default 2 s
     * @return this builder
     * @throws IllegalArgumentException unless between 1 ms and 60 s ({@code BLOCK 0} would wait
     *                                  forever)
     */
    public B block(Duration block) {
        settings.block(block);
        return self();
    }

    /**
     * @param pendingIdle how long an entry must have been pending, with any consumer of the group,
     *                    before a poll re-claims it; default 30 s; zero or negative means the default
     * @return this builder
     */
    public B pendingIdle(Duration pendingIdle) {
        settings.pendingIdle(pendingIdle);
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
        settings.streamHmacKey(key);
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
        settings.streamHmacKeyHex(hex);
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
        settings.streamHmacKeys(keys, "streamHmacKeys");
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
        settings.streamHmacKeysHex(hexKeys, "streamHmacKeysHex");
        return self();
    }

    /**
     * @param requireSignature whether entries must carry a valid {@code _sig}; default {@code true}
     *                         when a key is set, otherwise {@code false}. {@code true} without a
     *                         key, and {@code false} with one, are rejected by {@code build()}.
     * @return this builder
     */
    public B requireSignature(boolean requireSignature) {
        settings.requireSignature(requireSignature);
        return self();
    }

    /**
     * @param deadLetterMaxLength the approximate length {@code <stream>.dead} is trimmed to
     *                            ({@code MAXLEN ~}); default 10 000; zero or negative means the
     *                            default
     * @return this builder
     */
    public B deadLetterMaxLength(long deadLetterMaxLength) {
        settings.deadLetterMaxLength(deadLetterMaxLength);
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
        settings.listener(listener);
        return self();
    }
}
