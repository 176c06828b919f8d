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
     * Creates the consumer group at the start of the stream ({@code XGROUP CREATE <stream> <group> 0
     * MKSTREAM}), so a new group sees the whole retained history. An existing group
     * ({@code BUSYGROUP}) counts as success.
     *
     * @throws RevocationStoreException when Redis is unreachable or refuses the command (for example
     *                                  {@code NOAUTH})
     * @throws IllegalStateException    when the consumer is closed
     */
    void ensureGroup();

    /**
     * Runs one poll: first re-claims and processes entries that have been pending in the group for at
     * least {@code pendingIdle} ({@code XAUTOCLAIM}, following the cursor), then reads new entries,
     * waiting at most {@link #block()} for them ({@code XREADGROUP ... BLOCK}).
     *
     * <p>Any failure aborts the poll and is rethrown; the failed entry and the rest of its batch stay
     * pending and are retried by a later poll after {@code pendingIdle}.
     *
     * @return the number of entries handled: re-claimed, new and dead-lettered
     * @throws RevocationStoreException when a Redis command fails, or as thrown by the store
     * @throws RuntimeException         whatever else the store throws
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
