package ai.caracal.jaxrs;

import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.http.LiveConnection;
import ai.caracal.verify.http.LiveConnections;
import jakarta.ws.rs.container.CompletionCallback;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.reflect.Method;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live SSE streams on Quarkus REST (RESTEasy Reactive), connectors.md §10.4. There an {@code SseEventSink}
 * method (and a {@code Multi} typed {@code text/event-stream}) runs no response filter and writes its events
 * straight to Vert.x, never through the entity stream. So, for a verified request, the pre-matching filter
 * sets the response's pre-commit listener (the SPI's {@code ServerHttpResponse#setPreCommitListener}, run
 * when the response head is written); when the head says {@code text/event-stream}, the stream is registered
 * with the boundary's {@link LiveConnections}, and forgotten when the request context completes (the sink
 * was closed, by the application, the client leaving or the end). The end runs on the request's own Vert.x
 * context: an {@code SseEventSink} is closed (the response completes, the sink reports closed and its next
 * {@code send} fails); a stream without one (a {@code Multi}) has its HTTP/1.x connection closed (an
 * HTTP/2 stream is reset), which makes its subscriber cancel the subscription. Responses written through
 * a message body writer replace the pre-commit listener with their own; those that are event streams are
 * registered by the response filter ({@link LiveEntityStream}).
 *
 * <p>Everything is called reflectively through {@value ReactiveSuspension#SPI} and the interfaces it
 * returns, so that this module needs nothing beyond the Jakarta REST API. {@link #of} is {@code null} for
 * every other runtime.
 */
final class ReactiveLiveStreams {

    /** Set once a response is registered, so that it is registered only once. */
    static final String LIVE_PROPERTY = "ai.caracal.live";

    private static final Logger log = LoggerFactory.getLogger(ReactiveLiveStreams.class);

    private static final ClassValue<ReactiveLiveStreams> BY_CLASS = new ClassValue<>() {
        @Override
        protected ReactiveLiveStreams computeValue(Class<?> type) {
            Class<?> spi = ReactiveSuspension.find(type);
            if (spi == null) {
                return NONE;
            }
            try {
                Method serverContext = spi.getMethod("getServerRequestContext");
                Class<?> serverContextType = serverContext.getReturnType();
                Method serverResponse = serverContextType.getMethod("serverResponse");
                Class<?> responseType = serverResponse.getReturnType();
                return new ReactiveLiveStreams(serverContext, serverResponse,
                        serverContextType.getMethod("registerCompletionCallback", CompletionCallback.class),
                        responseType.getMethod("setPreCommitListener", Consumer.class),
                        responseType.getMethod("getResponseHeader", String.class),
                        responseType.getMethod("closed"),
                        responseType.getMethod("reset"));
            } catch (NoSuchMethodException e) {
                log.warn("This Quarkus REST version lacks a method Caracal uses to end live SSE streams; they are not "
                        + "ended when their mandate no longer holds ({})", e.getMessage());
                return NONE;
            }
        }
    };

    private static final ReactiveLiveStreams NONE = new ReactiveLiveStreams(null, null, null, null, null, null, null);

    private final Method serverContext;
    private final Method serverResponse;
    private final Method registerCompletionCallback;
    private final Method setPreCommitListener;
    private final Method getResponseHeader;
    private final Method closed;
    private final Method reset;

    private ReactiveLiveStreams(Method serverContext, Method serverResponse, Method registerCompletionCallback,
            Method setPreCommitListener, Method getResponseHeader, Method closed, Method reset) {
        this.serverContext = serverContext;
        this.serverResponse = serverResponse;
        this.registerCompletionCallback = registerCompletionCallback;
        this.setPreCommitListener = setPreCommitListener;
        this.getResponseHeader = getResponseHeader;
        this.closed = closed;
        this.reset = reset;
    }

    /** @return the live streams of this context's runtime, or {@code null} when it is not Quarkus REST */
    static ReactiveLiveStreams of(ContainerRequestContext context) {
        ReactiveLiveStreams streams = BY_CLASS.get(context.getClass());
        return streams == NONE ? null : streams;
    }

    /**
     * Watches a verified request: its response is registered if its head says {@code text/event-stream}.
     * Called before the request continues to its resource (nothing is written yet).
     */
    void watch(ContainerRequestContext request, Claims claims, LiveConnections live) {
        Object server = ReactiveSuspension.invoke(serverContext, request);
        Object response = ReactiveSuspension.invoke(serverResponse, server);
        Consumer<Object> atHead = ignored -> headWritten(request, server, response, claims, live);
        ReactiveSuspension.invoke(setPreCommitListener, response, atHead);
    }

    /** Runs as the head is written, on the thread writing it (an event loop, or the application's). */
    private void headWritten(ContainerRequestContext request, Object server, Object response, Claims claims,
            LiveConnections live) {
        try {
            if (request.getProperty(LIVE_PROPERTY) != null || !isEventStream((String) ReactiveSuspension.invoke(getResponseHeader, response, "Content-Type"))) {
                return;
            }
            request.setProperty(LIVE_PROPERTY, Boolean.TRUE);
            ServerContext context = SERVER_CONTEXTS.get(server.getClass());
            Executor loop = context.executor(server);
            LiveConnection connection = live.open(claims, code -> endOn(loop, context, server, response, code));
            AtomicBoolean completed = new AtomicBoolean();
            CompletionCallback forget = failure -> {
                completed.set(true);
                connection.close();
            };
            ReactiveSuspension.invoke(registerCompletionCallback, server, forget);
            watchConnection(context, server, response, connection, completed, Math.max(1L, live.recheckInterval().toMillis()));
        } catch (RuntimeException e) {
            // Never fail the response's write. Before open(...) the stream is then not ended early; after it,
            // only forgetting it early is lost (logged, rare).
            log.warn("Caracal could not register or watch a live SSE stream on Quarkus REST ({})", e.toString());
        }
    }

    /**
     * A client that leaves closes the connection, and with it the sink, but not the request context, so no
     * completion callback comes: every re-check interval a timer on the request's event loop looks at the
     * response and forgets the stream once it is closed.
     */
    private void watchConnection(ServerContext context, Object server, Object response, LiveConnection connection,
            AtomicBoolean completed, long intervalMillis) {
        if (context.registerTimer == null || connection.ended()) {
            return;
        }
        Runnable check = new Runnable() {
            @Override
            public void run() {
                try {
                    if (connection.ended() || completed.get()) {
                        return;
                    }
                    if (Boolean.TRUE.equals(ReactiveSuspension.invoke(closed, response))) {
                        connection.close();
                        return;
                    }
                    ReactiveSuspension.invoke(context.registerTimer, server, intervalMillis, this);
                } catch (RuntimeException e) {
                    log.debug("Watching a live SSE stream's connection failed; it is forgotten ({})", e.toString());
                    connection.close();
                }
            }
        };
        ReactiveSuspension.invoke(context.registerTimer, server, intervalMillis, check);
    }

    private void endOn(Executor loop, ServerContext context, Object server, Object response, ErrorCode code) {
        Runnable end = () -> end(context, server, response, code);
        if (loop == null) {
            end.run();
            return;
        }
        try {
            loop.execute(end);
        } catch (RuntimeException e) {
            end.run();
        }
    }

    /**
     * On the request's Vert.x context: closes the sink (the response completes, the request context closes).
     * A stream without a sink (a {@code Multi}) stops only when Vert.x reports its response's connection
     * closed (its subscriber cancels the subscription then): its HTTP/1.x connection is closed, an HTTP/2
     * stream is reset. The client sees the response cut short.
     */
    private void end(ServerContext context, Object server, Object response, ErrorCode code) {
        try {
            if (context.sink(server) instanceof SseEventSink sink) {
                sink.close();
                return;
            }
            if (Boolean.TRUE.equals(ReactiveSuspension.invoke(closed, response))) {
                return;
            }
            Object connection = context.http1Connection(server);
            // Not end() first: once the response is complete, Vert.x no longer tells it that the connection closed.
            ReactiveSuspension.invoke(connection == null ? reset : context.closeConnection, connection == null ? response : connection);
        } catch (RuntimeException e) {
            log.debug("Ending a live SSE stream ({}) failed (the client may be gone already): {}", code.wire(), e.toString());
        }
    }

    private static boolean isEventStream(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            return MediaType.SERVER_SENT_EVENTS_TYPE.isCompatible(MediaType.valueOf(contentType));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static final ClassValue<ServerContext> SERVER_CONTEXTS = new ClassValue<>() {
        @Override
        protected ServerContext computeValue(Class<?> type) {
            Method vertxRequest = method(type, "vertxServerRequest");
            Method version = vertxRequest == null ? null : method(vertxRequest.getReturnType(), "version");
            Method connection = vertxRequest == null ? null : method(vertxRequest.getReturnType(), "connection");
            Method close = connection == null ? null : method(connection.getReturnType(), "close");
            return new ServerContext(method(type, "getSseEventSink"), method(type, "getContextExecutor"),
                    method(type, "registerTimer", long.class, Runnable.class),
                    version == null || close == null ? null : vertxRequest, version, connection, close);
        }
    };

    /**
     * Public methods of the runtime's request context class (RESTEasy Reactive's Vert.x
     * {@code ResteasyReactiveRequestContext}) and of the Vert.x request it returns, found by name; each
     * {@code null} when absent.
     */
    private static final class ServerContext {
        final Method sseEventSink;
        final Method contextExecutor;
        final Method registerTimer;
        final Method vertxRequest;
        final Method version;
        final Method connection;
        final Method closeConnection;

        ServerContext(Method sseEventSink, Method contextExecutor, Method registerTimer, Method vertxRequest,
                Method version, Method connection, Method closeConnection) {
            this.sseEventSink = sseEventSink;
            this.contextExecutor = contextExecutor;
            this.registerTimer = registerTimer;
            this.vertxRequest = vertxRequest;
            this.version = version;
            this.connection = connection;
            this.closeConnection = closeConnection;
        }

        /** @return the request's {@code SseEventSink}, if its resource took one */
        Object sink(Object server) {
            return sseEventSink == null ? null : ReactiveSuspension.invoke(sseEventSink, server);
        }

        /** @return the executor that runs tasks on the request's Vert.x context, or {@code null} */
        Executor executor(Object server) {
            return contextExecutor != null && ReactiveSuspension.invoke(contextExecutor, server) instanceof Executor executor ? executor : null;
        }

        /** @return the request's Vert.x connection when it is HTTP/1.x (one response at a time), else {@code null} */
        Object http1Connection(Object server) {
            if (vertxRequest == null) {
                return null;
            }
            Object request = ReactiveSuspension.invoke(vertxRequest, server);
            Object httpVersion = request == null ? null : ReactiveSuspension.invoke(version, request);
            return httpVersion != null && String.valueOf(httpVersion).startsWith("HTTP_1") ? ReactiveSuspension.invoke(connection, request) : null;
        }
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
