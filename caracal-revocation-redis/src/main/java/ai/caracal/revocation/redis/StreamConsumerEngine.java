package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine both stream consumers share: group creation (§6.2), the poll (§6.3), signature checks,
 * dead letters and acks (§6.4). The entry-specific part is an {@link EntryApplier}.
 *
 * <p>The dedicated connection is opened lazily on first use, so a consumer can be built while Redis is
 * down; a failed connect is retried on the next call. Polls are serialised by a lock. {@link #close()}
 * does not take that lock, so it interrupts a blocked read by closing the connection under it.
 */
final class StreamConsumerEngine implements AutoCloseable {

    static final String INVALID_SIGNATURE = "invalid_signature";
    private static final String FIRST_CURSOR = "0-0";
    /** Head room of the dedicated connection's command timeout over the {@code BLOCK} of a read. */
    private static final Duration TIMEOUT_MARGIN = Duration.ofSeconds(2);

    private final RedisClient client;
    private final RedisClusterClient clusterClient;
    private final RevocationStore store;
    private final String consumer;
    private final String stream;
    private final String deadLetterStream;
    private final String group;
    private final int batchSize;
    private final Duration block;
    private final Duration pendingIdle;
    private final byte[] hmacKey;
    private final long deadLetterMaxLength;
    private final EntryApplier applier;
    /** {@code null} when none is set: then nothing is reported. */
    private final StreamEventListener listener;
    private final RateLimitedWarning listenerWarning = new RateLimitedWarning();
    private final Logger log;

    private final ReentrantLock pollLock = new ReentrantLock();
    private final Object connectionLock = new Object();
    private StatefulConnection<String, String> connection;
    private RedisStreamCommands<String, String> commands;
    private boolean closed;

    /**
     * @param owner the public consumer class, whose name the engine logs under
     */
    StreamConsumerEngine(ConsumerSettings settings, EntryApplier applier, Class<?> owner) {
        if (settings.client == null && settings.clusterClient == null) {
            throw new IllegalStateException("client is required (a RedisClient or a RedisClusterClient)");
        }
        if (settings.client != null && settings.clusterClient != null) {
            throw new IllegalStateException("set either a RedisClient or a RedisClusterClient as client, not both");
        }
        if (settings.store == null) {
            throw new IllegalStateException("store is required (the RevocationStore the entries are applied to)");
        }
        if (settings.consumer == null) {
            throw new IllegalStateException(
                    "consumer is required (a name unique per instance, for example mcp-server-1)");
        }
        boolean keyed = settings.hmacKey != null;
        if (settings.requireSignature != null && settings.requireSignature && !keyed) {
            throw new IllegalStateException("a stream HMAC key is required when signatures are required"
                    + " (set streamHmacKey or streamHmacKeyHex)");
        }
        if (settings.requireSignature != null && !settings.requireSignature && keyed) {
            throw new IllegalStateException("requireSignature(false) cannot be combined with a stream HMAC key:"
                    + " a configured key is always enforced");
        }
        this.client = settings.client;
        this.clusterClient = settings.clusterClient;
        this.store = settings.store;
        this.consumer = settings.consumer;
        this.stream = settings.stream;
        this.deadLetterStream = settings.stream + ".dead";
        this.group = settings.group;
        this.batchSize = settings.batchSize;
        this.block = settings.block;
        this.pendingIdle = settings.pendingIdle;
        this.hmacKey = keyed ? settings.hmacKey.clone() : null;
        this.deadLetterMaxLength = settings.deadLetterMaxLength;
        this.applier = applier;
        this.listener = settings.listener;
        this.log = LoggerFactory.getLogger(owner);
    }

    String stream() {
        return stream;
    }

    String group() {
        return group;
    }

    String consumerName() {
        return consumer;
    }

    Duration block() {
        return block;
    }

    void ensureGroup() {
        RedisStreamCommands<String, String> redis = commands();
        try {
            redis.xgroupCreate(StreamOffset.from(stream, "0"), group, XGroupCreateArgs.Builder.mkstream());
            log.info("Created consumer group {} on stream {}", group, stream);
        } catch (RedisException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("BUSYGROUP")) {
                log.debug("Consumer group {} on stream {} already exists", group, stream);
                return;
            }
            throw failure("XGROUP CREATE", e);
        }
    }

    int pollOnce() {
        pollLock.lock();
        try {
            RedisStreamCommands<String, String> redis = commands();
            Consumer<String> me = Consumer.from(group, consumer);
            int handled = 0;
            String cursor = FIRST_CURSOR;
            while (true) {
                String from = cursor;
                ClaimedMessages<String, String> page = call("XAUTOCLAIM",
                        () -> redis.xautoclaim(stream,
                                XAutoClaimArgs.Builder.xautoclaim(me, pendingIdle, from).count(batchSize)));
                List<StreamMessage<String, String>> claimed = page.getMessages();
                handled += handleAll(redis, claimed);
                String next = page.getId();
                if (claimed.isEmpty() || next == null || next.isEmpty() || FIRST_CURSOR.equals(next)
                        || next.equals(cursor)) {
                    break;
                }
                cursor = next;
            }
            List<StreamMessage<String, String>> fresh = call("XREADGROUP",
                    () -> redis.xreadgroup(me, XReadArgs.Builder.count(batchSize).block(block),
                            StreamOffset.lastConsumed(stream)));
            return handled + handleAll(redis, fresh);
        } finally {
            pollLock.unlock();
        }
    }

    @Override
    public void close() {
        StatefulConnection<String, String> open;
        synchronized (connectionLock) {
            if (closed) {
                return;
            }
            closed = true;
            open = connection;
            connection = null;
            commands = null;
        }
        if (open != null) {
            open.close();
        }
    }

    private int handleAll(RedisStreamCommands<String, String> redis, List<StreamMessage<String, String>> messages) {
        int handled = 0;
        for (StreamMessage<String, String> message : messages) {
            // Entries deleted from the stream while pending come back without a body; there is nothing to apply.
            if (message.getId() != null && message.getBody() != null) {
                handle(redis, message.getId(), message.getBody());
                handled++;
            }
        }
        return handled;
    }

    private void handle(RedisStreamCommands<String, String> redis, String id, Map<String, String> fields) {
        StreamEventListener.Result result;
        try {
            Optional<String> rejection = process(hmacKey, stream, applier, store, fields);
            if (rejection.isPresent()) {
                deadLetter(redis, id, rejection.get(), fields);
                result = StreamEventListener.Result.DEAD_LETTERED;
            } else {
                log.debug("Applied entry {} from {}", id, stream);
                result = StreamEventListener.Result.APPLIED;
            }
            call("XACK", () -> redis.xack(stream, group, id));
        } catch (RuntimeException e) {
            // Whatever failed, the entry was not acked: it stays pending and a later poll retries it.
            report(StreamEventListener.Result.RETRY);
            throw e;
        }
        report(result);
    }

    private void report(StreamEventListener.Result result) {
        if (listener == null) {
            return;
        }
        try {
            listener.entryHandled(stream, result);
        } catch (RuntimeException e) {
            if (listenerWarning.admit()) {
                log.warn("Stream event listener {} failed on stream {} (ignored; further failures are logged"
                        + " at most every {} s)", listener.getClass().getName(), stream,
                        RateLimitedWarning.INTERVAL.toSeconds(), e);
            }
        }
    }

    /**
     * Steps 1 to 4 of §6.4 for one entry, without Redis: the signature check (when keyed), then the
     * applier.
     *
     * @param hmacKey the stream key, or {@code null} when signatures are not checked
     * @return the dead-letter reason, or empty once the entry was applied
     * @throws RuntimeException whatever the store throws; the entry must then stay un-acked
     */
    static Optional<String> process(byte[] hmacKey, String stream, EntryApplier applier, RevocationStore store,
            Map<String, String> fields) {
        return hmacKey != null && !StreamSignature.verify(hmacKey, stream, fields)
                ? Optional.of(INVALID_SIGNATURE)
                : applier.apply(fields, store);
    }

    private void deadLetter(RedisStreamCommands<String, String> redis, String id, String reason,
            Map<String, String> fields) {
        String payload = DeadLetterPayload.json(fields);
        call("XADD " + deadLetterStream, () -> redis.xadd(deadLetterStream,
                XAddArgs.Builder.maxlen(deadLetterMaxLength).approximateTrimming(),
                "source_id", id, "reason", reason, "payload", payload));
        log.warn("Dead-lettered entry {} of stream {} to {}: {}", id, stream, deadLetterStream, reason);
    }

    private RedisStreamCommands<String, String> commands() {
        synchronized (connectionLock) {
            if (closed) {
                throw new IllegalStateException("the consumer of stream " + stream + " is closed");
            }
            if (commands == null) {
                try {
                    if (client != null) {
                        StatefulRedisConnection<String, String> opened = client.connect();
                        opened.setTimeout(block.plus(TIMEOUT_MARGIN));
                        connection = opened;
                        commands = opened.sync();
                    } else {
                        StatefulRedisClusterConnection<String, String> opened = clusterClient.connect();
                        opened.setTimeout(block.plus(TIMEOUT_MARGIN));
                        connection = opened;
                        commands = opened.sync();
                    }
                } catch (RedisException e) {
                    throw failure("connect", e);
                }
            }
            return commands;
        }
    }

    private <T> T call(String operation, Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            throw failure(operation, e);
        }
    }

    private RevocationStoreException failure(String operation, RedisException cause) {
        return new RevocationStoreException(operation + " for stream " + stream + " (group " + group
                + ", consumer " + consumer + ") failed: " + cause.getMessage(), cause);
    }
}
