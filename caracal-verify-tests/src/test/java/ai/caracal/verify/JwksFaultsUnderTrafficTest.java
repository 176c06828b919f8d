package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.JwksControl;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.TestJson;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * verification.md §3.3–§3.6 under sustained traffic: while {@value #CALLERS} threads call a verifier in
 * a loop, a faulty JWKS endpoint (slow, 5xx, garbage, oversized, redirecting, hanging, flapping) makes
 * every call fail closed with {@code invalid_token} within one fetch timeout (plus a generous margin,
 * a behavioural bound, not a performance goal), without piling up JWKS requests or threads; once the
 * fault clears, the same verifier accepts again. The stale window keeps serving cached keys while
 * refreshes fail, and stops at {@code jwksMaxStale}.
 *
 * <p>Short settings keep the class fast: a {@value #FETCH_TIMEOUT_MS} ms fetch timeout and about one
 * second of traffic per fault. Cache ages run on the issuer's {@link ai.caracal.testkit.TestClock},
 * except in the flapping-refresh test, whose cache runs on the system clock so that refreshes happen
 * while the traffic runs. The figures of each run are logged at INFO (no token bytes). Tagged
 * {@code slow}.
 */
@Tag("slow")
@CaracalTest
@DisplayName("JWKS faults under concurrent traffic (verification.md §3.3–§3.6)")
class JwksFaultsUnderTrafficTest {

    private static final Logger log = LoggerFactory.getLogger(JwksFaultsUnderTrafficTest.class);

    private static final int CALLERS = 8;
    private static final long FETCH_TIMEOUT_MS = 500;
    private static final Duration FETCH_TIMEOUT = Duration.ofMillis(FETCH_TIMEOUT_MS);
    private static final Duration TRAFFIC = Duration.ofMillis(1_200);
    /**
     * A call blocks for at most one fetch (§1). The margin absorbs scheduling on a loaded machine; a
     * call that waited for two fetches, or for a hung server, would exceed it.
     */
    private static final Duration CALL_BUDGET = FETCH_TIMEOUT.plus(Duration.ofMillis(1_500));
    /**
     * Library threads ({@code caracal-jwks-*} and the HTTP client's selector) allowed alive at once: at
     * most {@value #CALLERS} fetches are ever in flight together, and idle pool threads linger for a
     * minute, so a pile-up (threads growing with calls or time) would soon exceed this.
     */
    private static final int MAX_LIBRARY_THREADS = 2 * CALLERS + 1;
    /** A fast fault is answered after this delay, so that every caller arrives while the first fetch is in flight. */
    private static final Duration FAST_FAULT_DELAY = Duration.ofMillis(50);

    @BeforeAll
    static void warmUp(TestIssuer issuer) {
        Traffic.warmUpLibrary(issuer);
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                fault("slow beyond the fetch timeout (1.5 s delay)", true, (jwks, issuer) -> jwks.delay(Duration.ofMillis(1_500))),
                fault("endpoint never answers", true, (jwks, issuer) -> jwks.hang()),
                fault("status 500", false, (jwks, issuer) -> jwks.failWith(500)),
                fault("status 503", false, (jwks, issuer) -> jwks.failWith(503)),
                fault("garbage body", false, (jwks, issuer) -> jwks.serveRaw("<html>upstream error</html>")),
                fault("key set without usable keys", false, (jwks, issuer) -> jwks.serveRaw("{\"keys\":[]}")),
                fault("chunked body above 256 KiB", false, (jwks, issuer) -> jwks.oversize()),
                fault("Content-Length above 256 KiB", false, (jwks, issuer) -> jwks.oversizeDeclared()),
                fault("302 to the valid key set", false, (jwks, issuer) -> jwks.redirectTo(issuer.jwksUrl())));
    }

    private static Arguments fault(String name, boolean slow, BiConsumer<JwksControl, TestIssuer> inject) {
        return Arguments.of(name, slow, inject);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    @DisplayName("every call fails closed within one fetch timeout, requests and threads stay bounded, and the same verifier recovers")
    void faultFailsClosedWithoutPileUpAndRecovers(String name, boolean slow, BiConsumer<JwksControl, TestIssuer> inject,
                                                  TestIssuer issuer) throws Exception {
        MandateVerifier verifier = issuer.verifier().jwksFetchTimeout(FETCH_TIMEOUT).build();
        List<String> tokens = tokensPerCaller(issuer);
        if (!slow) {
            issuer.jwks().delay(FAST_FAULT_DELAY);
        }
        inject.accept(issuer.jwks(), issuer);

        Traffic traffic = Traffic.runFor(TRAFFIC, CALLERS, (caller, i) -> verifier.authenticate(tokens.get(caller)));
        int requests = issuer.jwks().requests();
        int concurrent = issuer.jwks().maxConcurrentRequests();
        log.info("fault [{}]: {} jwksRequests={} jwksMaxConcurrent={} budgetMs={}",
                name, traffic.summary(), requests, concurrent, CALL_BUDGET.toMillis());

        assertThat(traffic.thrown()).isEmpty();
        assertThat(traffic.calls()).isGreaterThanOrEqualTo(CALLERS);
        assertThat(traffic.outcomes()).containsOnlyKeys("invalid_token");
        assertThat(traffic.maxLatency()).isLessThanOrEqualTo(CALL_BUDGET);
        // V127: after the failed fetch, the next one waits for the failure back-off, which the frozen test
        // clock never leaves: every later call fails at once without asking the endpoint
        assertThat(requests).isEqualTo(1);
        assertThat(concurrent).isEqualTo(1);
        assertThat(traffic.maxLibraryThreads()).isLessThanOrEqualTo(MAX_LIBRARY_THREADS);
        assertThat(traffic.maxLiveThreads() - traffic.liveThreadsBefore())
                .isLessThanOrEqualTo(CALLERS + 1 + MAX_LIBRARY_THREADS);

        assertRecovers(issuer, verifier, tokens);
    }

    @Test
    @DisplayName("headers at once, then a body that dribbles past the fetch timeout: calls fail closed in time, each connection is dropped, the verifier recovers")
    void dribblingBodyFailsClosedAndReleasesTheConnection(TestIssuer issuer) throws Exception {
        AtomicBoolean healthy = new AtomicBoolean();
        AtomicInteger dribbling = new AtomicInteger();
        AtomicInteger maxDribbling = new AtomicInteger();
        String document = TestJson.jwks(issuer.publicJwk(issuer.zone()));
        try (StubHttpServer server = StubHttpServer.start(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (healthy.get()) {
                byte[] body = document.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            maxDribbling.accumulateAndGet(dribbling.incrementAndGet(), Math::max);
            try {
                dribble(exchange);
            } finally {
                dribbling.decrementAndGet();
            }
        })) {
            MandateVerifier verifier = issuer.verifier().issuer(server.url()).jwksFetchTimeout(FETCH_TIMEOUT).build();
            List<String> tokens = Stream.generate(() -> issuer.mint().claim("iss", server.url()).sign()).limit(CALLERS).toList();

            Traffic traffic = Traffic.runFor(TRAFFIC, CALLERS, (caller, i) -> verifier.authenticate(tokens.get(caller)));
            int requests = server.requests();
            log.info("fault [body dribbling past the timeout]: {} jwksRequests={} jwksMaxConcurrent={}",
                    traffic.summary(), requests, maxDribbling.get());

            assertThat(traffic.thrown()).isEmpty();
            assertThat(traffic.outcomes()).containsOnlyKeys("invalid_token");
            assertThat(traffic.maxLatency()).isLessThanOrEqualTo(CALL_BUDGET);
            assertThat(requests).isEqualTo(1);   // V127: the frozen test clock never leaves the back-off
            assertThat(maxDribbling.get()).isEqualTo(1);
            assertThat(traffic.maxLibraryThreads()).isLessThanOrEqualTo(MAX_LIBRARY_THREADS);
            // a client that gave up but kept the connection open would let the server write on for a minute
            Eventually.waitUntil(Duration.ofSeconds(5), "the verifier closed every dribbling connection",
                    () -> dribbling.get() == 0);

            healthy.set(true);
            issuer.clock().advance(JwksCache.DEFAULT_MAX_FAILURE_BACKOFF);
            List<AuthResult> results = ConcurrentCalls.run(CALLERS, caller -> verifier.authenticate(tokens.get(caller)));
            assertThat(results).allSatisfy(result -> assertThat(result).isOk());
            assertThat(server.requests()).isEqualTo(requests + 1);
        }
    }

    /** Sends a chunked 200 whose body grows by one space every 20 ms, for at most a minute or until the client leaves. */
    private static void dribble(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        try {
            body.write('{');
            body.flush();
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (System.nanoTime() < end) {
                Thread.sleep(20);
                body.write(' ');
                body.flush();
            }
        } catch (IOException clientLeft) {
            // expected: the verifier gave up on the fetch and closed the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @DisplayName("slow within the fetch timeout (200 ms delay): every call succeeds, one fetch serves all callers")
    void slowButTimelyJwksServesEveryCall(TestIssuer issuer) throws Exception {
        MandateVerifier verifier = issuer.verifier().jwksFetchTimeout(Duration.ofSeconds(2)).build();
        List<String> tokens = tokensPerCaller(issuer);
        issuer.jwks().delay(Duration.ofMillis(200));

        Traffic traffic = Traffic.runFor(Duration.ofMillis(600), CALLERS, (caller, i) -> verifier.authenticate(tokens.get(caller)));
        log.info("fault [slow within timeout]: {} jwksRequests={}", traffic.summary(), issuer.jwks().requests());

        assertThat(traffic.thrown()).isEmpty();
        assertThat(traffic.outcomes()).containsOnlyKeys("ok");
        assertThat(traffic.maxLatency()).isLessThanOrEqualTo(Duration.ofSeconds(2).plus(Duration.ofMillis(1_500)));
        assertThat(issuer.jwks().requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("a fresh verifier per call against a hanging JWKS: concurrent fetches never exceed the callers, threads stay bounded")
    void freshVerifiersPerCallDoNotPileUp(TestIssuer issuer) throws Exception {
        List<String> tokens = tokensPerCaller(issuer);
        issuer.jwks().hang();

        Traffic traffic = Traffic.runFor(TRAFFIC, CALLERS, (caller, i) ->
                issuer.verifier().jwksFetchTimeout(FETCH_TIMEOUT).build().authenticate(tokens.get(caller)));
        int requests = issuer.jwks().requests();
        log.info("fault [hang, fresh verifier per call]: {} jwksRequests={} jwksMaxConcurrent={}",
                traffic.summary(), requests, issuer.jwks().maxConcurrentRequests());

        assertThat(traffic.thrown()).isEmpty();
        assertThat(traffic.outcomes()).containsOnlyKeys("invalid_token");
        assertThat(traffic.maxLatency()).isLessThanOrEqualTo(CALL_BUDGET);
        // each call makes exactly one fetch of its own (a private cache per verifier), never more
        assertThat(requests).isEqualTo(traffic.calls());
        assertThat(traffic.maxLibraryThreads()).isLessThanOrEqualTo(MAX_LIBRARY_THREADS);
        assertThat(traffic.maxLiveThreads() - traffic.liveThreadsBefore())
                .isLessThanOrEqualTo(CALLERS + 1 + MAX_LIBRARY_THREADS);
    }

    @Test
    @DisplayName("flapping JWKS (503, good, 503, …) on a cold verifier: calls fail only until the first good fetch, which follows the failure back-off")
    void flappingColdJwksRejectsOnlyUntilTheFirstGoodFetch(TestIssuer issuer) throws Exception {
        // the system clock, so that the failure back-off (250 ms after the first, failed fetch) passes
        JwksCache cache = JwksCache.builder().clock(Clock.systemUTC()).fetchTimeout(FETCH_TIMEOUT).build();
        MandateVerifier verifier = MandateVerifier.builder()
                .issuer(issuer.url()).audience(issuer.audience()).zoneId(issuer.zone())
                .revocations(issuer.revocations()).clock(issuer.clock())
                .jwksCache(cache)
                .build();
        List<String> tokens = tokensPerCaller(issuer);
        issuer.jwks().flap(503).delay(Duration.ofMillis(50));
        int[] firstAccepted = new int[CALLERS];
        int[] lastRejected = new int[CALLERS];
        java.util.Arrays.fill(firstAccepted, -1);
        java.util.Arrays.fill(lastRejected, -1);

        Traffic traffic = Traffic.runFor(Duration.ofMillis(1_200), CALLERS, (caller, i) -> {
            AuthResult result = verifier.authenticate(tokens.get(caller));
            if (result.ok() && firstAccepted[caller] < 0) {
                firstAccepted[caller] = i;
            } else if (!result.ok()) {
                lastRejected[caller] = i;
            }
            return result;
        });
        log.info("fault [flapping, cold]: {} jwksRequests={}", traffic.summary(), issuer.jwks().requests());

        assertThat(traffic.thrown()).isEmpty();
        assertThat(traffic.outcomes()).containsKey("ok").containsOnlyKeys("ok", "invalid_token");
        assertThat(traffic.maxLatency()).isLessThanOrEqualTo(CALL_BUDGET);
        // the failed fetch, then, once the back-off passed, the good one; the fresh set then serves every call
        assertThat(issuer.jwks().requests()).isEqualTo(2);
        for (int caller = 0; caller < CALLERS; caller++) {
            assertThat(firstAccepted[caller]).as("first acceptance of caller %d", caller).isNotNegative();
            assertThat(lastRejected[caller]).as("last rejection of caller %d", caller).isLessThan(firstAccepted[caller]);
        }
    }

    @Test
    @DisplayName("flapping JWKS (503, good, 503, …) behind a warm cache: refreshes alternate at most once per cooldown, no call is rejected")
    void flappingRefreshesWithinTheStaleWindowRejectNothing(TestIssuer issuer) throws Exception {
        Duration cooldown = Duration.ofMillis(300);
        JwksCache cache = JwksCache.builder()
                .clock(Clock.systemUTC())
                .ttl(Duration.ofMillis(100))
                .maxStale(Duration.ofSeconds(2))
                .refetchCooldown(cooldown)
                .fetchTimeout(FETCH_TIMEOUT)
                .build();
        MandateVerifier verifier = MandateVerifier.builder()
                .issuer(issuer.url()).audience(issuer.audience()).zoneId(issuer.zone())
                .revocations(issuer.revocations()).clock(issuer.clock())
                .jwksCache(cache)
                .build();
        List<String> tokens = tokensPerCaller(issuer);
        assertThat(verifier.authenticate(tokens.get(0))).isOk();
        issuer.jwks().reset();
        issuer.jwks().flap(503);
        Duration length = Duration.ofMillis(1_500);

        Traffic traffic = Traffic.runFor(length, CALLERS, (caller, i) -> verifier.authenticate(tokens.get(caller)));
        int requests = issuer.jwks().requests();
        log.info("fault [flapping, warm, ttl 100 ms, cooldown 300 ms]: {} jwksRequests={} jwksMaxConcurrent={}",
                traffic.summary(), requests, issuer.jwks().maxConcurrentRequests());

        assertThat(traffic.thrown()).isEmpty();
        assertThat(traffic.outcomes()).containsOnlyKeys("ok");
        // at least one failed and one good refresh happened, and refreshes kept the cooldown (without it,
        // a failed refresh would be retried by the very next call)
        assertThat(requests).isBetween(2, (int) (length.toMillis() / cooldown.toMillis()) + 1);
    }

    static Stream<Arguments> refreshFaults() {
        return Stream.of(
                Arguments.of("status 503", (BiConsumer<JwksControl, TestIssuer>) (jwks, issuer) -> jwks.failWith(503)),
                Arguments.of("endpoint never answers", (BiConsumer<JwksControl, TestIssuer>) (jwks, issuer) -> jwks.hang()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refreshFaults")
    @DisplayName("refresh fault: stale keys serve every call without waiting until jwksMaxStale; after it every call fails closed; then the verifier recovers")
    void staleWindowServesThenFailsClosedThenRecovers(String name, BiConsumer<JwksControl, TestIssuer> inject,
                                                       TestIssuer issuer) throws Exception {
        Duration fetchTimeout = Duration.ofSeconds(2);
        MandateVerifier verifier = issuer.verifier()
                .jwksTtl(Duration.ofMinutes(1)).jwksMaxStale(Duration.ofMinutes(2))
                .jwksFetchTimeout(fetchTimeout).build();
        List<String> tokens = tokensPerCaller(issuer);
        assertThat(verifier.authenticate(tokens.get(0))).isOk();
        issuer.jwks().reset();
        inject.accept(issuer.jwks(), issuer);

        issuer.clock().advance(Duration.ofSeconds(90));
        Traffic stale = Traffic.runFor(Duration.ofMillis(600), CALLERS, (caller, i) -> verifier.authenticate(tokens.get(caller)));
        int staleRequests = issuer.jwks().requests();
        log.info("stale window [{}]: {} jwksRequests={}", name, stale.summary(), staleRequests);

        assertThat(stale.thrown()).isEmpty();
        assertThat(stale.outcomes()).containsOnlyKeys("ok");
        // served from the stale set: no call waits for the failing refresh, which may take the whole timeout
        assertThat(stale.maxLatency()).isLessThan(fetchTimeout.dividedBy(2));
        // one background refresh per cooldown, and the test clock does not move during the traffic
        assertThat(staleRequests).isEqualTo(1);

        issuer.clock().advance(Duration.ofSeconds(31));
        Traffic expired = Traffic.runFor(Duration.ofMillis(600), CALLERS, (caller, i) -> verifier.authenticate(tokens.get(caller)));
        log.info("past max stale [{}]: {} jwksRequests={}", name, expired.summary(), issuer.jwks().requests() - staleRequests);

        assertThat(expired.thrown()).isEmpty();
        assertThat(expired.outcomes()).containsOnlyKeys("invalid_token");
        assertThat(expired.maxLatency()).isLessThanOrEqualTo(fetchTimeout.plus(Duration.ofMillis(1_500)));

        assertRecovers(issuer, verifier, tokens);
    }

    /**
     * Clears the fault and lets the failure back-off pass (V128); the same verifier then accepts every
     * caller's token, through one fetch.
     */
    private static void assertRecovers(TestIssuer issuer, MandateVerifier verifier, List<String> tokens) throws Exception {
        issuer.jwks().reset();
        issuer.clock().advance(JwksCache.DEFAULT_MAX_FAILURE_BACKOFF);
        List<AuthResult> results = ConcurrentCalls.run(CALLERS, caller -> verifier.authenticate(tokens.get(caller)));
        assertThat(results).allSatisfy(result -> assertThat(result).isOk());
        assertThat(issuer.jwks().requests()).isEqualTo(1);
    }

    private static List<String> tokensPerCaller(TestIssuer issuer) {
        return Stream.generate(() -> issuer.mint().sign()).limit(CALLERS).toList();
    }
}
