package ai.caracal.spring;

import ai.caracal.verify.audit.AsyncAuditSink;

/**
 * The starter's audit queue (bean {@code caracalAudit}): the {@link AsyncAuditSink} over every
 * {@link ai.caracal.verify.audit.AuditSink} bean, or none when there is no sink. The Caracal filter hands
 * it every decision; read {@link AsyncAuditSink#dropped()} and {@link AsyncAuditSink#failed()} from it
 * for monitoring. Closed with the context (its worker thread is the starter's; the sinks are not closed
 * by it).
 */
public final class CaracalAudit implements AutoCloseable {

    private final AsyncAuditSink sink;

    CaracalAudit(AsyncAuditSink sink) {
        this.sink = sink;
    }

    /** @return the queue, or {@code null} when no audit sink is configured */
    public AsyncAuditSink sink() {
        return sink;
    }

    @Override
    public void close() {
        if (sink != null) {
            sink.close();
        }
    }
}
