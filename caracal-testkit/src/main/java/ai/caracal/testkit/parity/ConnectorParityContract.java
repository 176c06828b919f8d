package ai.caracal.testkit.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.attacks.AttackContext;
import ai.caracal.testkit.attacks.AttackHttpReport;
import ai.caracal.testkit.attacks.AttackHttpRunner;
import ai.caracal.testkit.attacks.AttackerOrigin;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

// Why this file is long: it is the parity matrix of connectors.md §9, one final test method per row
// (P1–P46) in the table's order, plus the connector lifecycle all rows share. A connector's parity test
// extends this one class; splitting the rows over several classes would make every connector write
// several subclasses and start its connector once per class. Sending requests and checking rejections
// already live in ParityClient, ParityResponse and ExpectedRejection.

/**
 * The parity matrix of connectors.md §9 (rows P1–P46; P46 is the early answer of §10.3) as one JUnit 5 test per row, for any HTTP
 * connector. Each test's display name starts with its row id.
 *
 * <pre>{@code
 * class JdkHttpParityTest extends ConnectorParityContract {
 *     private HttpServer server;
 *
 *     @Override
 *     protected URI start(ParityFixture f) throws IOException {
 *         CaracalHttpFilter.Builder filter = CaracalHttpFilter.builder().verifier(f.verifier())
 *                 .exclude(f.excludes().toArray(String[]::new))
 *                 .permitPreflight(f.permitPreflight()).wwwAuthenticate(f.wwwAuthenticate());
 *         f.routes().forEach(filter::route);
 *         server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
 *         server.createContext("/", exchange -> { f.countHandlerCall(); ...write ParityFixture.echoBody(claims)... })
 *               .getFilters().add(filter.build());
 *         server.start();
 *         return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
 *     }
 *
 *     @Override
 *     protected void stop() { server.stop(0); }
 * }
 * }</pre>
 *
 * <p>What a subclass does:
 * <ul>
 *   <li>{@link #start(ParityFixture)}: start the connector configured from the fixture, in front of the
 *       fixture's echo handler (see {@link ParityFixture}) on every path, on {@code 127.0.0.1}, and return
 *       the base URI: {@code http://127.0.0.1:<port>}, possibly with a servlet context path. Rows append
 *       paths such as {@code /items} to it, and the fixture's prefixes are relative to it. The contract
 *       calls it with at most one connector running: once for the shared default fixture, and afresh
 *       for the rows that need their own (P33, P34, P39, P40, P41, P43).</li>
 *   <li>{@link #stop()}: stop what the last {@code start} started.</li>
 *   <li>optionally {@link #unsupportedRows()}: rows about a capability the connector's platform does
 *       not have. Only such rows may be named (P45, WebSocket upgrades); each is reported as
 *       skipped with its reason, and naming any other row fails the whole class.</li>
 * </ul>
 *
 * <p>The contract owns a {@link TestIssuer} (zone {@value ParityFixture#ZONE}, audience
 * {@value ParityFixture#AUDIENCE}) for the class, mints mandates at the current wall-clock time, and
 * uses one instance for all rows ({@link TestInstance.Lifecycle#PER_CLASS}). Requests go through the JDK
 * {@code HttpClient}, or a raw socket where exact bytes matter; every wait is bounded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConnectorParityContract {

    /** Rows that test a capability a platform may lack, with that capability. */
    private static final Map<String, String> SKIPPABLE = Map.of("P45", "WebSocket upgrades");

    /**
     * P46: more than containers take in on their own before closing the connection (measured: Tomcat
     * 10.1 copes with 4 MiB but not 12 MiB, the JDK server drains 64 KiB, Jetty 12 nothing), and less
     * than the default drain limit (16 MiB, the MCP Java SDK transport's default maximum request size).
     */
    private static final int EARLY_ANSWER_BODY_BYTES = 12 * 1024 * 1024;

    /** P39: the spec's bound for a hanging key set endpoint. */
    private static final Duration COLD_HANG_BOUND = Duration.ofSeconds(6);

    private enum Setup { DEFAULT, PREFLIGHT, NO_CHALLENGE, FAIL_CLOSED_STORE, JWKS_HANGS, JWKS_FAILS }

    private final ParityClient client = new ParityClient();
    private TestIssuer issuer;
    private Setup setup = Setup.DEFAULT;
    private ParityFixture fixture;
    private Setup running;
    private URI base;

    /**
     * Starts the connector under test for one fixture.
     *
     * @param fixture what to configure and which handler contract to honour
     * @return the base URI, for example {@code http://127.0.0.1:41234}
     * @throws Exception when the connector cannot start (the rows using it fail)
     */
    protected abstract URI start(ParityFixture fixture) throws Exception;

    /**
     * Stops the connector the last {@link #start(ParityFixture)} started.
     *
     * @throws Exception when it cannot stop
     */
    protected abstract void stop() throws Exception;

    /**
     * @return ids of rows whose capability this connector's platform lacks (only P45, WebSocket
     *         upgrades, may be named); default none
     */
    protected Set<String> unsupportedRows() {
        return Set.of();
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    @BeforeAll
    final void startIssuer() {
        Set<String> unsupported = new TreeSet<>(unsupportedRows());
        unsupported.removeAll(SKIPPABLE.keySet());
        if (!unsupported.isEmpty()) {
            fail(getClass().getSimpleName() + ".unsupportedRows() names " + unsupported
                    + ", which do not test a missing capability; only " + SKIPPABLE.keySet() + " may be skipped");
        }
        issuer = TestIssuer.start(ParityFixture.ZONE, ParityFixture.AUDIENCE);
    }

    @BeforeEach
    final void skipUnsupportedRow(TestInfo test) {
        String row = test.getDisplayName().split(" ", 2)[0];
        if (unsupportedRows().contains(row)) {
            Assumptions.abort(row + " skipped: " + getClass().getSimpleName() + " declares " + SKIPPABLE.get(row)
                    + " unsupported on its platform");
        }
        setup = Setup.DEFAULT;
        issuer.jwks().reset();
    }

    @AfterEach
    final void stopOneOffConnector() throws Exception {
        issuer.jwks().reset();
        if (running != null && running != Setup.DEFAULT) {
            stopRunning();
        }
    }

    @AfterAll
    final void stopEverything() throws Exception {
        try {
            if (running != null) {
                stopRunning();
            }
        } finally {
            if (issuer != null) {
                issuer.close();
            }
        }
    }

    /** Makes the current row run on its own freshly started connector with this setup. */
    private void with(Setup own) {
        setup = own;
    }

    /** The running connector for the current row's setup, started if needed. */
    private URI connector() {
        if (running == setup) {
            return base;
        }
        if (running != null) {
            try {
                stopRunning();
            } catch (Exception e) {
                throw new AssertionError("stop() failed", e);
            }
        }
        RevocationStore store = setup == Setup.FAIL_CLOSED_STORE ? new FailClosedStore() : InMemoryRevocationStore.builder().build();
        fixture = new ParityFixture(issuer.url(), store, setup == Setup.PREFLIGHT, setup != Setup.NO_CHALLENGE);
        if (setup == Setup.JWKS_HANGS) {
            issuer.jwks().hang();
        } else if (setup == Setup.JWKS_FAILS) {
            issuer.jwks().failWith(503);
        }
        URI started;
        try {
            started = start(fixture);
        } catch (Exception e) {
            throw new AssertionError("start(" + fixture + ") failed", e);
        }
        assertNotNull(started, "start() returned no URI");
        running = setup;
        base = URI.create(started.toString().replaceAll("/+$", ""));
        return base;
    }

    /** The fixture of the running connector (starting it if needed), for rows that change its store. */
    private ParityFixture fixture() {
        connector();
        return fixture;
    }

    private void stopRunning() throws Exception {
        running = null;
        base = null;
        stop();
    }

    // ---- requests and checks --------------------------------------------------------------------

    /** A baseline mandate minted now: scope {@code read}, {@code sub=user-1}, zone {@code zone-1}. */
    private MandateBuilder mint() {
        issuer.clock().set(Instant.now());
        return issuer.mint();
    }

    /** The row's {@code t}: a valid baseline mandate. */
    private String t() {
        return mint().sign();
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    /** @param headers name, value, … */
    private Send get(String target, String... headers) {
        return send("GET", target, headers);
    }

    private Send send(String method, String target, String... headers) {
        return () -> client.send(connector(), method, target, ParityClient.REQUEST_TIMEOUT, headers);
    }

    /** Exact bytes over a socket. */
    private Send raw(String method, String target, String... headers) {
        return () -> client.raw(connector(), method, target, headers);
    }

    /** A request, sent once its connector is running. */
    @FunctionalInterface
    private interface Send {
        ParityResponse send();
    }

    /** The request must be rejected exactly as specified, and the handler must not run. */
    private ParityResponse expectRejected(ExpectedRejection expected, Send request) {
        connector();
        int before = fixture.handlerCalls();
        ParityResponse response = request.send();
        expected.assertMatches(response, fixture.wwwAuthenticate());
        assertEquals(before, fixture.handlerCalls(), "the handler ran for a rejected request");
        return response;
    }

    /**
     * The request must reach the handler once and get the echo of {@code sub}. For {@code null} (no
     * claims), a verified request goes first, so claims that outlive their request (a thread-local not
     * cleared, a shared attribute) show up on the row's request.
     */
    private void expectEchoed(String sub, Send request) {
        if (sub == null) {
            expectEchoed("user-before", get("/items", "Authorization", bearer(mint().sub("user-before").sign())));
        }
        connector();
        int before = fixture.handlerCalls();
        ParityResponse response = request.send();
        assertEquals(200, response.status(), () -> "status: " + response);
        assertEquals(ParityFixture.echo(sub), response.body(), "echoed claims");
        assertEquals(before + 1, fixture.handlerCalls(), "handler calls");
    }

    // ---- P1-P7: credential extraction -----------------------------------------------------------

    @Test
    @DisplayName("P1 no Authorization → 401 missing_token, WWW-Authenticate: Bearer")
    final void noAuthorizationIsMissingToken() {
        expectRejected(ExpectedRejection.missingToken(), get("/items"));
    }

    @Test
    @DisplayName("P2 Authorization: Basic abc → 401 missing_token")
    final void basicSchemeIsMissingToken() {
        expectRejected(ExpectedRejection.missingToken(), get("/items", "Authorization", "Basic abc"));
    }

    @Test
    @DisplayName("P3 Authorization: Bearer (no token) → 401 missing_token")
    final void bareBearerIsMissingToken() {
        expectRejected(ExpectedRejection.missingToken(), get("/items", "Authorization", "Bearer"));
    }

    @Test
    @DisplayName("P4 Authorization: Bearer + spaces → 401 missing_token")
    final void blankBearerIsMissingToken() {
        expectRejected(ExpectedRejection.missingToken(), raw("GET", "/items", "Authorization", "Bearer   "));
    }

    @Test
    @DisplayName("P5 authorization: bearer t (lower-case name and scheme) → 200, sub echoed")
    final void headerNameAndSchemeAreCaseInsensitive() {
        expectEchoed("user-1", raw("GET", "/items", "authorization", "bearer " + t()));
    }

    @Test
    @DisplayName("P6 Authorization: Bearer<TAB> t<SP><SP> → 200, sub echoed")
    final void whitespaceAroundTheTokenIsStripped() {
        expectEchoed("user-1", raw("GET", "/items", "Authorization", "Bearer\t " + t() + "  "));
    }

    @Test
    @DisplayName("P7 Bearer not.a.jwt → 401 invalid_token, WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"Mandate rejected\"")
    final void malformedTokenIsInvalidToken() {
        expectRejected(ExpectedRejection.invalidToken(), get("/items", "Authorization", bearer("not.a.jwt")));
    }

    // ---- P8-P14: verification outcomes on the default rule --------------------------------------

    @Test
    @DisplayName("P8 t with exp in the past → 401 invalid_token")
    final void expiredMandateIsInvalidToken() {
        Instant now = Instant.now();
        String expired = mint().issuedAt(now.minusSeconds(700)).expiresAt(now.minusSeconds(60)).sign();
        expectRejected(ExpectedRejection.invalidToken(), get("/items", "Authorization", bearer(expired)));
    }

    @Test
    @DisplayName("P9 t with aud [https://other.test] → 401 invalid_token")
    final void otherAudienceIsInvalidToken() {
        String token = mint().audience("https://other.test").sign();
        expectRejected(ExpectedRejection.invalidToken(), get("/items", "Authorization", bearer(token)));
    }

    @Test
    @DisplayName("P10 t with zone_id zone-2, signed by the zone-1 key → 401 invalid_zone")
    final void otherZoneIsInvalidZone() {
        String token = mint().zoneId("zone-2").sign();
        expectRejected(ExpectedRejection.invalidZone(), get("/items", "Authorization", bearer(token)));
    }

    @Test
    @DisplayName("P11 t → 200 {\"sub\":\"user-1\"}")
    final void validMandateReachesTheHandler() {
        expectEchoed("user-1", get("/items", "Authorization", bearer(t())));
    }

    @Test
    @DisplayName("P12 t with scope write → 403 insufficient_scope (read), challenge with scope=\"read\"")
    final void missingDefaultScopeIsInsufficientScope() {
        String token = mint().scope("write").sign();
        expectRejected(ExpectedRejection.insufficientScope("read"), get("/items", "Authorization", bearer(token)));
    }

    @Test
    @DisplayName("P13 t whose sid is revoked in the store → 401 session_revoked")
    final void revokedSessionIsSessionRevoked() {
        String sid = "sid-" + UUID.randomUUID();
        String token = mint().sid(sid).sign();
        fixture().revocations().revoke(sid);
        expectRejected(ExpectedRejection.sessionRevoked(), get("/items", "Authorization", bearer(token)));
    }

    @Test
    @DisplayName("P14 t with delegation_graph_epoch 1 while the store epoch of zone-1 is 2 → 401 delegation_stale")
    final void olderGraphEpochIsDelegationStale() {
        String token = mint().graphEpoch(1).sign();
        fixture().revocations().advanceDelegationEpoch(ParityFixture.ZONE, 2);
        expectRejected(ExpectedRejection.delegationStale(), get("/items", "Authorization", bearer(token)));
    }

    // ---- P15-P25: routes ------------------------------------------------------------------------

    @Test
    @DisplayName("P15 /payouts/create with t → 403 insufficient_scope (payout)")
    final void payoutsRouteNeedsPayoutScope() {
        expectRejected(ExpectedRejection.insufficientScope("payout"), get("/payouts/create", "Authorization", bearer(t())));
    }

    @Test
    @DisplayName("P16 /payouts/create, scope payout, no agent → 403 agent_required")
    final void payoutsRouteNeedsAnAgent() {
        String token = mint().scope("payout").sign();
        expectRejected(ExpectedRejection.agentRequired(), get("/payouts/create", "Authorization", bearer(token)));
    }

    @Test
    @DisplayName("P17 /payouts/create, scope payout + agent_session_id → 200, sub echoed")
    final void payoutsRouteAcceptsAnAgentWithPayout() {
        String token = mint().scope("payout").agentSession().sign();
        expectEchoed("user-1", get("/payouts/create", "Authorization", bearer(token)));
    }

    @Test
    @DisplayName("P18 /payouts, scope payout + agent → 200, sub echoed")
    final void routePrefixItselfMatches() {
        String token = mint().scope("payout").agentSession().sign();
        expectEchoed("user-1", get("/payouts", "Authorization", bearer(token)));
    }

    @Test
    @DisplayName("P19 /payoutsX with t → 200 (default rule: not a segment boundary)")
    final void prefixMatchesOnlyAtSegmentBoundary() {
        expectEchoed("user-1", get("/payoutsX", "Authorization", bearer(t())));
    }

    @Test
    @DisplayName("P20 /payouts/bulk/run, scope payout + agent → 403 insufficient_scope (payout:bulk)")
    final void longestPrefixWins() {
        String token = mint().scope("payout").agentSession().sign();
        expectRejected(ExpectedRejection.insufficientScope("payout:bulk"), get("/payouts/bulk/run", "Authorization", bearer(token)));
    }

    @Test
    @DisplayName("P21 /payouts/bulk/run, scope payout:bulk, no agent → 200 (rules do not stack)")
    final void rulesDoNotStack() {
        String token = mint().scope("payout:bulk").sign();
        expectEchoed("user-1", get("/payouts/bulk/run", "Authorization", bearer(token)));
    }

    @Test
    @DisplayName("P22 /delegated/x with t (no edge) → 403 delegation_required")
    final void delegatedRouteNeedsAnEdge() {
        expectRejected(ExpectedRejection.delegationRequired(), get("/delegated/x", "Authorization", bearer(t())));
    }

    @Test
    @DisplayName("P23 /delegated/x, edge, chain [app-child] → 403 chain_mismatch")
    final void delegatedRouteNeedsTheParentInTheChain() {
        String token = mint().delegationEdge().chain("app-child").sign();
        expectRejected(ExpectedRejection.chainMismatch("app-parent"), get("/delegated/x", "Authorization", bearer(token)));
    }

    @Test
    @DisplayName("P24 /delegated/x, edge, chain [app-parent], hop_count 3 → 403 hop_count_exceeded")
    final void delegatedRouteLimitsHops() {
        String token = mint().delegationEdge().chain("app-parent").hopCount(3).sign();
        expectRejected(ExpectedRejection.hopCountExceeded(), get("/delegated/x", "Authorization", bearer(token)));
    }

    @Test
    @DisplayName("P25 /delegated/x, edge, chain [app-parent], hop_count 2 → 200, sub echoed")
    final void delegatedRouteAcceptsAValidDelegation() {
        String token = mint().delegationEdge().chain("app-parent").hopCount(2).sign();
        expectEchoed("user-1", get("/delegated/x", "Authorization", bearer(token)));
    }

    // ---- P26-P30: exclude and paths -------------------------------------------------------------

    @Test
    @DisplayName("P26 /healthz, no token → 200 {\"sub\":null}")
    final void excludedPathPasses() {
        expectEchoed(null, get("/healthz"));
    }

    @Test
    @DisplayName("P27 /healthz/live, no token → 200 {\"sub\":null}")
    final void pathBelowExcludedPrefixPasses() {
        expectEchoed(null, get("/healthz/live"));
    }

    @Test
    @DisplayName("P28 /healthz with t → 200 {\"sub\":null} (excluded means not verified, no claims)")
    final void excludedPathCarriesNoClaims() {
        expectEchoed(null, get("/healthz", "Authorization", bearer(t())));
    }

    @Test
    @DisplayName("P29 /healthzX, no token → 401 missing_token")
    final void excludeMatchesOnlyAtSegmentBoundary() {
        expectRejected(ExpectedRejection.missingToken(), get("/healthzX"));
    }

    @Test
    @DisplayName("P30 raw path /healthz/../items, no token → 401 (or 400 from the container), never 2xx, handler not called")
    final void dotDotNeverEscapesIntoAnExclusion() {
        connector();
        int before = fixture.handlerCalls();
        ParityResponse response = raw("GET", "/healthz/../items").send();
        assertTrue(response.status() == 401 || response.status() == 400, () -> "expected 401 or 400: " + response);
        if (response.status() == 401) {
            ExpectedRejection.missingToken().assertMatches(response, true);
        }
        assertEquals(before, fixture.handlerCalls(), "the handler ran for a non-canonical path");
    }

    // ---- P31-P34: methods -----------------------------------------------------------------------

    @Test
    @DisplayName("P31 HEAD, no token → 401, no body, same headers as P1")
    final void headIsVerifiedWithoutBody() {
        ParityResponse get = send("GET", "/items").send();
        connector();
        int before = fixture.handlerCalls();
        ParityResponse head = send("HEAD", "/items").send();
        assertEquals(401, head.status(), () -> "status: " + head);
        assertEquals("", head.body(), "HEAD body");
        for (String name : List.of("Content-Type", "Cache-Control", "WWW-Authenticate")) {
            assertEquals(get.headers(name), head.headers(name), name + " of HEAD vs GET");
        }
        assertEquals(List.of("Bearer"), head.headers("WWW-Authenticate"));
        assertEquals(before, fixture.handlerCalls(), "the handler ran for HEAD");
    }

    @Test
    @DisplayName("P32 OPTIONS with Origin + Access-Control-Request-Method, no token → 401 missing_token")
    final void preflightIsVerifiedByDefault() {
        expectRejected(ExpectedRejection.missingToken(), send("OPTIONS", "/items",
                "Origin", "https://app.example", "Access-Control-Request-Method", "POST"));
    }

    @Test
    @DisplayName("P33 as P32 with permitPreflight=true → 200 {\"sub\":null}")
    final void permittedPreflightPasses() {
        with(Setup.PREFLIGHT);
        expectEchoed(null, send("OPTIONS", "/items", "Origin", "https://app.example", "Access-Control-Request-Method", "POST"));
    }

    @Test
    @DisplayName("P34 OPTIONS without Origin, permitPreflight=true, no token → 401 missing_token")
    final void optionsWithoutOriginIsVerified() {
        with(Setup.PREFLIGHT);
        expectRejected(ExpectedRejection.missingToken(), send("OPTIONS", "/items", "Access-Control-Request-Method", "POST"));
    }

    // ---- P35-P38: what is not a credential ------------------------------------------------------

    @Test
    @DisplayName("P35 two Authorization headers, Bearer t then Bearer junk → 401 invalid_token")
    final void validThenJunkHeaderIsAmbiguous() {
        expectRejected(ExpectedRejection.invalidToken(),
                raw("GET", "/items", "Authorization", bearer(t()), "Authorization", bearer("junk")));
    }

    @Test
    @DisplayName("P36 two Authorization headers, Bearer junk then Bearer t → 401 invalid_token")
    final void junkThenValidHeaderIsAmbiguous() {
        expectRejected(ExpectedRejection.invalidToken(),
                raw("GET", "/items", "Authorization", bearer("junk"), "Authorization", bearer(t())));
    }

    @Test
    @DisplayName("P37 X-Caracal-Identity: t, no Authorization → 401 missing_token")
    final void identityHeaderIsNotACredential() {
        expectRejected(ExpectedRejection.missingToken(), get("/items", "X-Caracal-Identity", t()));
    }

    @Test
    @DisplayName("P38 /items?access_token=t, no header → 401 missing_token")
    final void queryParameterIsNotACredential() {
        expectRejected(ExpectedRejection.missingToken(), get("/items?access_token=" + t()));
    }

    // ---- P39-P41: unavailable dependencies fail closed ------------------------------------------

    @Test
    @DisplayName("P39 cold key cache, JWKS endpoint hangs → 401 invalid_token within 6 s")
    final void hangingKeySetFailsClosedInTime() {
        with(Setup.JWKS_HANGS);
        String token = t();
        // The connector is fresh: a request without a token pays its start-up costs (lazy servlet set-up,
        // class loading) and leaves the key cache cold, so the 6 s measure the key fetch alone.
        expectRejected(ExpectedRejection.missingToken(), get("/items"));
        expectRejected(ExpectedRejection.invalidToken(),
                () -> client.send(connector(), "GET", "/items", COLD_HANG_BOUND, "Authorization", bearer(token)));
    }

    @Test
    @DisplayName("P40 cold key cache, JWKS answers 503 → 401 invalid_token")
    final void failingKeySetFailsClosed() {
        with(Setup.JWKS_FAILS);
        expectRejected(ExpectedRejection.invalidToken(), get("/items", "Authorization", bearer(t())));
    }

    @Test
    @DisplayName("P41 store answers fail-closed (check → revoked, epoch Long.MAX_VALUE), t → 401 session_revoked")
    final void failClosedStoreIsSessionRevoked() {
        with(Setup.FAIL_CLOSED_STORE);
        expectRejected(ExpectedRejection.sessionRevoked(), get("/items", "Authorization", bearer(t())));
    }

    // ---- P42-P45 --------------------------------------------------------------------------------

    @Test
    @DisplayName("P42 every failure: media type application/json, Cache-Control: no-store, body of exactly error, error_description, error_hint")
    final void everyFailureHasTheWireForm() {
        String sid = "sid-" + UUID.randomUUID();
        String revoked = mint().sid(sid).sign();
        fixture().revocations().revoke(sid);
        fixture().revocations().advanceDelegationEpoch(ParityFixture.ZONE, 5);
        Map<String, Send> failures = new LinkedHashMap<>();
        failures.put("missing_token", get("/items"));
        failures.put("missing_token (HEAD)", send("HEAD", "/items"));
        failures.put("invalid_token", get("/items", "Authorization", bearer("not.a.jwt")));
        failures.put("invalid_zone", get("/items", "Authorization", bearer(mint().zoneId("zone-2").sign())));
        failures.put("session_revoked", get("/items", "Authorization", bearer(revoked)));
        failures.put("delegation_stale", get("/items", "Authorization", bearer(mint().graphEpoch(4).sign())));
        failures.put("insufficient_scope", get("/items", "Authorization", bearer(mint().scope("write").sign())));
        failures.put("agent_required", get("/payouts/x", "Authorization", bearer(mint().scope("payout").sign())));
        failures.put("delegation_required", get("/delegated/x", "Authorization", bearer(t())));
        failures.put("chain_mismatch", get("/delegated/x", "Authorization", bearer(mint().delegationEdge().chain("app-child").sign())));
        failures.put("hop_count_exceeded", get("/delegated/x", "Authorization",
                bearer(mint().delegationEdge().chain("app-parent").hopCount(3).sign())));
        failures.forEach((code, request) -> {
            ParityResponse response = request.send();
            assertTrue(response.status() == 401 || response.status() == 403, () -> code + ": " + response);
            if (code.endsWith("(HEAD)")) {
                assertEquals("", response.body(), "HEAD body");
                assertEquals(List.of("no-store"), response.headers("Cache-Control"), code);
                assertEquals("application/json", response.headers("Content-Type").get(0).split(";", 2)[0].trim(), code);
            } else {
                ExpectedRejection.assertWireForm(response);
                assertTrue(response.body().startsWith("{\"error\":\"" + code + "\""), () -> code + ": " + response.body());
            }
        });
    }

    @Test
    @DisplayName("P43 wwwAuthenticate(false), no token → 401 without WWW-Authenticate, body as in P1")
    final void challengeCanBeTurnedOff() {
        with(Setup.NO_CHALLENGE);
        expectRejected(ExpectedRejection.missingToken(), get("/items"));
    }

    @Test
    @DisplayName("ATTACKS the attack corpus over HTTP: every case gets its expected status and code, no attacker URL is fetched")
    final void attackCorpusOverHttp() {
        URI uri = connector();
        try (AttackerOrigin attacker = AttackerOrigin.start()) {
            AttackHttpReport report = AttackHttpRunner.run(AttackContext.of(issuer, attacker), URI.create(uri + "/items"));
            assertTrue(report.sent().size() > 100, "attack cases sent over HTTP: " + report.sent().size());
            assertEquals(0, attacker.requests(), "requests to attacker-controlled URLs");
        }
    }

    @Test
    @DisplayName("P44 50 concurrent requests with distinct subs → 200 each, every response echoes its own sub")
    final void concurrentRequestsEachSeeTheirOwnClaims() throws InterruptedException {
        int count = 50;
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tokens.add(mint().sub("user-p44-" + i).sign());
        }
        URI uri = connector();
        int before = fixture.handlerCalls();
        List<CompletableFuture<ParityResponse>> responses = new ArrayList<>();
        for (String token : tokens) {
            responses.add(client.sendAsync(uri, "GET", "/items", "Authorization", bearer(token)));
        }
        for (int i = 0; i < count; i++) {
            ParityResponse response;
            try {
                response = responses.get(i).get(ParityClient.REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("request " + i + " failed", e);
            }
            assertEquals(200, response.status(), "status of request " + i);
            assertEquals(ParityFixture.echo("user-p44-" + i), response.body(), "echo of request " + i);
        }
        assertEquals(before + count, fixture.handlerCalls(), "handler calls");
    }

    @Test
    @DisplayName("P45 GET with Upgrade: websocket, no token → 401 missing_token, no 101")
    final void websocketUpgradeIsVerifiedBeforeTheHandshake() {
        ParityResponse response = expectRejected(ExpectedRejection.missingToken(), raw("GET", "/items",
                "Connection", "Upgrade", "Upgrade", "websocket",
                "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="));
        assertNotEquals(101, response.status());
    }

    @Test
    @DisplayName("P46 POST with a 12 MiB body, no token → 401 missing_token, read while the body is still being sent; then the connection takes the rest of the body and either a second request or, after Connection: close, ends cleanly")
    final void earlyAnswerIsDeliveredWhileTheBodyArrives() {
        URI uri = connector();
        int before = fixture.handlerCalls();
        List<ParityResponse> answers = client.rawAnswerBeforeBody(uri, "/items", EARLY_ANSWER_BODY_BYTES);
        for (ParityResponse answer : answers) {
            ExpectedRejection.missingToken().assertMatches(answer, fixture.wwwAuthenticate());
        }
        assertEquals(before, fixture.handlerCalls(), "the handler ran for a rejected request");
    }

    /** P41: answers like a Redis store that fails closed: everything revoked, the highest epoch. */
    private static final class FailClosedStore implements RevocationStore {
        @Override
        public RevocationCheck check(List<String> anchors, String zoneId) {
            return new RevocationCheck(true, Long.MAX_VALUE);
        }

        @Override
        public boolean isRevoked(String anchor) {
            return true;
        }

        @Override
        public long currentDelegationEpoch(String zoneId) {
            return Long.MAX_VALUE;
        }

        @Override
        public void revoke(String anchor, Duration ttl) {
            throw new UnsupportedOperationException("fail-closed stub");
        }

        @Override
        public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
            throw new UnsupportedOperationException("fail-closed stub");
        }
    }
}
