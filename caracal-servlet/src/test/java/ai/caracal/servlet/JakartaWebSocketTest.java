package ai.caracal.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.jetty.JettyForTests;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.LiveConnections;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.ee10.websocket.servlet.WebSocketUpgradeFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * connectors.md §10.4 for Jakarta WebSocket endpoints on Jetty 12 (EE10) and Tomcat 10.1, with the JDK's
 * WebSocket client: CaracalFilter answers unauthenticated upgrades with 401 when it runs before the
 * container's upgrade filter (Tomcat: always; Jetty: when the application maps {@code WebSocketUpgradeFilter}
 * after it), {@link CaracalEndpointConfigurator} refuses handshakes the filter did not verify, and a tracked
 * session closes with 1008 and the error code as reason on revocation and at {@code exp}.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class JakartaWebSocketTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SESSIONS = "sessions";

    private final LiveFixtures resources = new LiveFixtures();

    @AfterEach
    void close() throws Exception {
        resources.close();
    }

    /** What the endpoints saw: per session id, whether {@link CaracalWebSockets#track} tracked it. */
    static final class Sessions {
        final Map<String, Boolean> tracked = new ConcurrentHashMap<>();
        final List<String> claimsSubjects = new CopyOnWriteArrayList<>();

        void opened(Session session) {
            tracked.put(session.getId(), CaracalWebSockets.track(session));
            CaracalWebSockets.claims(session).ifPresent(claims -> claimsSubjects.add(claims.sub()));
        }
    }

    /** A programmatic endpoint that tracks its sessions, echoes text and untracks on close. */
    public static final class Tracked extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            ((Sessions) config.getUserProperties().get(SESSIONS)).opened(session);
            session.addMessageHandler(String.class, text -> session.getAsyncRemote().sendText(text));
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            CaracalWebSockets.untrack(session);
        }
    }

    /** The annotated form, as the README shows it. */
    @ServerEndpoint(value = "/annotated", configurator = CaracalEndpointConfigurator.class)
    public static final class Annotated {
        static final Sessions SEEN = new Sessions();

        @OnOpen
        public void open(Session session) {
            SEEN.opened(session);
        }

        @OnClose
        public void close(Session session) {
            CaracalWebSockets.untrack(session);
        }
    }

    /** A plain servlet for everything that is not a WebSocket (Tomcat maps no default servlet). */
    static final class Plain extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write("plain");
        }
    }

    /** The JDK client's view of one WebSocket. */
    static final class Client implements WebSocket.Listener {
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final CompletableFuture<String> firstText = new CompletableFuture<>();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            firstText.complete(data.toString());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("error " + error);
        }
    }

    private static ServerEndpointConfig tracked(String path, Sessions sessions, boolean configurator) {
        ServerEndpointConfig.Builder builder = ServerEndpointConfig.Builder.create(Tracked.class, path);
        if (configurator) {
            builder.configurator(new CaracalEndpointConfigurator());
        }
        ServerEndpointConfig config = builder.build();
        config.getUserProperties().put(SESSIONS, sessions);
        return config;
    }

    /**
     * Jetty (with WebSocketUpgradeFilter mapped after CaracalFilter, as documented; {@code jetty-default}
     * leaves Jetty's own order) or Tomcat (the filter declared; {@code tomcat-dynamic}: registered through the
     * Servlet API after Tomcat's WebSocket initializer ran), with the filter on every path and the endpoints.
     */
    private URI serve(String container, CaracalFilter filter, Object... endpoints) {
        if (container.startsWith("jetty")) {
            JettyForTests jetty = new JettyForTests().filter(filter, "/*");
            if (container.equals("jetty")) {
                FilterHolder upgrade = new FilterHolder(new WebSocketUpgradeFilter());
                upgrade.setName(WebSocketUpgradeFilter.class.getName());
                upgrade.setAsyncSupported(true);
                jetty.filter(upgrade, "/*");
            }
            jetty.servlet(new Plain(), "/");
            JakartaWebSocketServletContainerInitializer.configure(jetty.context(), (servletContext, ws) -> {
                for (Object endpoint : endpoints) {
                    if (endpoint instanceof ServerEndpointConfig config) {
                        ws.addEndpoint(config);
                    } else {
                        ws.addEndpoint((Class<?>) endpoint);
                    }
                }
            });
            resources.add(jetty);
            return jetty.start();
        }
        if (container.equals("tomcat-dynamic")) {
            TomcatForTests tomcat = new TomcatForTests().servlet(new Plain(), "/").webSockets(endpoints)
                    .dynamicFilter(filter, "/*");
            resources.add(tomcat);
            return tomcat.start();
        }
        TomcatForTests tomcat = new TomcatForTests().filter(filter, "/*").servlet(new Plain(), "/").webSockets(endpoints);
        resources.add(tomcat);
        return tomcat.start();
    }

    private LiveConnections registry(TestIssuer issuer, Function<LiveConnections.Builder, LiveConnections.Builder> options) {
        return resources.registry(issuer, options);
    }

    private static CaracalFilter filter(MandateVerifier verifier, LiveConnections live, String... exclude) {
        return CaracalFilter.builder().verifier(verifier).liveConnections(live).exclude(exclude).build();
    }

    private static URI ws(URI base, String path) {
        return URI.create("ws://" + base.getAuthority() + path);
    }

    /** Opens a WebSocket; the handshake must succeed. */
    private static Client connect(URI uri, String token) throws Exception {
        Client client = new Client();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        client.socket = builder.buildAsync(uri, client).get(10, TimeUnit.SECONDS);
        return client;
    }

    /** @return the handshake's HTTP status: 101 when it succeeded */
    private static int handshakeStatus(URI uri, String token) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        Throwable failure = catchThrowable(() -> builder.buildAsync(uri, new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS).abort());
        if (failure == null) {
            return 101;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
        }
        throw new AssertionError("the handshake failed without an HTTP answer", failure);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat", "tomcat-dynamic"})
    @DisplayName("an upgrade without a token or with an invalid one gets the filter's 401; a verified one opens")
    void unauthenticatedUpgradeGets401(String container, TestIssuer issuer) throws Exception {
        Sessions sessions = new Sessions();
        URI base = serve(container, filter(issuer.verifier().build(), registry(issuer, b -> b)),
                tracked("/ws", sessions, false));

        assertThat(handshakeStatus(ws(base, "/ws"), null)).isEqualTo(401);
        assertThat(handshakeStatus(ws(base, "/ws"), "not-a-mandate")).isEqualTo(401);
        assertThat(sessions.tracked).as("no session opened").isEmpty();
        assertThat(handshakeStatus(ws(base, "/ws"), issuer.mint().sign())).isEqualTo(101);
    }

    @Test
    @DisplayName("Jetty's own order runs WebSocketUpgradeFilter before CaracalFilter; CaracalEndpointConfigurator still refuses the handshake")
    void jettyDefaultOrderIsCaughtByTheConfigurator(TestIssuer issuer) throws Exception {
        Sessions open = new Sessions();
        Sessions guarded = new Sessions();
        URI base = serve("jetty-default", filter(issuer.verifier().build(), registry(issuer, b -> b)),
                tracked("/open", open, false), tracked("/guarded", guarded, true));

        assertThat(handshakeStatus(ws(base, "/open"), null))
                .as("Jetty upgrades before the filter runs: why the upgrade filter must be mapped after it").isEqualTo(101);
        assertThat(handshakeStatus(ws(base, "/guarded"), null)).as("refused by the configurator").isNotEqualTo(101);
        assertThat(handshakeStatus(ws(base, "/guarded"), issuer.mint().sign()))
                .as("unverified even with a token: the filter never saw it").isNotEqualTo(101);
        assertThat(guarded.tracked).isEmpty();
        Eventually.waitUntil(WAIT, "the open endpoint saw its session", () -> open.tracked.size() == 1);
        assertThat(open.tracked.values()).containsExactly(false);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("a verified WebSocket closes with 1008 session_revoked when its sid is revoked; the registry forgets it")
    void revokedSessionClosesWith1008(String container, TestIssuer issuer) throws Exception {
        LiveConnections live = registry(issuer, b -> b.clock(issuer.clock()));
        Sessions sessions = new Sessions();
        URI base = serve(container, filter(issuer.verifier().build(), live), tracked("/ws", sessions, true));
        Client client = connect(ws(base, "/ws"), issuer.mint().sid("sid-ws").sign());
        client.socket.sendText("hello", true);
        assertThat(client.firstText.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
        assertThat(sessions.tracked.values()).containsExactly(true);
        assertThat(sessions.claimsSubjects).hasSize(1);
        assertThat(live.size()).isEqualTo(1);

        issuer.revoke("sid-ws");

        Eventually.waitUntil(WAIT, "the client receives the close frame", client.closed::isDone);
        assertThat(client.closed.get()).isEqualTo("1008 session_revoked");
        Eventually.waitUntil(WAIT, "the registry forgets the session", () -> live.size() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("a delegated WebSocket closes with 1008 delegation_stale when the zone's epoch moves past its claim")
    void staleSessionClosesWith1008(String container, TestIssuer issuer) throws Exception {
        issuer.setEpoch("zone-1", 5);
        LiveConnections live = registry(issuer, b -> b.clock(issuer.clock()));
        URI base = serve(container, filter(issuer.verifier().build(), live), tracked("/ws", new Sessions(), true));
        Client client = connect(ws(base, "/ws"), issuer.mint().delegationEdge().graphEpoch(5).sign());
        Eventually.waitUntil(WAIT, "the session is tracked", () -> live.size() == 1);

        issuer.advanceEpoch("zone-1");

        Eventually.waitUntil(WAIT, "the client receives the close frame", client.closed::isDone);
        assertThat(client.closed.get()).isEqualTo("1008 delegation_stale");
        Eventually.waitUntil(WAIT, "the registry forgets the session", () -> live.size() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("an annotated endpoint with CaracalEndpointConfigurator: 401 without a token, closed with 1008 on revocation")
    void annotatedEndpoint(String container, TestIssuer issuer) throws Exception {
        LiveConnections live = registry(issuer, b -> b.clock(issuer.clock()));
        URI base = serve(container, filter(issuer.verifier().build(), live), Annotated.class);
        assertThat(handshakeStatus(ws(base, "/annotated"), null)).isEqualTo(401);
        Client client = connect(ws(base, "/annotated"), issuer.mint().sid("sid-annotated").sign());
        Eventually.waitUntil(WAIT, "the session is tracked", () -> live.size() == 1);

        issuer.revoke("sid-annotated");

        Eventually.waitUntil(WAIT, "the client receives the close frame", client.closed::isDone);
        assertThat(client.closed.get()).isEqualTo("1008 session_revoked");
        Eventually.waitUntil(WAIT, "the registry forgets the session", () -> live.size() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("a verified WebSocket closes with 1008 invalid_token at its mandate's exp")
    void sessionClosesAtExpiry(String container, TestIssuer issuer) throws Exception {
        LiveConnections live = registry(issuer, b -> b.recheckInterval(Duration.ofHours(1)));
        Sessions sessions = new Sessions();
        URI base = serve(container, filter(issuer.verifier().clock(Clock.systemUTC()).build(), live),
                tracked("/ws", sessions, true));
        Instant exp = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 5);
        Client client = connect(ws(base, "/ws"), issuer.mint().issuedAt(exp.minusSeconds(60)).expiresAt(exp).sign());
        Eventually.waitUntil(WAIT, "the session is tracked", () -> live.size() == 1);

        Eventually.waitUntil(WAIT, "the client receives the close frame", client.closed::isDone);
        assertThat(client.closed.get()).isEqualTo("1008 invalid_token");
        assertThat(Instant.now()).as("not before exp").isAfterOrEqualTo(exp);
        Eventually.waitUntil(WAIT, "the registry forgets the session", () -> live.size() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("a WebSocket the client closes is untracked: the registry forgets it")
    void clientCloseUntracks(String container, TestIssuer issuer) throws Exception {
        LiveConnections live = registry(issuer, b -> b.clock(issuer.clock()));
        URI base = serve(container, filter(issuer.verifier().build(), live), tracked("/ws", new Sessions(), true));
        Client client = connect(ws(base, "/ws"), issuer.mint().sign());
        Eventually.waitUntil(WAIT, "the session is tracked", () -> live.size() == 1);

        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);

        Eventually.waitUntil(WAIT, "the registry forgets the session", () -> live.size() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    @DisplayName("an upgrade on an excluded path is not tracked and stays open; the configurator refuses it there")
    void excludedUpgradeIsNotTracked(String container, TestIssuer issuer) throws Exception {
        LiveConnections live = registry(issuer, b -> b.clock(issuer.clock()));
        Sessions sessions = new Sessions();
        URI base = serve(container, filter(issuer.verifier().build(), live, "/public"),
                tracked("/public/ws", sessions, false), tracked("/public/guarded", new Sessions(), true));
        Client client = connect(ws(base, "/public/ws"), issuer.mint().sid("sid-public").sign());
        client.socket.sendText("hello", true);
        assertThat(client.firstText.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
        assertThat(sessions.tracked.values()).containsExactly(false);
        assertThat(sessions.claimsSubjects).isEmpty();

        issuer.revoke("sid-public");
        live.recheckNow();

        assertThat(live.size()).isZero();
        assertThat(client.closed).isNotDone();
        assertThat(handshakeStatus(ws(base, "/public/guarded"), issuer.mint().sign())).isNotEqualTo(101);
    }
}
