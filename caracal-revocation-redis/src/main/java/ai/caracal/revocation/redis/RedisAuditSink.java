package ai.caracal.revocation.redis;

import ai.caracal.verify.audit.AuditEvent;
import ai.caracal.verify.audit.AuditSink;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Appends audit events to a Redis stream (connectors.md §11):
 * {@code XADD <stream> MAXLEN ~ <maxLength> * time … result … cause … action …}, with the members of
 * {@link ai.caracal.verify.audit.Slf4jAuditSink} as fields (a {@code null} member is left out). The stream
 * is its own ({@value #DEFAULT_STREAM} by default), never a revocation stream, and trimmed to about
 * {@code maxLength} entries.
 *
 * <pre>{@code
 * try (RedisAuditSink redisSink = RedisAuditSink.builder().client(redis).build();
 *      AsyncAuditSink audit = AsyncAuditSink.builder(redisSink).build()) {
 *     CaracalFilter.builder().verifier(verifier).audit(audit).build();
 * }
 * }</pre>
 *
 * <p>Blocking: each event is one round trip of at most the timeout. Use it behind an
 * {@link ai.caracal.verify.audit.AsyncAuditSink}, which keeps it off the request's path and counts the
 * events lost while Redis is down ({@link #record} throws then). Opens its own connection on first use
 * (so it can be built while Redis is down) and again after a failure; closes it on {@link #close()}, never
 * the client it was given. Thread-safe (writes are serialised). Needs {@code caracal-verify} on the class
 * path (an optional dependency of this module).
 */
public final class RedisAuditSink implements AuditSink, AutoCloseable {

    /** The default stream. */
    public static final String DEFAULT_STREAM = "caracal.audit.events";
    /** The default approximate bound of the stream. */
    public static final long DEFAULT_MAX_LENGTH = 100_000;

    private final RedisClient client;
    private final String stream;
    private final long maxLength;
    private final Duration timeout;
    private StatefulRedisConnection<String, String> connection;
    private boolean closed;

    private RedisAuditSink(Builder builder) {
        this.client = builder.client;
        this.stream = builder.stream;
        this.maxLength = builder.maxLength;
        this.timeout = builder.timeout;
    }

    /** @return a builder; the client is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the stream events are appended to */
    public String stream() {
        return stream;
    }

    /**
     * @throws io.lettuce.core.RedisException when Redis cannot be reached, answers late, or refuses the
     *                                        entry (the event is lost; the connection is opened anew next time)
     * @throws IllegalStateException          after {@link #close()}
     */
    @Override
    public synchronized void record(AuditEvent event) {
        if (closed) {
            throw new IllegalStateException("RedisAuditSink is closed");
        }
        try {
            if (connection == null || !connection.isOpen()) {
                connection = client.connect();
                connection.setTimeout(timeout);
            }
            connection.async().xadd(stream, XAddArgs.Builder.maxlen(maxLength).approximateTrimming(), fields(event))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("interrupted while writing to " + stream);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            dropConnection();
            throw e instanceof RedisException redis ? redis
                    : new RedisException("cannot write to " + stream + ": " + e.getClass().getSimpleName());
        }
    }

    /** The stream entry of an event, in the documented order. */
    static Map<String, String> fields(AuditEvent event) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("time", event.time().toString());
        fields.put("result", event.result());
        put(fields, "code", event.code());
        fields.put("cause", event.cause().wire());
        put(fields, "zone", event.zone());
        put(fields, "sub", event.subject());
        put(fields, "client_id", event.clientId());
        put(fields, "agent_session", event.agentSession());
        fields.put("action", event.action());
        put(fields, "trace_id", event.traceId());
        return fields;
    }

    private static void put(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    private void dropConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException ignored) {
                // already broken: nothing more to release
            }
            connection = null;
        }
    }

    /** Closes the connection this sink opened (never the client). Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        dropConnection();
    }

    /** Builder for {@link RedisAuditSink}. Not thread-safe. */
    public static final class Builder {

        private RedisClient client;
        private String stream = DEFAULT_STREAM;
        private long maxLength = DEFAULT_MAX_LENGTH;
        private Duration timeout = Duration.ofSeconds(1);

        private Builder() {
        }

        /**
         * @param client the Redis client (owned by the caller; the sink opens one connection of its own)
         * @return this builder
         */
        public Builder client(RedisClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * @param stream the stream name; default {@value RedisAuditSink#DEFAULT_STREAM}
         * @return this builder
         * @throws IllegalArgumentException for a blank name or one of the revocation streams
         */
        public Builder stream(String stream) {
            Objects.requireNonNull(stream, "stream");
            if (stream.isBlank()) {
                throw new IllegalArgumentException("audit stream must not be blank");
            }
            if (stream.equals(RedisRevocationConsumer.DEFAULT_STREAM) || stream.equals(DelegationInvalidationConsumer.DEFAULT_STREAM)) {
                throw new IllegalArgumentException("audit stream must not be a revocation stream: " + stream);
            }
            this.stream = stream;
            return this;
        }

        /**
         * @param maxLength the approximate bound ({@code MAXLEN ~}); at least 1; default
         *                  {@value RedisAuditSink#DEFAULT_MAX_LENGTH}
         * @return this builder
         */
        public Builder maxLength(long maxLength) {
            if (maxLength < 1) {
                throw new IllegalArgumentException("audit stream maxLength must be at least 1");
            }
            this.maxLength = maxLength;
            return this;
        }

        /**
         * @param timeout the longest wait for one write; positive; default 1 s
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("audit timeout must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * @return the sink; it connects on its first event
         * @throws NullPointerException when no client is set
         */
        public RedisAuditSink build() {
            Objects.requireNonNull(client, "Redis client missing: set client(...)");
            return new RedisAuditSink(this);
        }
    }
}
