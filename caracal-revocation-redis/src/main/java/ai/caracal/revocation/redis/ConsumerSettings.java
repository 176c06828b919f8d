package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The options of §6.1, collected by the public builders of both consumers. Each setter checks its own
 * argument; {@link StreamConsumerEngine} checks the combination when it copies them. Not thread-safe.
 */
final class ConsumerSettings {

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
    StreamEventListener listener;

    ConsumerSettings(String defaultStream, String defaultGroup) {
        this.stream = defaultStream;
        this.group = defaultGroup;
    }

    void client(RedisClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    void client(RedisClusterClient client) {
        this.clusterClient = Objects.requireNonNull(client, "client");
    }

    void store(RevocationStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    void consumer(String consumer) {
        this.consumer = requireNonBlank(consumer, "consumer");
    }

    void stream(String stream) {
        this.stream = requireNonBlank(stream, "stream");
    }

    void group(String group) {
        this.group = requireNonBlank(group, "group");
    }

    void batchSize(int batchSize) {
        this.batchSize = batchSize <= 0 ? DEFAULT_BATCH_SIZE : batchSize;
    }

    void block(Duration block) {
        Objects.requireNonNull(block, "block");
        if (block.compareTo(Duration.ofMillis(1)) < 0 || block.compareTo(MAX_BLOCK) > 0) {
            throw new IllegalArgumentException("block must be between 1 ms and 60 s (BLOCK 0 would wait forever), got "
                    + block.toMillis() + " ms");
        }
        this.block = block;
    }

    void pendingIdle(Duration pendingIdle) {
        Objects.requireNonNull(pendingIdle, "pendingIdle");
        this.pendingIdle = pendingIdle.isZero() || pendingIdle.isNegative() ? DEFAULT_PENDING_IDLE : pendingIdle;
    }

    void streamHmacKey(byte[] key) {
        streamHmacKeys(List.of(Objects.requireNonNull(key, "streamHmacKey")), "streamHmacKey");
    }

    void streamHmacKeyHex(String hex) {
        streamHmacKeysHex(List.of(Objects.requireNonNull(hex, "streamHmacKeyHex")), "streamHmacKeyHex");
    }

    void streamHmacKeys(List<byte[]> keys, String option) {
        Objects.requireNonNull(keys, option);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(option + " needs at least one key");
        }
        List<byte[]> copies = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            StreamSignature.checkKeyLength(key, option);
            copies.add(key.clone());
        }
        this.hmacKeys = List.copyOf(copies);
    }

    void streamHmacKeysHex(List<String> hexKeys, String option) {
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
        streamHmacKeys(keys, option);
    }

    void requireSignature(boolean requireSignature) {
        this.requireSignature = requireSignature;
    }

    void deadLetterMaxLength(long deadLetterMaxLength) {
        this.deadLetterMaxLength = deadLetterMaxLength <= 0 ? DEFAULT_DEAD_LETTER_MAX_LENGTH : deadLetterMaxLength;
    }

    void listener(StreamEventListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    private static String requireNonBlank(String value, String option) {
        Objects.requireNonNull(value, option);
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " must not be blank");
        }
        return value;
    }
}
