package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.revocation.internal.RateLimitedWarning;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Why this file is long: it is one engine. Joining the group with its signature policy, polling,
// replaying its own pending entries, dead-lettering, acking, bounded retries and leaving share one
// dedicated connection, one poll lock and one pending list; the two subclasses add only their entry
// rules. Failure classification and bounded connects already live in ApplyFailure and BoundedConnect.

/**
 * A consumer of one of Caracal's revocation streams, as run by {@link ConsumerRunner}: either a
 * {@link RedisRevocationConsumer} or a {@link DelegationInvalidationConsumer}. Both are this one engine
 * (group creation with its signature policy, §6.2 and S70; the poll, §6.3; signature checks, dead letters
 * and acks, §6.4; bounded retries, S68; leaving the group, S70) with their own step 2–4 of §6.4.
 *
 * <p>Each consumer reads its stream through a consumer group on its own dedicated Redis connection,
 * applies the entries to a {@link RevocationStore}, dead-letters entries it
 * cannot apply to {@code <stream>.dead}, and acknowledges an entry only once it was applied or
 * dead-lettered. Delivery is at least once; applying an entry twice is harmless.
 *
 * <p><b>Entries that fail to apply.</b> A transient failure ({@link ApplyFailure}) aborts the poll and the
 * entry stays pending, as every later entry would fail too. A non-transient one leaves only that entry
 * pending and the poll goes on with the next, so it never holds later entries back. It is re-claimed
 * after {@code pendingIdle} like any pending entry; once it has been delivered {@value #MAX_DELIVERIES}
 * times (the delivery count Redis keeps in {@code XPENDING}, shared by every consumer of the group and
 * kept across restarts, so no bookkeeping of our own can drift from it), the next non-transient failure
 * dead-letters it as {@code apply_failed}.
 *
 * <p>The dedicated connection is opened lazily on first use, so a consumer can be built while Redis is
 * down; a failed connect is retried on the next call, and each connect is waited for at most
 * {@link BoundedConnect#WAIT}. A command that gets no reply within its time-out ({@code block} + 2 s)
 * drops the connection, and the next call opens a new one: one command on a dedicated connection that
 * outlived its whole read is proof enough of a silent peer (state.md S71), which Lettuce's
 * auto-reconnect never notices while the socket stays open.
 *
 * <p><b>Thread safety.</b> {@link #pollOnce()} calls are serialised by a lock, so at most one read is in
 * flight; {@link #close()} may be called from any thread and, not taking that lock, interrupts a blocked
 * read by closing the connection under it.
 */
