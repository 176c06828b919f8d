package ai.caracal.verify.audit;

/**
 * Receives the boundary's action-result events (connectors.md §11): one per decision about a mandate,
 * allow or deny. The extension point for audit trails; {@link Slf4jAuditSink} and the Redis stream sink
 * of {@code caracal-revocation-redis} are two.
 *
 * <p>A boundary never calls a sink on the request's thread: it hands events to an
 * {@link AsyncAuditSink}, whose single worker thread calls {@link #record(AuditEvent)}. So a sink may block
 * (a network write) and may throw: a throw is counted and logged at a bounded rate, and the event is lost.
 * Events never contain a token.
 */
@FunctionalInterface
public interface AuditSink {

    /**
     * @param event the event; never {@code null}
     */
    void record(AuditEvent event);
}
