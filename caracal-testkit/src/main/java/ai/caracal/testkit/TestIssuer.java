package ai.caracal.testkit;

import ai.caracal.mint.Es256Key;
import ai.caracal.mint.Json;
import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.verify.CaracalAuth;
import ai.caracal.verify.JwksCache;
import ai.caracal.verify.MandateVerifier;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process mandate issuer for tests: real ES256 keys per zone and a real JWKS served over HTTP on
 * {@code 127.0.0.1}, a revocation store, and a {@link TestClock} shared by mints and verifiers.
 *
 * <p>Use it through {@link CaracalTest}, or directly (for benchmarks and tools) with
 * {@link #start(String, String, String...)} and try-with-resources. Keys are named {@code k1},
 * {@code k2}, … per zone, in rotation order; {@link #rotateKey(String)} keeps earlier keys published.
 * A JWKS request without {@code zone_id} is served the primary zone's keys (an issuer with a single key
 * set), unlike the dev STS, which answers 400.
 *
 * <p>Thread-safe. {@link #close()} stops the HTTP server.
 */
public final class TestIssuer implements AutoCloseable {

    private final String zone;
    private final String audience;
    private final TestClock clock = new TestClock();
    private final JwksControl jwks = new JwksControl();
    private final Map<String, List<Es256Key>> keysByZone = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> keyCounters = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService serverThreads;
    private final String url;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile InMemoryRevocationStore revocations;

    private TestIssuer(String zone, String audience, String... extraZones) {
        this.zone = requireText(zone, "zone");
        this.audience = requireText(audience, "audience");
        this.revocations = newStore();
        Set<String> zones = new LinkedHashSet<>();
        zones.add(zone);
        Collections.addAll(zones, extraZones);
        zones.forEach(this::rotateKey);
        AtomicInteger threadCount = new AtomicInteger();
        this.serverThreads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "caracal-test-issuer-" + threadCount.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the test issuer on 127.0.0.1", e);
        }
        server.createContext("/.well-known/jwks.json", this::serveJwks);
        server.createContext("/", exchange -> JwksControl.send(exchange, 404, "{\"error\":\"not_found\"}"));
        server.setExecutor(serverThreads);
        server.start();
        this.url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Starts an issuer outside JUnit.
     *
     * @param zone       the primary zone
     * @param audience   the audience of minted mandates and configured verifiers
     * @param extraZones further zones that get keys now
     * @return a running issuer; close it when done
     */
    public static TestIssuer start(String zone, String audience, String... extraZones) {
        return new TestIssuer(zone, audience, extraZones);
    }

    /** @return the issuer URL, {@code http://127.0.0.1:<port>}, also the {@code iss} of minted mandates */
    public String url() {
        return url;
    }

    /** @return the primary zone */
    public String zone() {
        return zone;
    }

    /** @return the audience */
    public String audience() {
        return audience;
    }

    /** @return the primary zone's JWKS URL */
    public URI jwksUrl() {
        return jwksUrl(zone);
    }

    /**
     * @param zone a zone
     * @return that zone's JWKS URL
     */
    public URI jwksUrl(String zone) {
        return URI.create(url + "/.well-known/jwks.json?zone_id=" + URLEncoder.encode(zone, StandardCharsets.UTF_8));
    }

    /** @return a builder for a valid baseline mandate in the primary zone, at the clock's current time */
    public MandateBuilder mint() {
        return new MandateBuilder(this, zone, audience, clock.instant());
    }

    /**
     * A verifier builder pre-set with this issuer's URL, audience and zone, the current
     * {@link #revocations()} store, the {@link #clock()}, and a private key cache on that clock (so no
     * key set is shared between tests). Because the private cache comes from the {@code jwks*} shortcut
     * options, add more shortcuts freely, but do not also call {@code jwksCache(...)}.
     *
     * @return the pre-set builder
     */
    public MandateVerifier.Builder verifier() {
        return MandateVerifier.builder()
                .issuer(url).audience(audience).zoneId(zone)
                .revocations(revocations).clock(clock)
                .jwksTtl(JwksCache.DEFAULT_TTL);
    }

    /** @return a {@link CaracalAuth} builder pre-set like {@link #verifier()} */
    public CaracalAuth.Builder auth() {
        return CaracalAuth.builder()
                .issuer(url).audience(audience).zoneId(zone)
                .revocations(revocations).clock(clock)
                .jwksTtl(JwksCache.DEFAULT_TTL);
    }

    /** @return the revocation store of the current test, on the test clock */
    public InMemoryRevocationStore revocations() {
        return revocations;
    }

    /**
     * @param anchor an anchor to revoke with the default TTL
     */
    public void revoke(String anchor) {
        revocations.revoke(anchor);
    }

    /**
     * @param zone a zone
     * @return the zone's new delegation graph epoch (one above the current)
     */
    public long advanceEpoch(String zone) {
        long next = revocations.currentDelegationEpoch(zone) + 1;
        revocations.advanceDelegationEpoch(zone, next);
        return next;
    }

    /**
     * @param zone  a zone
     * @param epoch the epoch to record; epochs never go down, so a lower value has no effect
     */
    public void setEpoch(String zone, long epoch) {
        revocations.advanceDelegationEpoch(zone, epoch);
    }

    /** @return the primary zone's new kid */
    public String rotateKey() {
        return rotateKey(zone);
    }

    /**
     * Creates a new signing key for the zone (created with its first key if new). Earlier keys stay
     * published.
     *
     * @param zone a zone
     * @return the new kid
     */
    public String rotateKey(String zone) {
        String kid = "k" + keyCounters.computeIfAbsent(zone, z -> new AtomicInteger()).incrementAndGet();
        keysByZone.compute(zone, (z, keys) -> {
            List<Es256Key> next = new ArrayList<>();
            next.add(Es256Key.generate(kid));
            if (keys != null) {
                next.addAll(keys);
            }
            return List.copyOf(next);
        });
        return kid;
    }

    /** @return the clock shared by mints and verifiers */
    public TestClock clock() {
        return clock;
    }

    /** @return fault injection and request counters for the JWKS endpoint */
    public JwksControl jwks() {
        return jwks;
    }

    /**
     * @param zone a zone with keys
     * @return the public JWK of the zone's current key, as JSON members (for hand-built JWKS documents)
     */
    public Map<String, Object> publicJwk(String zone) {
        return new LinkedHashMap<>(currentKey(zone).publicJwk());
    }

    /**
     * Resets per-test state: a new empty revocation store, the clock back to {@link TestClock#START},
     * and normal JWKS serving with zeroed counters. Keys are kept.
     */
    public void reset() {
        revocations = newStore();
        clock.reset();
        jwks.reset();
    }

    /** Stops the HTTP server and releases hung requests. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        jwks.releaseHung();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    Es256Key currentKey(String zone) {
        List<Es256Key> keys = keysByZone.get(zone);
        if (keys == null) {
            throw new IllegalArgumentException("zone " + zone + " has no keys; add it to extraZones or call rotateKey(zone)");
        }
        return keys.get(0);
    }

    private void serveJwks(HttpExchange exchange) throws IOException {
        try (exchange) {
            jwks.serve(exchange, requested -> {
                List<Es256Key> keys = keysByZone.get(requested == null ? zone : requested);
                if (keys == null) {
                    return null;
                }
                List<Map<String, Object>> published = new ArrayList<>();
                keys.forEach(key -> published.add(key.publicJwk()));
                return Json.write(Map.of("keys", published));
            });
        }
    }

    private InMemoryRevocationStore newStore() {
        return InMemoryRevocationStore.builder().clock(clock).build();
    }

    private static String requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