public abstract sealed class RevocationStreamConsumer implements AutoCloseable
        permits RedisRevocationConsumer, DelegationInvalidationConsumer {

    static final String INVALID_SIGNATURE = "invalid_signature";
    static final String AMBIGUOUS_FIELDS = "ambiguous_fields";
    static final String APPLY_FAILED = "apply_failed";
    /** How many deliveries an entry that keeps failing to apply gets before it is dead-lettered. */
    static final int MAX_DELIVERIES = 5;
    private static final String FIRST_CURSOR = "0-0";
    /** Head room of the dedicated connection's command timeout over the {@code BLOCK} of a read. */
    private static final Duration TIMEOUT_MARGIN = Duration.ofSeconds(2);

    private final RevocationStore store;
    private final String consumer;
    private final String stream;
    private final String deadLetterStream;
    private final String group;
    private final int batchSize;
    private final Duration block;
    private final Duration pendingIdle;
    /** Empty when signatures are not checked. */
    private final List<byte[]> hmacKeys;
    private final String policy;
    private final String policyKey;
    private final long deadLetterMaxLength;
    /** Steps 2–4 of §6.4 for this stream. */
    private final BiFunction<Map<String, String>, RevocationStore, Optional<String>> applier;
    /** {@code null} when none is set: then nothing is reported. */
    private final StreamEventListener listener;
    private final RateLimitedWarning listenerWarning = new RateLimitedWarning(Duration.ofSeconds(10));
    private final Logger log;

    /** Opens the dedicated connection from the standalone or the cluster client, whichever was given. */
    private final BoundedConnect<StatefulConnection<String, String>> connector;
    private final ReentrantLock pollLock = new ReentrantLock();
    /** Set by a failed poll; the next poll first takes up this consumer's own pending entries. Guarded by pollLock. */
    private boolean replayOwnPending;
    private final Object connectionLock = new Object();
    private StatefulConnection<String, String> connection;
    private RedisClusterCommands<String, String> commands;
    private boolean closed;

    /**
     * @param options the builder's options, checked here
     * @param applier steps 2–4 of §6.4 for a verified entry: the dead-letter reason, or empty once it was
     *                applied; whatever the store throws leaves the entry un-acked
     * @throws IllegalStateException when the options do not go together ({@link ConsumerBuilder#check()})
     */
    RevocationStreamConsumer(ConsumerBuilder<?> options,
            BiFunction<Map<String, String>, RevocationStore, Optional<String>> applier) {
        boolean keyed = options.check();
        this.store = options.store;
        this.consumer = options.consumer;
        this.stream = options.stream;
        this.deadLetterStream = options.stream + ".dead";
        this.group = options.group;
        this.batchSize = options.batchSize;
        this.block = options.block;
        this.pendingIdle = options.pendingIdle;
        this.hmacKeys = options.hmacKeys;
        this.policy = GroupPolicy.of(keyed);
        this.policyKey = GroupPolicy.key(options.store, options.stream, options.group);
        this.deadLetterMaxLength = options.deadLetterMaxLength;
        this.applier = applier;
        this.listener = options.listener;
        this.log = LoggerFactory.getLogger(getClass());
        RedisClient standalone = options.client;
        RedisClusterClient cluster = options.clusterClient;
        this.connector = standalone != null
                ? new BoundedConnect<>(standalone::connect, StatefulConnection::closeAsync, "Redis for stream " + stream)
                : new BoundedConnect<>(cluster::connect, StatefulConnection::closeAsync,
                        "Redis Cluster for stream " + stream);
    }

    /** @return the stream this consumer reads; never {@code null} */
    public String stream() {
        return stream;
    }

    /** @return the consumer group it reads through; never {@code null} */
    public String group() {
        return group;
    }

    /** @return this instance's consumer name within the group; never {@code null} */
    public String consumerName() {
        return consumer;
    }

    /**
     * @return the longest time one read waits for new entries (the {@code BLOCK} of
     *         {@code XREADGROUP}), between 1 ms and 60 s
     */
    public Duration block() {
        return block;
    }

    /**
     * Joins the consumer group. First records this consumer's signature policy for the group
     * ({@code SET <keyPrefix>consumer-policy:<stream>:<group> signed|unsigned NX}, state.md S70) or, when
     * one is recorded, compares it with its own. Then creates the group at the start of the stream
     * ({@code XGROUP CREATE <stream> <group> 0 MKSTREAM}), so a new group sees the whole retained history.
     * An existing group ({@code BUSYGROUP}) counts as success. The key prefix is the store's when it is a
     * {@link RedisRevocationStore}, otherwise {@value RedisRevocationStore#DEFAULT_KEY_PREFIX}.
     *
     * @throws ConsumerGroupPolicyException when the group's recorded policy differs from this consumer's;
     *                                      nothing is created
     * @throws RevocationStoreException     when Redis is unreachable or refuses the command (for example
     *                                      {@code NOAUTH})
     * @throws IllegalStateException        when the consumer is closed
     */
    public void ensureGroup() {
        RedisClusterCommands<String, String> redis = commands();
        recordPolicy(redis);
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

    /**
     * Records this consumer's policy for the group unless one is recorded ({@code SET NX}), then compares
     * it with the recorded one.
     *
     * @throws ConsumerGroupPolicyException when the recorded policy differs
     */
    private void recordPolicy(RedisClusterCommands<String, String> redis) {
        // A record deleted between SET NX and GET is simply written again.
        for (int attempt = 0; attempt < 3; attempt++) {
            if ("OK".equals(call("SET " + policyKey, () -> redis.set(policyKey, policy, SetArgs.Builder.nx())))) {
                log.info("Recorded signature policy '{}' for consumer group {} of stream {}", policy, group, stream);
                return;
            }
            String recorded = call("GET " + policyKey, () -> redis.get(policyKey));
            if (recorded != null) {
                if (!recorded.equals(policy)) {
                    throw new ConsumerGroupPolicyException(stream, group, recorded, policy, policyKey);
                }
                return;
            }
        }
        throw new RevocationStoreException("the policy record " + policyKey + " of consumer group " + group
                + " keeps disappearing");
    }

    /**
     * Leaves the consumer group ({@code XGROUP DELCONSUMER}), so that a stopped instance leaves no
     * consumer behind, unless entries are pending for this consumer: deleting it would make them
     * unclaimable, so it then stays and another member re-claims them after {@code pendingIdle}. Waits
     * for a poll in progress. {@link ConsumerRunner} calls this when it stops gracefully; a later
     * {@link #pollOnce()} joins again.
     *
     * @return {@code true} if the consumer left the group
     * @throws RevocationStoreException when Redis is unreachable or the group does not exist
     * @throws IllegalStateException    when the consumer is closed
     */
    public boolean leaveGroup() {
        pollLock.lock();
        try {
            RedisClusterCommands<String, String> redis = commands();
            Consumer<String> me = Consumer.from(group, consumer);
            List<PendingMessage> mine = call("XPENDING", () -> redis.xpending(stream, me, Range.create("-", "+"),
                    Limit.from(1)));
            if (!mine.isEmpty()) {
                log.info("Consumer {} stays in group {} of stream {}: entries are pending for it, and another consumer"
                        + " re-claims them after {} ms", consumer, group, stream, pendingIdle.toMillis());
                return false;
            }
            call("XGROUP DELCONSUMER", () -> redis.xgroupDelconsumer(stream, me));
            log.info("Consumer {} left group {} of stream {}", consumer, group, stream);
            return true;
        } finally {
            pollLock.unlock();
        }
    }

    /**
     * Runs one poll: first re-claims and processes entries that have been pending in the group for at
     * least {@code pendingIdle} ({@code XAUTOCLAIM}, following the cursor), then reads new entries,
     * waiting at most {@link #block()} for them ({@code XREADGROUP ... BLOCK}).
     *
     * <p>A Redis failure, or a store that cannot be reached, aborts the poll and is rethrown; the failed
     * entry and the rest of its batch stay pending, and the next poll takes them up first (state.md §6.3
     * step 0). A store that refuses one entry for another reason (for example {@code WRONGTYPE} on its
     * key) does not abort the poll: that entry stays pending, the poll goes on, and after
     * {@value #MAX_DELIVERIES} deliveries the entry is dead-lettered as {@code apply_failed} (S68).
     *
     * @return the number of entries handled: re-claimed, new and dead-lettered
     * @throws RevocationStoreException when a Redis command fails, or as thrown by the store
     * @throws IllegalStateException    when the consumer is closed
     */
    public int pollOnce() {
        pollLock.lock();
        try {
            return poll();
        } catch (RuntimeException e) {
            // What this consumer was delivered before the failure is taken up again at once by the next poll.
            replayOwnPending = true;
            throw e;
        } finally {
            pollLock.unlock();
        }
    }

    private int poll() {
        RedisClusterCommands<String, String> redis = commands();
        Consumer<String> me = Consumer.from(group, consumer);
        int handled = replayOwnPending ? replayOwn(redis, me) : 0;
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
    }

    /**
     * After a failed poll: the entries pending for this very consumer (delivered, never acked: the failed
     * entry, the rest of its batch, or entries whose delivery was lost with a silent connection), read
     * from its own pending list ({@code XREADGROUP ... STREAMS <stream> <id>}), without waiting for
     * {@code pendingIdle} (state.md §6.3 step 0, S71).
     */
    private int replayOwn(RedisClusterCommands<String, String> redis, Consumer<String> me) {
        int handled = 0;
        String after = FIRST_CURSOR;
        while (true) {
            String from = after;
            List<StreamMessage<String, String>> mine = call("XREADGROUP (pending)",
                    () -> redis.xreadgroup(me, XReadArgs.Builder.count(batchSize), StreamOffset.from(stream, from)));
            if (mine.isEmpty()) {
                break;
            }
            handled += handleAll(redis, mine);
            String last = mine.get(mine.size() - 1).getId();
            if (last == null || last.equals(after)) {
                break;
            }
            after = last;
        }
        replayOwnPending = false;
        return handled;
    }

    /**
     * Closes the dedicated connection this consumer opened. The Redis client and the store it was
     * given stay open. Idempotent; a read in progress fails.
     */
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
        connector.close();
    }

    private int handleAll(RedisClusterCommands<String, String> redis, List<StreamMessage<String, String>> messages) {
        int handled = 0;
        for (StreamMessage<String, String> message : messages) {
            // Entries deleted from the stream while pending come back without a body; there is nothing to apply.
            if (message.getId() != null && message.getBody() != null
                    && handle(redis, message.getId(), message.getBody())) {
                handled++;
            }
        }
        return handled;
    }

    /**
     * @return {@code true} once the entry was applied or dead-lettered and acknowledged; {@code false} when
     *         it stays pending after a non-transient failure
     * @throws RuntimeException after a transient failure, or when a dead letter or an ack fails
     */
    private boolean handle(RedisClusterCommands<String, String> redis, String id, Map<String, String> fields) {
        Optional<String> rejection;
        try {
            rejection = process(hmacKeys, stream, applier, store, fields);
        } catch (RuntimeException e) {
            if (ApplyFailure.isTransient(e)) {
                report(StreamEventListener.Result.RETRY);
                throw e;
            }
            return retryOrGiveUp(redis, id, fields, e);
        }
        settle(redis, id, rejection, fields);
        if (rejection.isEmpty()) {
            log.debug("Applied entry {} from {}", id, stream);
        }
        report(rejection.isPresent() ? StreamEventListener.Result.DEAD_LETTERED : StreamEventListener.Result.APPLIED);
        return true;
    }

    /** Dead-letters the entry when rejected, then acks it; on failure it stays pending and the poll aborts. */
    private void settle(RedisClusterCommands<String, String> redis, String id, Optional<String> rejection,
            Map<String, String> fields) {
        try {
            if (rejection.isPresent()) {
                deadLetter(redis, id, rejection.get(), fields);
            }
            call("XACK", () -> redis.xack(stream, group, id));
        } catch (RuntimeException e) {
            report(StreamEventListener.Result.RETRY);
            throw e;
        }
    }

    /** After a non-transient failure: leave the entry pending for another delivery, or dead-letter it. */
    private boolean retryOrGiveUp(RedisClusterCommands<String, String> redis, String id, Map<String, String> fields,
            RuntimeException failure) {
        List<PendingMessage> pending;
        try {
            pending = call("XPENDING", () -> redis.xpending(stream, group, Range.create(id, id), Limit.from(1)));
        } catch (RuntimeException e) {
            e.addSuppressed(failure);
            report(StreamEventListener.Result.RETRY);
            throw e;
        }
        long deliveries = pending.isEmpty() ? 0 : pending.get(0).getRedeliveryCount();
        if (deliveries < MAX_DELIVERIES) {
            log.warn("Entry {} of stream {} could not be applied (delivery {} of at most {}): {}. It stays pending and"
                    + " is retried after {} ms; later entries go on", id, stream, deliveries, MAX_DELIVERIES,
                    failure.toString(), pendingIdle.toMillis());
            report(StreamEventListener.Result.RETRY);
            return false;
        }
        log.warn("Entry {} of stream {} could not be applied in {} deliveries: {}", id, stream, deliveries,
                failure.toString());
        settle(redis, id, Optional.of(APPLY_FAILED), fields);
        report(StreamEventListener.Result.DEAD_LETTERED);
        return true;
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
                        listenerWarning.interval().toSeconds(), e);
            }
        }
    }

    /**
     * Steps 1 to 4 of §6.4 for one entry, without Redis: when keyed, the ambiguity and signature checks
     * (S67), then the applier. Unkeyed consumers apply entries with ambiguous fields as they are: without
     * a signature there is no signed form that could be re-split, so the fields read are the fields
     * written, and refusing would only drop real revocations whose free text holds a line feed.
     *
     * @param hmacKeys the stream keys, any of which may have signed the entry; empty when signatures are
     *                 not checked
     * @return the dead-letter reason, or empty once the entry was applied
     * @throws RuntimeException whatever the store throws; the entry must then stay un-acked
     */
    static Optional<String> process(List<byte[]> hmacKeys, String stream,
            BiFunction<Map<String, String>, RevocationStore, Optional<String>> applier, RevocationStore store,
            Map<String, String> fields) {
        if (!hmacKeys.isEmpty()) {
            if (StreamSignature.ambiguity(stream, fields) != null) {
                return Optional.of(AMBIGUOUS_FIELDS);
            }
            if (!StreamSignature.verify(hmacKeys, stream, fields)) {
                return Optional.of(INVALID_SIGNATURE);
            }
        }
        return applier.apply(fields, store);
    }

    private void deadLetter(RedisClusterCommands<String, String> redis, String id, String reason,
            Map<String, String> fields) {
        String payload = DeadLetterPayload.json(fields);
        call("XADD " + deadLetterStream, () -> redis.xadd(deadLetterStream,
                XAddArgs.Builder.maxlen(deadLetterMaxLength).approximateTrimming(),
                "source_id", id, "reason", reason, "payload", payload));
        log.warn("Dead-lettered entry {} of stream {} to {}: {}", id, stream, deadLetterStream, reason);
    }

    private RedisClusterCommands<String, String> commands() {
        synchronized (connectionLock) {
            if (closed) {
                throw new IllegalStateException("the consumer of stream " + stream + " is closed");
            }
            if (commands == null) {
                try {
                    StatefulConnection<String, String> opened = connector.open();
                    opened.setTimeout(block.plus(TIMEOUT_MARGIN));
                    connection = opened;
                    commands = opened instanceof StatefulRedisConnection<String, String> standalone ? standalone.sync()
                            : ((StatefulRedisClusterConnection<String, String>) opened).sync();
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
            if (e instanceof RedisCommandTimeoutException) {
                dropConnection();
            }
            throw failure(operation, e);
        }
    }

    /** Closes the connection that let a command time out; the next call opens a new one (S71). */
    private void dropConnection() {
        StatefulConnection<String, String> silent;
        synchronized (connectionLock) {
            silent = connection;
            connection = null;
            commands = null;
        }
        if (silent != null) {
            log.debug("No reply on the connection of stream {} within {} ms; reconnecting", stream,
                    block.plus(TIMEOUT_MARGIN).toMillis());
            silent.closeAsync();
        }
    }

    private RevocationStoreException failure(String operation, RedisException cause) {
        return new RevocationStoreException(operation + " for stream " + stream + " (group " + group
                + ", consumer " + consumer + ") failed: " + cause.getMessage(), cause);
    }
}
