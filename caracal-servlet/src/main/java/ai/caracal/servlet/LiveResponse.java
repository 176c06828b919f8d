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
 * The response of a verified request, as the application sees it (connectors.md §10.4). The output
 * stream or writer the application takes is wrapped unless the response is already typed as something
 * other than {@code text/event-stream}; at its first write or flush, at {@code flushBuffer()}, or when the
 * filter chain returns with the request asynchronous, a {@code text/event-stream} response is registered with the boundary's {@link LiveConnections} and every write then goes through a
 * {@link StreamGuard}. Ending it closes the container's stream (the response completes, also while a
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
    private volatile Closeable target;
    private volatile boolean decided;
    private boolean finished;
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
            if (mayStream()) {
                target = own;
                stream = new GuardedOutputStream(own, () -> decide(own));
            } else {
                stream = own;
            }
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            PrintWriter own = super.getWriter();
            if (mayStream()) {
                target = own;
                writer = new PrintWriter(new GuardedWriter(own, () -> decide(own)), false);
            } else {
                writer = own;
            }
        }
        return writer;
    }

    /** Sending the head is a moment to decide too: a stream may stay open a long time before its first event. */
    @Override
    public void flushBuffer() throws IOException {
        super.flushBuffer();
        Closeable own = target;
        if (own != null) {
            decide(own);
        }
    }

    /**
     * After the filter chain returned: a response still open asynchronously stays tracked (or may still
     * become tracked at its first write) until the asynchronous request ends; any other is forgotten.
     */
    void afterChain() {
        if (!request.isAsyncStarted()) {
            forget();
            return;
        }
        Closeable own = target;
        if (own != null) {
            // Left open with its head sent and nothing written yet: decide now, not at a first event that may never come.
            decide(own);
        }
        try {
            request.getAsyncContext().addListener(new Forget(this));
        } catch (IllegalStateException e) {
            forget();
        }
    }

    /** The response is over: forgets its connection, and registers none afterwards. */
    private void forget() {
        LiveConnection tracked;
        synchronized (this) {
            finished = true;
            decided = true;
            tracked = connection;
        }
        if (tracked != null) {
            tracked.close();
        }
    }

    /** A response typed as anything else when the application takes its stream is not an event stream. */
    private boolean mayStream() {
        return getContentType() == null || isEventStream();
    }

    private boolean isEventStream() {
        String type = getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM);
    }

    /**
     * At the first write or flush (the headers are final by then): registers a {@code text/event-stream}
     * response and returns its guard; {@code null} for any other response, for good.
     */
    private StreamGuard decide(Closeable target) {
        if (!decided) {
            synchronized (this) {
                if (!decided) {
                    if (!finished && isEventStream()) {
                        StreamGuard created = new StreamGuard(target);
                        guard = created;
                        connection = registry.open(claims, this::end);
                    }
                    decided = true;
                }
            }
        }
        return guard;
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
        private final LiveResponse response;

        Forget(LiveResponse response) {
            this.response = response;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            response.forget();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            response.forget();
        }

        @Override
        public void onError(AsyncEvent event) {
            response.forget();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
