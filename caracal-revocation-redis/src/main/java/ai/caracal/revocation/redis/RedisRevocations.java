package ai.caracal.revocation.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole production set-up in one object, for applications that only have a Redis URL: a client,
 * a fail-closed {@link RedisRevocationStore}, and a started {@link ConsumerRunner} applying both
 * revocation streams to it.
 *
 * <pre>{@code
 * try (RedisRevocations redis = RedisRevocations.start(System.getenv("REDIS_URL"), RedisRevocations.defaultConsumerName(),
 *         System.getenv("STREAMS_HMAC_KEY"))) {
 *     MandateVerifier verifier = MandateVerifier.builder()...revocations(redis.store()).build();
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #builder(String)} adds the consumer group and the key prefix. Use the individual classes
 * when you need other options. {@link #close()} stops the consumers (which leave their groups) and
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
     * streams in their default groups, and starts the consumers in the background. Needs no Redis yet:
     * everything connects and retries on its own, failing closed meanwhile.
     *
     * @param redisUrl          for example {@code redis://127.0.0.1:6379}
     * @param consumerName      this instance's unique name in the consumer groups
     * @param streamHmacKeysHex the stream HMAC keys in hex, comma-separated as {@code STREAMS_HMAC_KEY}
     *                          holds them (an entry signed with any of them is accepted), or {@code null}
     *                          to accept unsigned entries
     * @return the running set-up
     * @throws IllegalArgumentException for a malformed URL or key
     */
    public static RedisRevocations start(String redisUrl, String consumerName, String streamHmacKeysHex) {
        Builder builder = builder(redisUrl).consumerName(consumerName);
        if (streamHmacKeysHex != null) {
            builder.streamHmacKeysHex(splitKeys(streamHmacKeysHex));
        }
        return builder.start();
    }

    /**
     * The set-up the connector examples and {@code caracal serve}-style programs read from their
     * environment: {@code REDIS_URL} (unset or blank: none), {@code STREAMS_HMAC_KEY} (comma-separated
     * hex keys, optional) and {@code CARACAL_REDIS_NAMESPACE} (optional, see {@link Builder#namespace}), for
     * running beside another deployment, or a test, on one Redis without sharing its groups, keys or
     * streams).
     *
     * @param env where the configuration is read from ({@code System::getenv} in production)
     * @return the running set-up, or empty when {@code REDIS_URL} is not set
     * @throws IllegalArgumentException for a malformed URL, key or namespace
     */
    public static Optional<RedisRevocations> fromEnvironment(Function<String, String> env) {
        String redisUrl = env.apply("REDIS_URL");
        if (redisUrl == null || redisUrl.isBlank()) {
            return Optional.empty();
        }
        Builder builder = builder(redisUrl.strip());
        String keys = env.apply("STREAMS_HMAC_KEY");
        if (keys != null && !keys.isBlank()) {
            builder.streamHmacKeysHex(splitKeys(keys));
        }
        String namespace = env.apply("CARACAL_REDIS_NAMESPACE");
        if (namespace != null && !namespace.isBlank()) {
            builder.namespace(namespace.strip());
        }
        return Optional.of(builder.start());
    }

    /**
     * @param redisUrl for example {@code redis://127.0.0.1:6379}; never {@code null}
     * @return a builder with the defaults of {@link #start(String, String, String)}
     */
    public static Builder builder(String redisUrl) {
        return new Builder(redisUrl);
    }

    /**
     * Splits a comma-separated list of hex keys, as the {@code STREAMS_HMAC_KEY} environment variable
     * holds it: elements are trimmed, and an empty element is an error.
     *
     * @param commaSeparated for example {@code <new key hex>,<old key hex>}; never {@code null}
     * @return the elements in order
     * @throws IllegalArgumentException when an element is empty
     */
    public static List<String> splitKeys(String commaSeparated) {
        Objects.requireNonNull(commaSeparated, "commaSeparated");
        List<String> keys = new ArrayList<>();
        for (String element : commaSeparated.split(",", -1)) {
            String key = element.trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a stream HMAC key list must not have empty elements");
            }
            keys.add(key);
        }
        return List.copyOf(keys);
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

    /**
     * @return the running consumers (for health checks: {@code consumers().healthy()}; to refuse to start
     *         when a group's policy differs: {@code consumers().awaitJoined(...)})
     */
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

    /** Builder for {@link RedisRevocations}. Each option is checked when it is set. Not thread-safe. */
    public static final class Builder {

        private final String redisUrl;
        private String consumerName;
        private List<String> streamHmacKeysHex = List.of();
        private String consumerGroup;
        private String keyPrefix = RedisRevocationStore.DEFAULT_KEY_PREFIX;
        private String revocationStream = RedisRevocationConsumer.DEFAULT_STREAM;
        private String invalidationStream = DelegationInvalidationConsumer.DEFAULT_STREAM;
        private StreamEventListener listener;

        private Builder(String redisUrl) {
            this.redisUrl = Objects.requireNonNull(redisUrl, "redisUrl");
        }

        /**
         * @param consumerName this instance's unique name in the consumer groups; default
         *                     {@link #defaultConsumerName()}
         * @return this builder
         */
        public Builder consumerName(String consumerName) {
            this.consumerName = Objects.requireNonNull(consumerName, "consumerName");
            return this;
        }

        /**
         * @param hexKeys the stream HMAC keys in hex; an entry signed with any of them is accepted;
         *                default none (unsigned entries are accepted)
         * @return this builder
         */
        public Builder streamHmacKeysHex(List<String> hexKeys) {
            this.streamHmacKeysHex = List.copyOf(Objects.requireNonNull(hexKeys, "streamHmacKeysHex"));
            return this;
        }

        /**
         * @param consumerGroup the consumer group of both streams; default
         *                      {@link RedisRevocationConsumer#DEFAULT_GROUP} and
         *                      {@link DelegationInvalidationConsumer#DEFAULT_GROUP}
         * @return this builder
         */
        public Builder consumerGroup(String consumerGroup) {
            Objects.requireNonNull(consumerGroup, "consumerGroup");
            if (consumerGroup.isBlank()) {
                throw new IllegalArgumentException("consumerGroup must not be blank");
            }
            this.consumerGroup = consumerGroup;
            return this;
        }

        /**
         * @param keyPrefix the store's key prefix; default {@value RedisRevocationStore#DEFAULT_KEY_PREFIX}
         * @return this builder
         */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /**
         * Keeps this set-up apart from every other user of the same Redis: the consumer group is
         * {@code namespace}, the store's keys start with {@code <namespace>:revoked:} and the streams are
         * {@code <namespace>:caracal.sessions.revoke} and {@code <namespace>:caracal.delegations.invalidate}
         * (publish there). For tests, soaks and side-by-side deployments; production fleets keep the
         * defaults so that the STS's events reach them.
         *
         * @param namespace letters, digits, {@code .}, {@code _} and {@code -} only
         * @return this builder
         */
        public Builder namespace(String namespace) {
            Objects.requireNonNull(namespace, "namespace");
            if (!namespace.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("namespace must be letters, digits, '.', '_' or '-', got \"" + namespace + "\"");
            }
            this.consumerGroup = namespace;
            this.keyPrefix = namespace + ":revoked:";
            this.revocationStream = namespace + ":" + RedisRevocationConsumer.DEFAULT_STREAM;
            this.invalidationStream = namespace + ":" + DelegationInvalidationConsumer.DEFAULT_STREAM;
            return this;
        }

        /**
         * @param listener told of every entry both consumers handle (on their polling threads), for
         *                 example to count outcomes, or to re-check open connections at once when this
         *                 instance applies a revocation
         *                 ({@code (stream, result) -> { if (result == APPLIED) live.recheckNow(); }});
         *                 default none
         * @return this builder
         */
        public Builder listener(StreamEventListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Creates the client, the store and the consumers, and starts the consumers in the background.
         * Needs no Redis yet.
         *
         * @return the running set-up; close it when done
         * @throws IllegalArgumentException for a malformed URL or key
         */
        public RedisRevocations start() {
            RedisClient client = RedisClient.create(RedisURI.create(redisUrl));
            try {
                RedisRevocationStore store = RedisRevocationStore.builder().client(client).keyPrefix(keyPrefix).build();
                String name = consumerName != null ? consumerName : defaultConsumerName();
                RedisRevocationConsumer.Builder revocations = RedisRevocationConsumer.builder()
                        .client(client).store(store).consumer(name).stream(revocationStream);
                DelegationInvalidationConsumer.Builder delegations = DelegationInvalidationConsumer.builder()
                        .client(client).store(store).consumer(name).stream(invalidationStream);
                if (!streamHmacKeysHex.isEmpty()) {
                    revocations.streamHmacKeysHex(streamHmacKeysHex);
                    delegations.streamHmacKeysHex(streamHmacKeysHex);
                }
                if (consumerGroup != null) {
                    revocations.group(consumerGroup);
                    delegations.group(consumerGroup);
                }
                if (listener != null) {
                    revocations.listener(listener);
                    delegations.listener(listener);
                }
                ConsumerRunner consumers = ConsumerRunner.builder().add(revocations.build()).add(delegations.build())
                        .build();
                consumers.start();
                return new RedisRevocations(client, store, consumers);
            } catch (RuntimeException e) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                throw e;
            }
        }
    }
}
