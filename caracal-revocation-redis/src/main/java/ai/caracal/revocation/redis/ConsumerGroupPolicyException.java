package ai.caracal.revocation.redis;

import java.util.Objects;

/**
 * A consumer refused to join its consumer group because the group's recorded signature policy differs
 * from its own (state.md §10, S70).
 *
 * <p>Consumers of one group share its entries: each entry is delivered to, and acknowledged by, only one
 * of them. A consumer with a stream HMAC key dead-letters unsigned entries that its unsigned peers would
 * have applied, and a consumer without a key applies forged entries for the whole group. So the first
 * consumer of a group records its policy ({@code signed} or {@code unsigned}) in Redis, and a consumer
 * whose policy differs is refused with this exception, whose message names the stream, the group, both
 * policies, the record's key and how to fix it. It is a configuration error: retrying does not help.
 * {@link ConsumerRunner} stops that consumer's thread and reports it from
 * {@link ConsumerRunner#awaitJoined(java.time.Duration)} and {@link ConsumerRunner#lastError()}.
 */
public final class ConsumerGroupPolicyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String stream;
    private final String group;
    private final String recordedPolicy;
    private final String policy;

    ConsumerGroupPolicyException(String stream, String group, String recordedPolicy, String policy, String key) {
        super("consumer group " + group + " on stream " + stream + " is recorded as '" + recordedPolicy
                + "', but this consumer is '" + policy + "' (" + (GroupPolicy.SIGNED.equals(policy)
                        ? "a stream HMAC key is configured" : "no stream HMAC key is configured")
                + "). The consumers of one group share its entries, so a mixed group loses revocations or applies"
                + " forged ones. Fix: configure every consumer of group " + group + " the same way, or give this"
                + " consumer a group of its own (builder group(...), property"
                + " caracal.revocation.redis.consumer.revocation-group / delegation-group, or --consumer-group)."
                + " To change the policy of the group, stop all its consumers and delete the Redis key " + key + ".");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.group = Objects.requireNonNull(group, "group");
        this.recordedPolicy = Objects.requireNonNull(recordedPolicy, "recordedPolicy");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** @return the stream of the refused consumer; never {@code null} */
    public String stream() {
        return stream;
    }

    /** @return the consumer group that refused it; never {@code null} */
    public String group() {
        return group;
    }

    /** @return the policy recorded for the group, normally {@code signed} or {@code unsigned}; never {@code null} */
    public String recordedPolicy() {
        return recordedPolicy;
    }

    /** @return the refused consumer's own policy, {@code signed} or {@code unsigned}; never {@code null} */
    public String policy() {
        return policy;
    }
}
