package ai.caracal.servlet;

import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.http.LiveConnection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends Jakarta WebSocket sessions opened through {@link CaracalFilter} when their mandate expires, is
 * revoked or becomes stale (connectors.md §10.4): {@link #track} registers the session with the filter's
 * {@link ai.caracal.verify.http.LiveConnections}, which closes it with {@code 1008} (policy violation) and
 * the error code ({@code session_revoked}, {@code delegation_stale}, {@code invalid_token}) as reason;
 * {@link #untrack} forgets it when it closes by itself.
 *
 * <pre>{@code
 * @ServerEndpoint(value = "/chat", configurator = CaracalEndpointConfigurator.class)
 * public class Chat {
 *     @OnOpen  public void open(Session session)  { CaracalWebSockets.track(session); }
 *     @OnClose public void close(Session session) { CaracalWebSockets.untrack(session); }
 * }
 * }</pre>
 *
 * <p>A programmatic {@link jakarta.websocket.Endpoint} calls the same two methods from {@code onOpen} and
 * {@code onClose}. The claims reach the session as its user principal ({@link CaracalFilter} hands verified
 * upgrade requests on with it), so a filter that runs after {@code CaracalFilter} and replaces the request's
 * principal hides them. A session that is not untracked stays registered until its mandate's {@code exp} or
 * the next verdict against it (closing it then does nothing). Use {@link CaracalEndpointConfigurator} to
 * refuse handshakes the filter did not verify. Thread-safe.
 */
public final class CaracalWebSockets {

    /** The session user property holding the {@link LiveConnection} of a tracked session. */
    static final String CONNECTION_PROPERTY = "ai.caracal.liveConnection";

    private static final Logger log = LoggerFactory.getLogger(CaracalWebSockets.class);

    /** Closes ended sessions: up to 4 daemon threads, which end after 10 s without work. */
    private static final ThreadPoolExecutor CLOSER = closer();

    private CaracalWebSockets() {
    }

    private static ThreadPoolExecutor closer() {
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(4, 4, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "caracal-websocket-close-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /**
     * @param session a WebSocket session
     * @return the claims {@link CaracalFilter} verified for its handshake, or empty when the filter did not
     *         verify it (an excluded path, no filter)
     */
    public static Optional<Claims> claims(Session session) {
        return Objects.requireNonNull(session, "session").getUserPrincipal() instanceof CaracalPrincipal principal
                ? Optional.of(principal.claims())
                : Optional.empty();
    }

    /**
     * Registers a session the filter verified with the filter's live connections, so that it is closed
     * with 1008 and the error code as reason when its mandate ends. Call it from the endpoint's open
     * callback; calling it again for the same session does nothing.
     *
     * @param session the session just opened
     * @return {@code true} when the session is tracked; {@code false} when the filter did not verify its
     *         handshake (nothing to track)
     */
    public static boolean track(Session session) {
        if (!(Objects.requireNonNull(session, "session").getUserPrincipal() instanceof CaracalPrincipal principal)) {
            return false;
        }
        Map<String, Object> properties = session.getUserProperties();
        if (properties.get(CONNECTION_PROPERTY) instanceof LiveConnection) {
            return true;
        }
        LiveConnection connection = principal.liveConnections().open(principal.claims(), code -> end(session, code));
        if (properties.putIfAbsent(CONNECTION_PROPERTY, connection) != null) {
            connection.close();
            return true;
        }
        if (!session.isOpen()) {
            untrack(session);
        }
        return true;
    }

    /**
     * Forgets a tracked session (it is no longer re-checked). Call it from the endpoint's close callback;
     * for a session that is not tracked it does nothing.
     *
     * @param session the session that closed
     */
    public static void untrack(Session session) {
        if (Objects.requireNonNull(session, "session").getUserProperties().remove(CONNECTION_PROPERTY)
                instanceof LiveConnection connection) {
            connection.close();
        }
    }

    /** The end action: closes the session off the registry's thread (a close may block on the network). */
    private static void end(Session session, ErrorCode code) {
        CLOSER.execute(() -> {
            try {
                if (session.isOpen()) {
                    session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, code.wire()));
                }
            } catch (IOException | RuntimeException e) {
                log.debug("Closing a WebSocket session ({}) failed: {}", code.wire(), e.toString());
            }
        });
    }
}
