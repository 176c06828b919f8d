package ai.caracal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.DelegationInvalidationConsumer;
import ai.caracal.revocation.redis.RedisForTests;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.servlet.CaracalFilter;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.ClaimNames;
import ai.caracal.verify.http.LiveConnections;
import ai.caracal.webflux.CaracalWebFilter;
import ai.caracal.webflux.CaracalWebSocketService;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.core.Disposable;

/**
 * Live connections through the starter (connectors.md §10.4): the filter of either stack gets the
 * context's {@link LiveConnections}; WebFlux applications get a {@link CaracalWebSocketService}, so a
 * verified WebSocket is closed with 1008 and the error code when its mandate is revoked; and a revocation
 * the starter's Redis consumer applies re-checks the open connections at once.
 */
@CaracalTest
class LiveConnectionsAutoConfigurationTest {

    /**
     * A WebSocket at {@code /ws} that stays open until the server or the client closes it. The
     * application names its own WebSocket service, as one on Reactor Netty with Tomcat also on the class
     * path must (Spring's default would pick Tomcat's upgrade strategy); the starter wraps it.
     */
    @Configuration(proxyBeanMethods = false)
    static class WebSocketFixture {
        @Bean
        HandlerMapping webSocketMapping() {
            WebSocketHandler holdOpen = session -> session.receive().then();
            return new SimpleUrlHandlerMapping(Map.of("/ws", holdOpen), -1);
        }

