package ai.caracal.servlet;

import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.http.LiveConnection;
import ai.caracal.verify.http.LiveConnections;
import ai.caracal.verify.http.StreamGuard;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The response of a verified request, as the application sees it (connectors.md §10.4). When the
 * application takes the output stream or writer of a {@code text/event-stream} response, the stream is
 * registered with the boundary's {@link LiveConnections} and every write goes through a
 * {@link StreamGuard}; ending it closes the container's stream (the response completes, also while a
 * servlet still blocks in its dispatch, as the MCP SDK does for a POST answered as a stream) and
 * completes the asynchronous request if one was started. Other responses pass through unchanged.
 */
final class LiveResponse extends HttpServletResponseWrapper {

    private static final String EVENT_STREAM = "text/event-stream";

    private final HttpServletRequest request;
    private final Claims claims;
    private final LiveConnections registry;
    private ServletOutputStream stream;
    private PrintWriter writer;
    private volatile StreamGuard guard;
    private volatile LiveConnection connection;

    LiveResponse(HttpServletRequest request, HttpServletResponse response, Claims claims, LiveConnections registry) {
        super(response);
        this.request = request;
        this.claims = claims;
        this.registry = registry;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            ServletOutputStream own = super.getOutputStream();
            stream = isEventStream() ? new GuardedOutputStream(own, track(own)) : own;
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            PrintWriter own = super.getWriter();
            writer = isEventStream() ? new PrintWriter(new GuardedWriter(own, track(own)), false) : own;
        }
        return writer;
    }

    /**
     * After the filter chain returned: a stream still open asynchronously stays tracked until the
     * asynchronous request ends; any other is forgotten.
     */
    void afterChain() {
        LiveConnection tracked = connection;
        if (tracked == null) {
            return;
        }
        if (!request.isAsyncStarted()) {
            tracked.close();
            return;
        }
        try {
            request.getAsyncContext().addListener(new Forget(tracked));
        } catch (IllegalStateException e) {
            tracked.close();
        }
    }

    private boolean isEventStream() {
        String type = getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM);
    }

    private StreamGuard track(Closeable target) {
        StreamGuard created = new StreamGuard(target);
        guard = created;
        connection = registry.open(claims, this::end);
        return created;
    }

    /** The registry's end action: on its thread. */
    private void end(ErrorCode code) {
        guard.end(code);
        try {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().complete();
            }
        } catch (IllegalStateException e) {
            // completed meanwhile by the application or the container: nothing left to end
        }
    }

    /** Forgets the connection when its asynchronous request ends. */
    private static final class Forget implements AsyncListener {
        private final LiveConnection connection;

        Forget(LiveConnection connection) {
            this.connection = connection;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            connection.close();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            connection.close();
        }

        @Override
        public void onError(AsyncEvent event) {
            connection.close();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
