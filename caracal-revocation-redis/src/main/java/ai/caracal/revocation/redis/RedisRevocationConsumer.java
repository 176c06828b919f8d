package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.verify.ClaimNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies revocation events from {@code caracal.sessions.revoke} to a {@link RevocationStore}.
 *
 * <p>Each entry names up to five anchors, read in this order: {@code session_id} (the legacy wire
 * name of the authority record ID), {@code sid}, {@code root_sid}, {@code agent_session_id} and
 * {@code delegation_edge_id}. Empty values are skipped and duplicates dropped; every remaining anchor
 * is revoked with the store's default TTL. Other fields ({@code zone_id}, {@code reason},
 * {@code edge_id}, unknown ones) are ignored. Entries without an anchor are dead-lettered as
 * {@code missing_revocation_anchor}; entries naming an anchor that starts with {@code delegation-epoch:}
 * or {@code consumer-policy:} (the store's own records) as {@code reserved_anchor}, with nothing revoked;
 * when keys are configured, entries whose signed form would be ambiguous as {@code ambiguous_fields} and
 * entries whose signature fails as {@code invalid_signature}. An entry the store keeps refusing for a
 * reason other than an outage is dead-lettered as {@code apply_failed} after 5 deliveries.
 *
 * <pre>{@code
 * RedisRevocationConsumer consumer = RedisRevocationConsumer.builder()
 *     .client(redis).store(store).consumer("mcp-server-1").streamHmacKeyHex(hmacKeyHex).build();
 * }</pre>
 *
 * <p>Thread safety, ownership and failure behaviour are those of {@link RevocationStreamConsumer}:
 * the consumer opens its own connection from the client on first use (so it can be built while Redis is
 * down) and {@link #close()} closes only that connection.
 */
public final class RedisRevocationConsumer extends RevocationStreamConsumer {

    /** The default stream: {@code caracal.sessions.revoke}. */
    public static final String DEFAULT_STREAM = "caracal.sessions.revoke";

    /** The default consumer group: {@code resource-revocation}. */
    public static final String DEFAULT_GROUP = "resource-revocation";

    static final String MISSING_ANCHOR = "missing_revocation_anchor";
    static final String RESERVED_ANCHOR = "reserved_anchor";
    private static final List<String> ANCHOR_FIELDS =
            List.of("session_id", ClaimNames.SID, ClaimNames.ROOT_SID, ClaimNames.AGENT_SESSION_ID, ClaimNames.DELEGATION_EDGE_ID);

    private RedisRevocationConsumer(Builder builder) {
        super(builder, RedisRevocationConsumer::revokeAnchors);
    }

    /**
     * @return a builder; {@code client}, {@code store} and {@code consumer} are required
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The anchors of an entry, in wire order, empty values skipped and duplicates dropped. */
    static List<String> anchors(Map<String, String> fields) {
        List<String> anchors = new ArrayList<>(ANCHOR_FIELDS.size());
        for (String field : ANCHOR_FIELDS) {
            String value = fields.get(field);
            if (value != null && !value.isEmpty() && !anchors.contains(value)) {
                anchors.add(value);
            }
        }
        return anchors;
    }

    /**
     * Steps 2–4 of §6.4 for this stream: revoke every anchor, or dead-letter an entry without one, or one
     * naming a reserved anchor (S66). Such an entry is dead-lettered whole, before any write: it comes from
     * a broken or hostile producer, and half-applying it would hide that.
     */
    static Optional<String> revokeAnchors(Map<String, String> fields, RevocationStore store) {
        List<String> anchors = anchors(fields);
        if (anchors.isEmpty()) {
            return Optional.of(MISSING_ANCHOR);
        }
        if (anchors.stream().anyMatch(RevocationStore::isReservedAnchor)) {
            return Optional.of(RESERVED_ANCHOR);
        }
        for (String anchor : anchors) {
            store.revoke(anchor);
        }
        return Optional.empty();
    }

    /**
     * Builder for {@link RedisRevocationConsumer}: the options of {@link ConsumerBuilder}. Each option is checked when it is
     * set; {@link #build()} checks the combination. Not thread-safe.
     */
    public static final class Builder extends ConsumerBuilder<Builder> {

        private Builder() {
            super(DEFAULT_STREAM, DEFAULT_GROUP);
        }

        /**
         * Builds the consumer without contacting Redis.
         *
         * @return a new consumer
         * @throws IllegalStateException when {@code client}, {@code store} or {@code consumer} is
         *                               missing, both kinds of client are set, or the signature
         *                               options contradict each other
         */
        public RedisRevocationConsumer build() {
            return new RedisRevocationConsumer(this);
        }
    }
}