        @Bean
        WebFluxConfigurer nettyWebSockets() {
            return new WebFluxConfigurer() {
                @Override
                public WebSocketService getWebSocketService() {
                    return new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy());
                }
            };
        }
    }

    @Test
    void bothFiltersUseTheContextsRegistry(TestIssuer issuer) {
        try (TestApp servlet = TestApp.with(issuer).sources(EchoFixture.class)
                .property("caracal.live-connections.recheck-interval", "750ms").start()) {
            LiveConnections live = servlet.bean(LiveConnections.class);
            assertThat(live.recheckInterval()).isEqualTo(Duration.ofMillis(750));
            @SuppressWarnings("unchecked")
            CaracalFilter filter = ((FilterRegistrationBean<CaracalFilter>) servlet.context().getBean(CaracalFilters.NAME)).getFilter();
            assertThat(filter.boundary().liveConnections()).isSameAs(live);
        }
        try (TestApp reactive = TestApp.with(issuer).reactive().sources(WebSocketFixture.class).start()) {
            LiveConnections live = reactive.bean(LiveConnections.class);
            assertThat(live.recheckInterval()).isEqualTo(LiveConnections.DEFAULT_RECHECK_INTERVAL);
            assertThat(reactive.bean(CaracalWebFilter.class).boundary().liveConnections()).isSameAs(live);
        }
    }

    @Test
    void aRevokedMandatesWebSocketIsClosedWith1008(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).reactive().sources(WebSocketFixture.class)
                .property("caracal.live-connections.recheck-interval", "200ms").start()) {
            MandateBuilder mandate = Mandates.now(issuer);
            String sid = (String) mandate.claims().get(ClaimNames.SID);
            OpenSocket socket = OpenSocket.open(app, mandate.sign());
            try {
                Eventually.waitUntil(Duration.ofSeconds(20), "the WebSocket to be tracked",
                        () -> app.bean(LiveConnections.class).size() == 1);
                assertThat(socket.closed.get()).isNull();

                app.bean(RevocationStore.class).revoke(sid, Duration.ofMinutes(5));

                Eventually.waitUntil(Duration.ofSeconds(20), "the WebSocket to be closed", () -> socket.closed.get() != null);
                assertThat(socket.closed.get().getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
                assertThat(socket.closed.get().getReason()).isEqualTo("session_revoked");
            } finally {
                socket.connection.dispose();
            }
        }
    }

    @Test
    void theWebSocketServiceCanBeTurnedOff(TestIssuer issuer) {
        try (TestApp on = TestApp.with(issuer).reactive().sources(WebSocketFixture.class).start()) {
            assertThat(on.bean(WebSocketHandlerAdapter.class).getWebSocketService()).isInstanceOf(CaracalWebSocketService.class);
        }
        try (TestApp off = TestApp.with(issuer).reactive().sources(WebSocketFixture.class)
                .property("caracal.live-connections.web-socket-service", "false").start()) {
            assertThat(off.bean(WebSocketHandlerAdapter.class).getWebSocketService()).isInstanceOf(HandshakeWebSocketService.class);
        }
    }

    /**
     * The re-check interval is an hour, so only the consumer's listener can end the socket within the
     * wait: it re-checks when the consumer applies the revocation.
     */
    @Test
    void aRevocationTheConsumerAppliesRechecksAtOnce(TestIssuer issuer) {
        String revocationGroup = RedisForTests.unique("revocation");
        String delegationGroup = RedisForTests.unique("delegation");
        RedisClient client = RedisClient.create(RedisForTests.sharedUri());
        StatefulRedisConnection<String, String> connection = client.connect();
        try (TestApp app = TestApp.with(issuer).reactive().without("caracal.revocation.store").sources(WebSocketFixture.class)
                     .property("caracal.revocation.redis.url", RedisForTests.sharedUri().toURI())
                     .property("caracal.revocation.redis.key-prefix", RedisForTests.unique("caracal-live") + ":")
                     .property("caracal.revocation.redis.consumer.revocation-group", revocationGroup)
                     .property("caracal.revocation.redis.consumer.delegation-group", delegationGroup)
                     .property("caracal.revocation.redis.consumer.block", "200ms")
                     .property("caracal.live-connections.recheck-interval", "1h").start()) {
            RedisForTests.awaitUsable(app.bean(RevocationStore.class));
            MandateBuilder mandate = Mandates.now(issuer);
            String sid = (String) mandate.claims().get(ClaimNames.SID);
            OpenSocket socket = OpenSocket.open(app, mandate.sign());
            try {
                Eventually.waitUntil(Duration.ofSeconds(20), "the WebSocket to be tracked",
                        () -> app.bean(LiveConnections.class).size() == 1);

                connection.sync().xadd(RedisRevocationConsumer.DEFAULT_STREAM, Map.of("session_id", sid));

                Eventually.waitUntil(Duration.ofSeconds(20), "the WebSocket to be closed", () -> socket.closed.get() != null);
                assertThat(socket.closed.get().getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
                assertThat(socket.closed.get().getReason()).isEqualTo("session_revoked");
            } finally {
                socket.connection.dispose();
            }
        } finally {
            destroyGroup(connection, RedisRevocationConsumer.DEFAULT_STREAM, revocationGroup);
            destroyGroup(connection, DelegationInvalidationConsumer.DEFAULT_STREAM, delegationGroup);
            client.shutdown();
        }
    }

    /** A client WebSocket to {@code /ws} and the close status the server sent, once it is closed. */
    private record OpenSocket(Disposable connection, AtomicReference<CloseStatus> closed) {

        static OpenSocket open(TestApp app, String token) {
            HttpHeaders headers = new HttpHeaders();
            headers.setBearerAuth(token);
            AtomicReference<CloseStatus> closed = new AtomicReference<>();
            URI uri = URI.create(app.uri("/ws").toString().replaceFirst("^http", "ws"));
            Disposable connection = new ReactorNettyWebSocketClient().execute(uri, headers,
                    session -> session.closeStatus().doOnNext(closed::set).then()).subscribe();
            return new OpenSocket(connection, closed);
        }
    }

    private static void destroyGroup(StatefulRedisConnection<String, String> connection, String stream, String group) {
        try {
            connection.sync().xgroupDestroy(stream, group);
        } catch (RedisException e) {
            // The group was never created (the test failed before): nothing to clean up.
        }
    }
}
