package ai.caracal.testkit.parity;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.testkit.TestJson;
import ai.caracal.verify.ClaimNames;
import ai.caracal.verify.Claims;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.Requirements;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fixture F of connectors.md §9: what a connector under the {@link ConnectorParityContract} must be
 * configured with, and what its application handler must do. The contract creates one per connector
 * start and hands it to {@link ConnectorParityContract#start(ParityFixture)}.
 *
 * <h2>Configuration</h2>
 * <ul>
 *   <li>Default rule: {@link #verifier()}, built for a {@code TestIssuer} at {@link #issuer()} with
 *       audience {@value #AUDIENCE}, zone {@value #ZONE}, {@code requiredScopes=[read]}, the store
 *       {@link #revocations()}, the system clock and a private, cold key cache with a
 *       {@link #jwksFetchTimeout()} deadline. A connector that builds its own verifier from the parts
 *       ({@link #issuer()}, {@link #audience()}, {@link #zoneId()}, {@link #requiredScopes()},
 *       {@link #revocations()}) must also give it a private key cache (for example with
 *       {@code jwksFetchTimeout(f.jwksFetchTimeout())}): rows P39 and P40 need a cold cache.</li>
 *   <li>{@link #routes()} (in registration order) and {@link #excludes()}.</li>
 *   <li>{@link #permitPreflight()} and {@link #wwwAuthenticate()}; no realm, no resource metadata and no
 *       key set warm-up.</li>
 * </ul>
 *
 * <h2>Application handler</h2>
 * One handler, reached by <em>every</em> path and method. For each request it receives, it calls
 * {@link #countHandlerCall()} and then answers 200 with the body {@link #echoBody(Claims)} (UTF-8,
 * {@code Content-Type: application/json}) for the claims the connector attached to that request, or
 * {@code null} when there are none.
 *
 * <p>Thread-safe.
 */
public final class ParityFixture {

    /** The audience of fixture F. */
    public static final String AUDIENCE = "https://api.test";

    /** The zone of fixture F. */
    public static final String ZONE = "zone-1";

    private static final Duration JWKS_FETCH_TIMEOUT = Duration.ofSeconds(3);

    private final String issuer;
    private final RevocationStore revocations;
    private final boolean permitPreflight;
    private final boolean wwwAuthenticate;
    private final Map<String, Requirements> routes;
    private final MandateVerifier verifier;
    private final AtomicInteger handlerCalls = new AtomicInteger();

    ParityFixture(String issuer, RevocationStore revocations, boolean permitPreflight, boolean wwwAuthenticate) {
        this.issuer = issuer;
        this.revocations = revocations;
        this.permitPreflight = permitPreflight;
        this.wwwAuthenticate = wwwAuthenticate;
        Map<String, Requirements> routes = new LinkedHashMap<>();
        routes.put("/payouts", Requirements.builder().requiredScopes("payout").requireAgent(true).build());
        routes.put("/payouts/bulk", Requirements.builder().requiredScopes("payout:bulk").build());
        routes.put("/delegated", Requirements.builder().requireDelegation(true).requireChainContains("app-parent").maxHopCount(2).build());
        this.routes = Collections.unmodifiableMap(routes);
        this.verifier = MandateVerifier.builder()
                .issuer(issuer).audience(AUDIENCE).zoneId(ZONE)
                .requiredScopes(requiredScopes())
                .revocations(revocations)
                .jwksFetchTimeout(JWKS_FETCH_TIMEOUT)
                .build();
    }

    /**
     * @param claims the claims the connector attached to the request, or {@code null} for none
     * @return the handler's 200 body: {@code {"sub":"<claims.sub()>"}} or {@code {"sub":null}}
     */
    public static String echoBody(Claims claims) {
        return echo(claims == null ? null : claims.sub());
    }

    static String echo(String sub) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(ClaimNames.SUB, sub);
        return TestJson.write(body);
    }

    /** The handler calls this once for every request it receives, before answering. */
    public void countHandlerCall() {
        handlerCalls.incrementAndGet();
    }

    /** @return how often the handler ran since this fixture was created */
    public int handlerCalls() {
        return handlerCalls.get();
    }

    /**
     * @return the default rule's verifier, one per fixture (so one cold key cache per connector start);
     *         give it to the connector as is
     */
    public MandateVerifier verifier() {
        return verifier;
    }

    /** @return the issuer URL ({@code http://127.0.0.1:<port>}, also the mandates' {@code iss}) */
    public String issuer() {
        return issuer;
    }

    /** @return {@value #AUDIENCE} */
    public String audience() {
        return AUDIENCE;
    }

    /** @return {@value #ZONE} */
    public String zoneId() {
        return ZONE;
    }

    /** @return the default rule's required scopes: {@code [read]} */
    public List<String> requiredScopes() {
        return List.of("read");
    }

    /**
     * @return the route rules in registration order: {@code /payouts} → scope {@code payout} + agent;
     *         {@code /payouts/bulk} → scope {@code payout:bulk}; {@code /delegated} → delegation, chain
     *         containing {@code app-parent}, at most 2 hops
     */
    public Map<String, Requirements> routes() {
        return routes;
    }

    /** @return the exclude prefixes: {@code [/healthz]} */
    public List<String> excludes() {
        return List.of("/healthz");
    }

    /** @return whether CORS preflights pass (true only for rows P33 and P34) */
    public boolean permitPreflight() {
        return permitPreflight;
    }

    /** @return whether rejections carry {@code WWW-Authenticate} (false only for row P43) */
    public boolean wwwAuthenticate() {
        return wwwAuthenticate;
    }

    /**
     * @return the revocation store the verifier consults; the contract revokes anchors and raises
     *         epochs in it (for P41 it is a stub that answers fail-closed)
     */
    public RevocationStore revocations() {
        return revocations;
    }

    /** @return the key set fetch deadline of {@link #verifier()}: 3 s, inside the 6 s bound of P39 */
    public Duration jwksFetchTimeout() {
        return JWKS_FETCH_TIMEOUT;
    }

    @Override
    public String toString() {
        return "ParityFixture[permitPreflight=" + permitPreflight + ", wwwAuthenticate=" + wwwAuthenticate + ", store="
                + revocations.getClass().getSimpleName() + "]";
    }
}
