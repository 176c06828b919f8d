package ai.caracal.mcp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner of every MCP session the transport created behind one {@link McpBoundary}: session ID to
 * {@link SessionOwner}, at most {@code maxSessions} entries, the least recently used dropped first. A
 * dropped session is not reachable any more (its owner gets the transport's "session not found" and
 * starts a new one): the table forgets, it never lets a stranger in. Thread-safe; session IDs are never
 * logged.
 */
final class SessionBindings {

    private static final Logger log = LoggerFactory.getLogger(SessionBindings.class);

    private final int maxSessions;
    private final Map<String, SessionOwner> owners;
    private boolean warnedFull;

    SessionBindings(int maxSessions) {
        this.maxSessions = maxSessions;
        this.owners = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SessionOwner> eldest) {
                if (size() <= SessionBindings.this.maxSessions) {
                    return false;
                }
                if (!warnedFull) {
                    warnedFull = true;
                    log.warn("MCP session table full ({} sessions): the least recently used sessions are forgotten and "
                            + "answer \"session not found\" from now on; raise McpBoundary.builder().maxSessions(...)",
                            SessionBindings.this.maxSessions);
                }
                return true;
            }
        };
    }

    /** Binds a session the transport just created to the principal that created it. */
    synchronized void bind(String sessionId, SessionOwner owner) {
        owners.put(sessionId, owner);
    }

    /** @return whether the session exists here and belongs to {@code owner} (marks it recently used) */
    synchronized boolean isOwnedBy(String sessionId, SessionOwner owner) {
        SessionOwner bound = owners.get(sessionId);
        return bound != null && bound.equals(owner);
    }

    /** Forgets a session its owner ended (or the transport no longer knows). */
    synchronized void unbind(String sessionId, SessionOwner owner) {
        owners.remove(sessionId, owner);
    }

    /**
     * @return a random UUID that names no session here; that it names one the transport made is as
     *         likely as guessing a session ID
     */
    synchronized String unusedId() {
        String id = UUID.randomUUID().toString();
        while (owners.containsKey(id)) {
            id = UUID.randomUUID().toString();
        }
        return id;
    }

    synchronized int size() {
        return owners.size();
    }

    synchronized void clear() {
        owners.clear();
    }
}
