package ai.caracal.webflux;

import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.http.LiveConnection;
import ai.caracal.verify.http.LiveConnections;
import java.util.List;
import java.util.Objects;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The WebSocket service that ends WebSockets opened through {@link CaracalWebFilter} when their mandate
 * expires, is revoked or becomes stale (connectors.md §10.4): the session is closed with status 1008
 * (policy violation) and the error code ({@code session_revoked}, {@code delegation_stale},
 * {@code invalid_token}) as reason. The handshake itself is the delegate's.
 *
 * <pre>{@code
 * @Bean
 * WebSocketHandlerAdapter webSocketHandlerAdapter() {
 *     return new WebSocketHandlerAdapter(new CaracalWebSocketService());
 * }
 * // or, with @EnableWebFlux: WebFluxConfigurer.getWebSocketService() returns a CaracalWebSocketService
 * }</pre>
 *
 * <p>An upgrade request that the filter did not verify (an excluded path, no filter) is handed to the
 * delegate unchanged. Without this service, verified WebSockets are not ended, and the filter logs one
 * WARN the first time it lets such an upgrade through. Thread-safe.
 */
public final class CaracalWebSocketService implements WebSocketService {

    /** Set on an exchange whose upgrade this service took, so the filter knows its WebSocket is tracked. */
    static final String TRACKED_ATTRIBUTE = "ai.caracal.webSocketTracked";

    private final WebSocketService delegate;

    /** A service doing the handshake with Spring's {@link HandshakeWebSocketService} (the server's default strategy). */
    public CaracalWebSocketService() {
        this(new HandshakeWebSocketService());
    }

    /**
     * @param delegate the service doing the handshake (for example a configured
     *                 {@link HandshakeWebSocketService}); never {@code null}
     */
    public CaracalWebSocketService(WebSocketService delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
        Claims claims = exchange.getAttribute(CaracalWebFilter.CLAIMS_ATTRIBUTE);
        LiveConnections registry = exchange.getAttribute(CaracalWebFilter.LIVE_CONNECTIONS_ATTRIBUTE);
        if (claims == null || registry == null) {
            return delegate.handleRequest(exchange, handler);
        }
        exchange.getAttributes().put(TRACKED_ATTRIBUTE, Boolean.TRUE);
        return delegate.handleRequest(exchange, new LiveHandler(handler, claims, registry));
    }

    /** Registers each session of the handler and closes it with 1008 when the registry ends it. */
    private static final class LiveHandler implements WebSocketHandler {
        private final WebSocketHandler handler;
        private final Claims claims;
        private final LiveConnections registry;

        LiveHandler(WebSocketHandler handler, Claims claims, LiveConnections registry) {
            this.handler = handler;
            this.claims = claims;
            this.registry = registry;
        }

        @Override
        public List<String> getSubProtocols() {
            return handler.getSubProtocols();
        }

        @Override
        public Mono<Void> handle(WebSocketSession session) {
            return Mono.defer(() -> {
                LiveConnection connection = registry.open(claims, code -> close(session, code));
                return handler.handle(session).doFinally(signal -> connection.close());
            });
        }

        private static void close(WebSocketSession session, ErrorCode code) {
            session.close(new CloseStatus(CloseStatus.POLICY_VIOLATION.getCode(), code.wire())).subscribe(
                    done -> { }, failure -> { });
        }
    }
}
