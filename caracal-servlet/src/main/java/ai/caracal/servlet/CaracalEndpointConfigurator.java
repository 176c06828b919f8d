package ai.caracal.servlet;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configurator of a Jakarta WebSocket endpoint that only {@link CaracalFilter}-verified clients may
 * open: it refuses every handshake the filter did not verify (the upgrade fails, no session opens), so a
 * filter mapped after the container's upgrade filter, or not mapped to the endpoint's path, fails closed
 * instead of letting unauthenticated WebSockets through. Pair it with {@link CaracalWebSockets#track} in the
 * endpoint's open callback so that the session closes (1008, the error code as reason) when its mandate
 * expires, is revoked or becomes stale (connectors.md §10.4).
 *
 * <pre>{@code
 * @ServerEndpoint(value = "/chat", configurator = CaracalEndpointConfigurator.class)
 * public class Chat {
 *     @OnOpen  public void open(Session session)  { CaracalWebSockets.track(session); }
 *     @OnClose public void close(Session session) { CaracalWebSockets.untrack(session); }
 * }
 * // or programmatically:
 * ServerEndpointConfig.Builder.create(Chat.class, "/chat").configurator(new CaracalEndpointConfigurator()).build();
 * }</pre>
 *
 * <p><b>Filter order.</b> Tomcat's {@code WsFilter} runs after the application's filters, so
 * {@code CaracalFilter} (declared in {@code web.xml}, added with {@code Context.addFilterDef}/{@code addFilterMap},
 * or registered with {@code addMappingForUrlPatterns(..., false, "/*")}) answers an unauthenticated upgrade
 * with 401 before it. Jetty 12 puts its {@code WebSocketUpgradeFilter} <em>before</em> every other filter
 * unless the application registers that filter itself, under its class name, after {@code CaracalFilter}:
 *
 * <pre>{@code
 * context.addFilter(caracalHolder, "/*", EnumSet.of(DispatcherType.REQUEST));          // first
 * FilterHolder upgrade = new FilterHolder(new WebSocketUpgradeFilter());
 * upgrade.setName(WebSocketUpgradeFilter.class.getName());                          // Jetty reuses it by this name
 * upgrade.setAsyncSupported(true);
 * context.addFilter(upgrade, "/*", EnumSet.of(DispatcherType.REQUEST));              // after CaracalFilter
 * JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> ...);
 * }</pre>
 *
 * With that order an unauthenticated upgrade gets the filter's 401; without it, this configurator still
 * refuses the handshake (the container answers it with an error status, not 401) and logs a WARN.
 *
 * <p>Subclasses that override {@link #modifyHandshake} must call {@code super.modifyHandshake} first.
 * Everything else (endpoint instances, origin check, sub-protocols, extensions) is the container's default.
 * Thread-safe.
 */
public class CaracalEndpointConfigurator extends ServerEndpointConfig.Configurator {

    private static final Logger log = LoggerFactory.getLogger(CaracalEndpointConfigurator.class);

    /** A configurator; {@code @ServerEndpoint(configurator = ...)} instantiates it with this constructor. */
    public CaracalEndpointConfigurator() {
    }

    /**
     * Refuses a handshake that {@link CaracalFilter} did not verify, then applies the container's default.
     *
     * @throws IllegalStateException when the filter did not verify the handshake (the container then
     *                               fails the upgrade)
     */
    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        if (!(request.getUserPrincipal() instanceof CaracalPrincipal)) {
            log.warn("Caracal refused a WebSocket handshake to {} that CaracalFilter did not verify: map CaracalFilter to "
                    + "this path, before the container's upgrade filter (on Jetty 12 register WebSocketUpgradeFilter "
                    + "yourself after CaracalFilter)", config.getPath());
            throw new IllegalStateException("WebSocket handshake not verified by CaracalFilter");
        }
        super.modifyHandshake(config, request, response);
    }
}
