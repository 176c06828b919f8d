package ai.caracal.devsts;

import ai.caracal.mint.Es256Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signing keys of every zone: one active key per zone, plus keys rotated out less than
 * {@link #GRACE} ago (measured with the injected clock), newest first. Keys are created only by
 * {@link #activeKey(String)} (first mint), {@link #rotate(String)} and {@link #initialize(List)}; the
 * read methods never create any. With a key directory, every new key is written before it is used and
 * the directory is reloaded by {@link #initialize(List)}. Thread-safe (one lock).
 */
final class ZoneKeys {

    /** How long a rotated-out key stays published: 24 h. */
    static final Duration GRACE = Duration.ofHours(24);

    private final Clock clock;
    private final UuidV7 ids;
    private final KeyFiles files;
    /** Per zone, newest first. The head is the active key. */
    private final Map<String, List<Published>> zones = new LinkedHashMap<>();

    /** A key and the instant it was rotated out ({@code null} while active). */
    private record Published(Es256Key key, Instant retiredAt) {
    }

    /** The result of a rotation. {@code previousKid} is {@code null} for a zone's first key. */
    record Rotation(String kid, String previousKid) {
    }

    /**
     * @param files the key directory, or {@code null} for ephemeral keys
     */
    ZoneKeys(Clock clock, UuidV7 ids, KeyFiles files) {
        this.clock = clock;
        this.ids = ids;
        this.files = files;
    }

    /**
     * Reloads the key directory, then gives each configured zone a key if it has none. A reloaded key's
     * rotation instant is the timestamp of the next newer kid in its zone, so keys past their grace are
     * not published again. Configured zones are listed first.
     */
    synchronized void initialize(List<String> configured) {
        Map<String, List<KeyFiles.Loaded>> loaded = files == null ? Map.of() : files.readAll();
        configured.forEach(zone -> zones.put(zone, new ArrayList<>()));
        Instant now = clock.instant();
        for (Map.Entry<String, List<KeyFiles.Loaded>> zone : loaded.entrySet()) {
            List<Published> keys = new ArrayList<>();
            Instant successorCreated = null;
            List<KeyFiles.Loaded> oldestFirst = zone.getValue();
            for (int i = oldestFirst.size() - 1; i >= 0; i--) {
                KeyFiles.Loaded file = oldestFirst.get(i);
                long created = UuidV7.timestampOf(file.kid());
                ids.notBefore(created);
                if (successorCreated == null || now.isBefore(successorCreated.plus(GRACE))) {
                    keys.add(new Published(rebuild(zone.getKey(), file), successorCreated));
                }
                successorCreated = Instant.ofEpochMilli(created);
            }
            zones.put(zone.getKey(), keys);
        }
        for (String zone : configured) {
            if (zones.get(zone).isEmpty()) {
                zones.get(zone).add(new Published(create(zone), null));
            }
        }
    }

    private static Es256Key rebuild(String zone, KeyFiles.Loaded file) {
        try {
            return Es256Key.fromPrivate(file.kid(), file.privateKey());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("key " + file.kid() + " of zone " + zone + " is not a usable P-256 key", e);
        }
    }

    /** @return the zone's signing key, created (and persisted) now if the zone has none */
    synchronized Es256Key activeKey(String zone) {
        List<Published> keys = zones.computeIfAbsent(zone, z -> new ArrayList<>());
        if (keys.isEmpty()) {
            keys.add(new Published(create(zone), null));
        }
        return keys.get(0).key();
    }

    /** Creates a new active key; the previous one stays published for {@link #GRACE}. */
    synchronized Rotation rotate(String zone) {
        List<Published> keys = zones.computeIfAbsent(zone, z -> new ArrayList<>());
        Es256Key next = create(zone);
        String previousKid = null;
        if (!keys.isEmpty()) {
            Published previous = keys.remove(0);
            previousKid = previous.key().kid();
            keys.add(0, new Published(previous.key(), clock.instant()));
        }
        keys.add(0, new Published(next, null));
        return new Rotation(next.kid(), previousKid);
    }

    /** @return the zone's published keys, newest first; empty for a zone without keys (none are created) */
    synchronized List<Es256Key> published(String zone) {
        List<Published> keys = zones.get(zone);
        if (keys == null) {
            return List.of();
        }
        Instant now = clock.instant();
        keys.removeIf(key -> key.retiredAt() != null && !now.isBefore(key.retiredAt().plus(GRACE)));
        List<Es256Key> published = new ArrayList<>(keys.size());
        keys.forEach(key -> published.add(key.key()));
        return Collections.unmodifiableList(published);
    }

    /** @return every zone known to the key store, in the order they became known */
    synchronized List<String> zones() {
        return List.copyOf(zones.keySet());
    }

    private Es256Key create(String zone) {
        Es256Key key = Es256Key.generate(ids.next());
        if (files != null) {
            files.write(zone, key.kid(), key.privateKey());
        }
        return key;
    }
}
