/**
 * Audit of boundary decisions (connectors.md §11): the {@link ai.caracal.verify.audit.AuditSink} SPI, the
 * {@link ai.caracal.verify.audit.AuditEvent} it receives, the bounded {@link ai.caracal.verify.audit.AsyncAuditSink}
 * that keeps sinks off the request's path, and {@link ai.caracal.verify.audit.Slf4jAuditSink} (JSON lines).
 */
package ai.caracal.verify.audit;
