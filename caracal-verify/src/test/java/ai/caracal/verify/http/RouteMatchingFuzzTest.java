package ai.caracal.verify.http;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.Requirements;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target for route and exclude matching (connectors.md §3): {@link HttpBoundary#evaluate} and
 * {@link CanonicalPath} on arbitrary methods, paths and headers. Invariants: nothing throws; a request
 * passes unverified only for a canonical path under an exclude prefix (or a permitted preflight), so a
 * non-canonical path is never excluded; {@code normalize} yields a canonical-shaped, idempotent path.
 *
 * <p>Input: UTF-8 lines, the method, then the path, then {@code Name: value} header lines. The verifier's
 * issuer is a loopback server that answers 503, so a mandate that gets as far as the key lookup fails
 * closed without leaving the machine.
 */
class RouteMatchingFuzzTest {

    private static final List<String> EXCLUDES = List.of("/healthz", "/public/assets");
    private static HttpServer jwks;
    private static int jwksPort;
    private static SilentCloseable loopbackOnly;
    private static HttpBoundary strict;
    private static HttpBoundary preflight;

    @BeforeAll
    static void startBoundaries() throws IOException {
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        jwks.start();
        jwksPort = jwks.getAddress().getPort();
        MandateVerifier verifier = MandateVerifier.builder()
                .issuer("http://127.0.0.1:" + jwksPort).audience("https://api.test").zoneId("zone-1")
                .revocations(new InMemoryRevocationStore()).requiredScopes("read").build();
        strict = boundary(verifier, false);
        preflight = boundary(verifier, true);
    }

    private static HttpBoundary boundary(MandateVerifier verifier, boolean permitPreflight) {
        return HttpBoundary.builder().verifier(verifier)
                .route("/payouts", Requirements.builder().requiredScopes("payout").requireAgent(true).build())
                .route("/payouts/bulk", Requirements.builder().requiredScopes("payout:bulk").build())
                .exclude(EXCLUDES.toArray(String[]::new))
                .permitPreflight(permitPreflight)
                .build();
    }

    @AfterAll
    static void stop() {
        // The network policy stays until the JVM ends: Jazzer only resets it on the thread that set it,
        // and while fuzzing that is not the thread running @AfterAll.
        jwks.stop(0);
    }

    @FuzzTest
    void evaluate(byte[] input) {
        // Jazzer's network sanitizer refuses every connection by default; only the loopback JWKS is
        // allowed. Set on first use: the policy needs Jazzer's agent, which the first fuzz test installs.
        if (loopbackOnly == null) {
            loopbackOnly = BugDetectors.allowNetworkConnections((host, port) -> port == jwksPort);
        }
        Request request = Request.parse(new String(input, StandardCharsets.UTF_8));
        checkPath(request.path);
        check(strict, request, false);
        check(preflight, request, true);
    }

    private static void check(HttpBoundary boundary, Request request, boolean permitPreflight) {
        BoundaryDecision decision = boundary.evaluate(request);
        require(decision != null, "a decision");
        boolean canonical = CanonicalPath.isCanonical(request.path);
        boolean excluded = canonical && EXCLUDES.stream().anyMatch(prefix -> CanonicalPath.matches(request.path, prefix));
        boolean preflightRequest = permitPreflight && request.method.equals("OPTIONS")
                && !request.headers("Origin").isEmpty() && !request.headers("Access-Control-Request-Method").isEmpty();
        switch (decision.kind()) {
            case PASS -> {
                require(excluded || preflightRequest, "only an excluded canonical path or a permitted preflight passes unverified");
                require(decision.claims() == null && decision.response() == null, "PASS carries nothing");
            }
            case RESPOND -> {
                require(!excluded, "an excluded path is never verified");
                BoundaryResponse response = decision.response();
                require(response.status() == 401 || response.status() == 403, "rejections are 401 or 403");
                require("application/json".equals(response.headers().get("Content-Type"))
                        && "no-store".equals(response.headers().get("Cache-Control")), "rejection headers");
                String body = new String(response.body(), StandardCharsets.UTF_8);
                require(body.startsWith("{\"error\":\""), "JSON error body");
                require(response.includeBody() == !request.method.equals("HEAD"), "HEAD has no body");
                List<String> authorization = request.headers("Authorization");
                if (authorization.size() > 1) {
                    require(body.startsWith("{\"error\":\"invalid_token\""), "several Authorization headers are invalid_token");
                } else if (authorization.isEmpty()) {
                    require(body.startsWith("{\"error\":\"missing_token\""), "no Authorization header is missing_token");
                }
            }
            case VERIFIED -> throw new AssertionError("no fuzzed mandate can verify against a key set that answers 503");
            default -> throw new AssertionError("unknown decision");
        }
        if (excluded) {
            require(decision.kind() == BoundaryDecision.Kind.PASS, "a canonical path under an exclude prefix passes");
        }
    }

    /** Shape of {@link CanonicalPath#normalize}: absolute, no empty, dot or backslash segment, idempotent. */
    private static void checkPath(String path) {
        String normalized = CanonicalPath.normalize(path);
        require(normalized.startsWith("/"), "normalised paths are absolute");
        require(!normalized.contains("//") && !normalized.contains("\\"), "no empty segment or backslash");
        for (String segment : normalized.substring(1).split("/", -1)) {
            require(!segment.equals(".") && !segment.equals(".."), "no dot segment");
        }
        require(CanonicalPath.normalize(normalized).equals(normalized), "normalize is idempotent");
        if (CanonicalPath.isCanonical(path)) {
            String withoutTrailingSlash = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            require(normalized.equals(withoutTrailingSlash), "a canonical path normalises to itself");
        }
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("invariant broken: " + what);
        }
    }

    /** A fuzzed request: method line, path line, then header lines. */
    private record Request(String method, String path, Map<String, List<String>> headerMap) implements BoundaryRequest {

        static Request parse(String text) {
            String[] lines = text.split("\n", -1);
            String method = lines[0];
            String path = lines.length > 1 ? lines[1] : "/";
            Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 2; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(lines[i].substring(0, colon), name -> new ArrayList<>())
                            .add(lines[i].substring(colon + 1).strip());
                }
            }
            return new Request(method, path, headers);
        }

        @Override
        public List<String> headers(String name) {
            return headerMap.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }
    }
}
