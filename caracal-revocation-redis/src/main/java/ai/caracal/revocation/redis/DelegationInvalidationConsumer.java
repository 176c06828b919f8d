package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.verify.ClaimNames;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Applies delegation-graph epoch bumps from {@code caracal.delegations.invalidate} to a
 * {@link RevocationStore}.
 *
 * <p>Each entry carries {@code zone_id} (non-blank) and {@code epoch} (1 to 19 ASCII digits that fit a
 * signed 64-bit long; signs, spaces, exponents and empty values are invalid). A valid entry becomes
 * {@code store.advanceDelegationEpoch(zone_id, epoch)} with the store's default TTL; a lower or equal
 * epoch changes nothing, because epochs only rise, and out-of-order delivery is therefore safe. Other
 * fields ({@code event}, {@code edge_id}, unknown ones) are ignored. Invalid entries are dead-lettered
 * as {@code invalid_delegation_epoch}; when keys are configured, entries whose signed form would be
 * ambiguous as {@code ambiguous_fields} and entries whose signature fails as {@code invalid_signature}.
 * An entry the store keeps refusing for a reason other than an outage (for example {@code WRONGTYPE}
 * on the zone's epoch key) is dead-lettered as {@code apply_failed} after 5 deliveries, and never holds
 * back the entries after it.
 *
 * <pre>{@code
 * DelegationInvalidationConsumer consumer = DelegationInvalidationConsumer.builder()
 *     .client(redis).store(store).consumer("mcp-server-1").streamHmacKeyHex(hmacKeyHex).build();
 * }</pre>
 *
 * <p>Thread safety, ownership and failure behaviour are those of {@link RevocationStreamConsumer}:
 * the consumer opens its own connection from the client on first use (so it can be built while Redis is
 * down) and {@link #close()} closes only that connection.
 */
public final class DelegationInvalidationConsumer extends RevocationStreamConsumer {

    /** The default stream: {@code caracal.delegations.invalidate}. */
    public static final String DEFAULT_STREAM = "caracal.delegations.invalidate";

    /** The default consumer group: {@code resource-delegation-invalidation}. */
    public static final String DEFAULT_GROUP = "resource-delegation-invalidation";

    static final String INVALID_EPOCH = "invalid_delegation_epoch";
    private static final int MAX_EPOCH_DIGITS = 19;

    private DelegationInvalidationConsumer(Builder builder) {
        super(builder, DelegationInvalidationConsumer::advanceEpoch);
    }

    /**
     * @return a builder; {@code client}, {@code store} and {@code consumer} are required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses an {@code epoch} field: 1 to 19 ASCII digits that fit a signed 64-bit long.
     *
     * @return the epoch, or empty when the value is absent or invalid
     */
    static OptionalLong parseEpoch(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_EPOCH_DIGITS) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException overflow) {
            return OptionalLong.empty();
        }
    }

    /** Steps 2–4 of §6.4 for this stream: advance the zone epoch, or dead-letter an invalid entry. */
    static Optional<String> advanceEpoch(Map<String, String> fields, RevocationStore store) {
        String zoneId = fields.get(ClaimNames.ZONE_ID);
        OptionalLong epoch = parseEpoch(fields.get("epoch"));
        // A blank zone is rejected too: the store would silently ignore it, so it could never be applied.
        if (zoneId == null || zoneId.isBlank() || epoch.isEmpty()) {
            return Optional.of(INVALID_EPOCH);
        }
        store.advanceDelegationEpoch(zoneId, epoch.getAsLong());
        return Optional.empty();
    }

    /**
     * Builder for {@link DelegationInvalidationConsumer}: the options of {@link ConsumerBuilder}. Each option is checked when it is
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
        public DelegationInvalidationConsumer build() {
            return new DelegationInvalidationConsumer(this);
        }
    }
}
