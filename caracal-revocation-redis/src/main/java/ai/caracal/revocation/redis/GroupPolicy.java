package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;

/**
 * The signature policy a consumer group records in Redis (state.md §10, S70): {@code signed} when its
 * consumers hold stream HMAC keys, {@code unsigned} otherwise, under
 * {@code <keyPrefix>consumer-policy:<stream>:<group>}. The key prefix is the store's when the consumer
 * applies entries to a {@link RedisRevocationStore}, otherwise the default one; the
 * {@code consumer-policy:} name is reserved, so no revocation can overwrite the record (S66). The record
 * has no TTL: it lives as long as the group's history does.
 */
final class GroupPolicy {

    static final String SIGNED = "signed";
    static final String UNSIGNED = "unsigned";
    static final String KEY_INFIX = "consumer-policy:";

    private GroupPolicy() {
    }

    static String of(boolean keyed) {
        return keyed ? SIGNED : UNSIGNED;
    }

    /** @return the record's key for the store the consumer applies entries to */
    static String key(RevocationStore store, String stream, String group) {
        String prefix = store instanceof RedisRevocationStore redis ? redis.keyPrefix()
                : RedisRevocationStore.DEFAULT_KEY_PREFIX;
        return prefix + KEY_INFIX + stream + ":" + group;
    }
}
