package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;
import java.util.Map;
import java.util.Optional;

/** What one kind of stream entry does to the store: steps 2–4 of §6.4, after the signature check. */
@FunctionalInterface
interface EntryApplier {

    /**
     * Applies a verified entry.
     *
     * @param fields the entry's fields; never {@code null}
     * @param store  the target store
     * @return the dead-letter reason when the entry cannot be applied, or empty once it was applied
     * @throws RuntimeException whatever the store throws; the entry must then stay un-acked
     */
    Optional<String> apply(Map<String, String> fields, RevocationStore store);
}
