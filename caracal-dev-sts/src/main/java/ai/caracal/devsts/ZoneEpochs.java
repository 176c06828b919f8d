package ai.caracal.devsts;

import java.util.LinkedHashMap;
import java.util.Map;

/** The dev STS's own delegation graph epoch per zone: in memory, only ever rising. Thread-safe. */
final class ZoneEpochs {

    private final Map<String, Long> epochs = new LinkedHashMap<>();

    /** @return the zone's epoch, 0 when never raised */
    synchronized long current(String zone) {
        return epochs.getOrDefault(zone, 0L);
    }

    /**
     * Raises the zone's epoch to {@code max(current + 1, atLeast)}.
     *
     * @param atLeast the requested epoch, or 0 for "one more"
     * @return the new epoch
     */
    synchronized long raise(String zone, long atLeast) {
        long current = current(zone);
        long next = Math.max(current == Long.MAX_VALUE ? current : current + 1, atLeast);
        epochs.put(zone, next);
        return next;
    }

    /** @return a copy of every raised zone's epoch, in the order the zones were first raised */
    synchronized Map<String, Long> snapshot() {
        return new LinkedHashMap<>(epochs);
    }
}
