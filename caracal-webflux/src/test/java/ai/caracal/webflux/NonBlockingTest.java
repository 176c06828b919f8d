package ai.caracal.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.redis.RedisForTests;
import ai.caracal.revocation.redis.RedisRevocationStore;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TcpFaultProxy;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.Claims;
import ai.caracal.verify.MandateVerifier;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

/**
 * connectors.md §10.1: the filter never blocks an event loop. Every test runs with BlockHound watching
 * (see {@link BlockingCallGuard}), on a server with <b>one</b> event loop thread, so a request that held
 * it would also hold every other request: while one request waits for a stalled key set or a blackholed
 * Redis, an excluded path must still be answered, and the waiting request must fail closed at its
 * time-out. Redis is real ({@code CARACAL_TEST_REDIS_URL}, or an embedded server).
 */
@Tag("slow")
@CaracalTest
class NonBlockingTest {

    /** Long enough that a request still waiting when another one was answered proves the loop was free. */
    private static final Duration STALL = Duration.ofSeconds(8);
    private static final long WAIT_SECONDS = 40;

    @Test
    @DisplayName("a cold key set fetch and a Redis-backed check (one MGET) run without a blocking call; the handler continues on its own event loop, never on Lettuce's thread")
    void coldFetchAndRedisCheckNeverBlock(TestIssuer issuer) {
        RedisURI redis = RedisForTests.sharedUri();
        RedisClient client = RedisClient.create(redis);
        try (RedisRevocationStore store = RedisRevocationStore.builder().client(client)
                .keyPrefix(RedisForTests.unique("caracal:webflux") + ":").build()) {
            RedisForTests.awaitUsable(store);
            AtomicReference<String> thread = new AtomicReference<>();
            MandateVerifier verifier = issuer.verifier().revocations(store).build();
            try (NettyForTests server = NettyForTests.start(NettyForTests.app(echo(thread),
                    CaracalWebFilter.builder().verifier(verifier).build()), NettyForTests.singleLoop())) {
                String sid = "sid-" + UUID.randomUUID();
                String token = issuer.mint().sub("user-redis").sid(sid).agentSession().sign();

                HttpResponse<String> cold = Http.get(server.uri(), "/items", token);
                assertThat(cold.statusCode()).isEqualTo(200);
                assertThat(cold.body()).isEqualTo("user-redis");
                assertThat(thread.get()).startsWith("caracal-test-loop-");

                HttpResponse<String> warm = Http.get(server.uri(), "/items", token);
                assertThat(warm.statusCode()).as("key set held, Redis still asked").isEqualTo(200);
                // Answered before the filter looks or after, the chain goes on on the request's event loop.
                assertThat(thread.get()).startsWith("caracal-test-loop-");

                store.revoke(sid);
                HttpResponse<String> revoked = Http.get(server.uri(), "/items", token);
                assertThat(revoked.statusCode()).isEqualTo(401);
                assertThat(revoked.body()).startsWith("{\"error\":\"session_revoked\"");
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    @DisplayName("a hanging JWKS holds no event loop: other requests are served meanwhile, and the waiting one fails closed (invalid_token) at the fetch time-out")
    void hangingKeySetHoldsNoEventLoop(TestIssuer issuer) throws Exception {
        MandateVerifier verifier = issuer.verifier().jwksFetchTimeout(STALL).build();
        try (NettyForTests server = NettyForTests.start(NettyForTests.app(echo(new AtomicReference<>()),
                CaracalWebFilter.builder().verifier(verifier).exclude("/healthz").build()), NettyForTests.singleLoop())) {
            issuer.jwks().hang();
            CompletableFuture<HttpResponse<String>> waiting = Http.getAsync(server.uri(), "/items", issuer.mint().sign());
            Eventually.waitUntil(Duration.ofSeconds(WAIT_SECONDS), "the key set fetch started", () -> issuer.jwks().requests() == 1);

            HttpResponse<String> other = Http.get(server.uri(), "/healthz", null);

            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(waiting).as("the request waiting for the key set").isNotDone();
            HttpResponse<String> failed = waiting.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(failed.statusCode()).isEqualTo(401);
            assertThat(failed.body()).startsWith("{\"error\":\"invalid_token\"");
        }
    }

    @Test
    @DisplayName("a blackholed Redis holds no event loop: other requests are served meanwhile, and the waiting one fails closed (session_revoked) at the command time-out")
    void blackholedRedisHoldsNoEventLoop(TestIssuer issuer) throws Exception {
        RedisURI redis = RedisForTests.sharedUri();
        try (TcpFaultProxy proxy = TcpFaultProxy.start(redis.getHost(), redis.getPort())) {
            RedisClient client = RedisClient.create(RedisURI.builder(redis).withHost(proxy.host()).withPort(proxy.port()).build());
            try (RedisRevocationStore store = RedisRevocationStore.builder().client(client).commandTimeout(STALL)
                    .keyPrefix(RedisForTests.unique("caracal:webflux-blackhole") + ":").build()) {
                RedisForTests.awaitUsable(store);
                MandateVerifier verifier = issuer.verifier().revocations(store).build();
                try (NettyForTests server = NettyForTests.start(NettyForTests.app(echo(new AtomicReference<>()),
                        CaracalWebFilter.builder().verifier(verifier).exclude("/healthz").build()), NettyForTests.singleLoop())) {
                    String token = issuer.mint().agentSession().sign();
                    assertThat(Http.get(server.uri(), "/items", token).statusCode()).as("before the fault").isEqualTo(200);

                    proxy.blackhole();
                    CompletableFuture<HttpResponse<String>> waiting = Http.getAsync(server.uri(), "/items", token);
                    Eventually.waitUntil(Duration.ofSeconds(WAIT_SECONDS), "the MGET reached the blackhole", () -> proxy.swallowedBytes() > 0);

                    HttpResponse<String> other = Http.get(server.uri(), "/healthz", null);

                    assertThat(other.statusCode()).isEqualTo(200);
                    assertThat(waiting).as("the request waiting for Redis").isNotDone();
                    HttpResponse<String> failed = waiting.get(WAIT_SECONDS, TimeUnit.SECONDS);
                    assertThat(failed.statusCode()).isEqualTo(401);
                    assertThat(failed.body()).startsWith("{\"error\":\"session_revoked\"");
                }
            } finally {
                client.shutdown();
            }
        }
    }

    /** Answers 200 with the claims' sub (or {@code none}) and records the thread it ran on. */
    private static WebHandler echo(AtomicReference<String> thread) {
        return exchange -> {
            thread.set(Thread.currentThread().getName());
            ServerHttpResponse response = exchange.getResponse();
            byte[] body = CaracalExchanges.claims(exchange).map(Claims::sub).orElse("none").getBytes(StandardCharsets.UTF_8);
            return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
        };
    }
}
