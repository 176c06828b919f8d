package ai.caracal.devsts;

import ai.caracal.verify.ClaimNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The field maps of the events the dev STS publishes, in producer order (state.md §5): every value a
 * string, {@code null}s left out. {@code _sig} is added by the publisher, last. Stateless.
 */
final class StreamEvents {

    /** The {@code event} value of a dev STS delegation invalidation. */
    static final String DEV_INVALIDATE = "dev_invalidate";

    private StreamEvents() {
    }

    /** @return {@code zone_id}, the anchor fields as given, {@code reason}, {@code outbox_id} */
    static Map<String, String> revocation(String zone, RevokeRequest request, String outboxId) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(ClaimNames.ZONE_ID, zone);
        fields.putAll(request.anchorFields());
        fields.put("reason", request.reason());
        fields.put("outbox_id", outboxId);
        return fields;
    }

    /** @return {@code event}, {@code zone_id}, {@code epoch} (decimal), {@code outbox_id} */
    static Map<String, String> invalidation(String zone, long epoch, String outboxId) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("event", DEV_INVALIDATE);
        fields.put(ClaimNames.ZONE_ID, zone);
        fields.put("epoch", Long.toString(epoch));
        fields.put("outbox_id", outboxId);
        return fields;
    }
}
