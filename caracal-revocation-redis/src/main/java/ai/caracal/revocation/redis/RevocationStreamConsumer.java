package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStoreException;
import java.time.Duration;

/**
 * A consumer of one of Caracal's revocation streams, as run by {@link ConsumerRunner}: either a
 * {@link RedisRevocationConsumer} or a {@link DelegationInvalidationConsumer}.
 *
 * <p>Each consumer reads its stream through a consumer group on its own dedicated Redis connection,
 * applies the entries to a {@link ai.caracal.revocation.RevocationStore}, dead-letters entries it
 * cannot apply to {@code <stream>.dead}, and acknowledges an entry only once it was applied or
 * dead-lettered. Delivery is at least once; applying an entry twice is harmless.
 *
 * <p><b>Thread safety.</b> {@link #pollOnce()} calls are serialised, so at most one read is in
 * flight; {@link #close()} may be called from any thread and interrupts a blocked read.
 */
public sealed interface RevocationStreamConsumer extends AutoCloseable permits EngineBackedConsumer {

    /**
     * @return the stream this consumer reads; never {@code null}
     */
    String stream();

    /**
     * @return the consumer group it reads through; never {@code null}
     */
    String group();

    /**
     * @return this instance's consumer name within the group; never {@code null}
     */
    String consumerName();

    /**
     * @return the longest time one read waits for new entries (the {@code BLOCK} of
     *         {@code XREADGROUP}), between 1 ms and 60 s
     */
    Duration block();

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
    void ensureGroup();

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
    boolean leaveGroup();

    /**
     * Runs one poll: first re-claims and processes entries that have been pending in the group for at
     * least {@code pendingIdle} ({@code XAUTOCLAIM}, following the cursor), then reads new entries,
     * waiting at most {@link #block()} for them ({@code XREADGROUP ... BLOCK}).
     *
     * <p>A Redis failure, or a store that cannot be reached, aborts the poll and is rethrown; the failed
     * entry and the rest of its batch stay pending and are retried by a later poll after
     * {@code pendingIdle}. A store that refuses one entry for another reason (for example
     * {@code WRONGTYPE} on its key) does not abort the poll: that entry stays pending, the poll goes on,
     * and after 5 deliveries the entry is dead-lettered as {@code apply_failed} (state.md S68).
     *
     * @return the number of entries handled: re-claimed, new and dead-lettered
     * @throws RevocationStoreException when a Redis command fails, or as thrown by the store
     * @throws IllegalStateException    when the consumer is closed
     */
    int pollOnce();

    /**
     * Closes the dedicated connection this consumer opened. The Redis client and the store it was
     * given stay open. Idempotent; a read in progress fails.
     */
    @Override
    void close();
}
