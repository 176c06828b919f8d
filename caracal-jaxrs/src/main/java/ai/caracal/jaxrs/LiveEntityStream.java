package ai.caracal.jaxrs;

import ai.caracal.verify.Claims;
import ai.caracal.verify.http.LiveConnection;
import ai.caracal.verify.http.LiveConnections;
import ai.caracal.verify.http.StreamGuard;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The entity stream of a verified {@code text/event-stream} response (connectors.md §10.4): registered
 * with the boundary's {@link LiveConnections} until the runtime closes it, every write under a
 * {@link StreamGuard}. Ending it closes the runtime's stream, which completes the response; the runtime's
 * next event write then fails and its {@code SseEventSink} closes. This works where the runtime writes
 * the events through the response's entity stream and closes it with the sink (Jersey), and for an entity
 * written to it (a {@code StreamingOutput}, also on Quarkus REST); RESTEasy classic closes it when its
 * servlet dispatch returns, so there the connection is forgotten early and the servlet
 * {@code CaracalFilter} must guard the stream. Quarkus REST's {@code SseEventSink} and {@code Multi}
 * streams never reach it: {@link ReactiveLiveStreams} registers those.
 */
final class LiveEntityStream extends OutputStream {

    private final OutputStream target;
    private final StreamGuard guard;
    private final LiveConnection connection;

    LiveEntityStream(OutputStream target, Claims claims, LiveConnections registry) {
        this.target = target;
        this.guard = new StreamGuard(target);
        this.connection = registry.open(claims, guard::end);
    }

    @Override
    public void write(int b) throws IOException {
        guard.enter();
        try {
            target.write(b);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        guard.enter();
        try {
            target.write(b, off, len);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void flush() throws IOException {
        guard.enter();
        try {
            target.flush();
        } finally {
            guard.exit();
        }
    }

    /** The runtime is done with the stream (Jersey: the sink was closed): forgets the connection. */
    @Override
    public void close() throws IOException {
        connection.close();
        guard.closeFromApplication();
    }
}
