package ai.caracal.verify.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.verify.AuthError;
import ai.caracal.verify.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * connectors.md §2 and §3.1: what the boundary decides before any token is verified (metadata,
 * exclude, preflight, credential extraction) and the exact rejection it writes. Token verification
 * itself runs against a real issuer in the connector parity tests.
 */
class HttpBoundaryTest {

    private static final String MISSING_BODY = "{\"error\":\"missing_token\",\"error_description\":\"Bearer mandate missing\","
            + "\"error_hint\":\"Send the mandate as Authorization: Bearer <mandate>.\"}";
    private static final String AMBIGUOUS_BODY = "{\"error\":\"invalid_token\",\"error_description\":\"Mandate rejected\","
            + "\"error_hint\":\"Check the mandate's signature, issuer, audience, lifetime, use and targets.\"}";

    /** A store that must never be consulted: the checks under test all decide before verification. */
    private static final RevocationStore UNTOUCHABLE = new RevocationStore() {
        @Override
        public boolean isRevoked(String anchor) {
            throw new AssertionError("store consulted");
        }

        @Override
        public void revoke(String anchor, Duration ttl) {
            throw new AssertionError("store consulted");
        }

        @Override
        public long currentDelegationEpoch(String zoneId) {
            throw new AssertionError("store consulted");
        }

        @Override
        public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
            throw new AssertionError("store consulted");
        }

        @Override
        public RevocationCheck check(List<String> anchors, String zoneId) {
            throw new AssertionError("store consulted");
        }
    };

    private static HttpBoundary boundary(UnaryOperator<HttpBoundary.Builder> options) {
        // Port 9 (discard) on loopback: any JWKS fetch would fail, so nothing here may need one.
        return options.apply(HttpBoundary.builder().issuer("http://127.0.0.1:9").audience("https://api.test").zoneId("zone-1")
                .revocations(UNTOUCHABLE).verifierOptions(v -> v.requiredScopes("read")).environment(name -> null)
                .exclude("/healthz")).build();
    }

    private static Request request(String method, String path) {
        return new Request(method, path);
    }

    @Test
    @DisplayName("§3.1 step 5: no Authorization header → 401 missing_token with the exact §2.2 headers and body")
    void missingTokenRejection() {
        BoundaryDecision decision = boundary(b -> b).evaluate(request("GET", "/items"));
        assertThat(decision.kind()).isEqualTo(BoundaryDecision.Kind.RESPOND);
        assertThat(decision.claims()).isNull();
        BoundaryResponse response = decision.response();
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers()).containsExactly(
                Map.entry("Content-Type", "application/json"),
                Map.entry("Cache-Control", "no-store"),
                Map.entry("WWW-Authenticate", "Bearer"));
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(MISSING_BODY);
        assertThat(response.bodyLength()).isEqualTo(MISSING_BODY.length());
        assertThat(response.includeBody()).isTrue();
    }

    @ParameterizedTest(name = "Authorization: \"{0}\"")
    @ValueSource(strings = {"Basic abc", "Bearer", "Bearer   ", "", "Bearertoken", " Bearer token"})
    @DisplayName("§2.1: a non-Bearer or blank credential is missing_token, and the store is not touched")
    void nonBearerIsMissingToken(String header) {
        BoundaryDecision decision = boundary(b -> b).evaluate(request("GET", "/items").header("Authorization", header));
        assertThat(decision.response().status()).isEqualTo(401);
        assertThat(new String(decision.response().body(), StandardCharsets.UTF_8)).isEqualTo(MISSING_BODY);
    }

    @Test
    @DisplayName("§2.1: more than one Authorization header → 401 invalid_token before any parsing")
    void twoAuthorizationHeadersAreAmbiguous() {
        BoundaryDecision decision = boundary(b -> b).evaluate(request("GET", "/items")
                .header("Authorization", "Bearer a.b.c").header("Authorization", "Basic abc"));
        BoundaryResponse response = decision.response();
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers()).containsEntry("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"Mandate rejected\"");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(AMBIGUOUS_BODY);
    }

    @Test
    @DisplayName("§2.2: HEAD gets the same status and headers and no body")
    void headHasNoBody() {
        HttpBoundary boundary = boundary(b -> b);
        BoundaryResponse get = boundary.evaluate(request("GET", "/items")).response();
        BoundaryResponse head = boundary.evaluate(request("HEAD", "/items")).response();
        assertThat(head.status()).isEqualTo(get.status());
        assertThat(head.headers()).isEqualTo(get.headers());
        assertThat(head.includeBody()).isFalse();
    }

    @Test
    @DisplayName("§2.3: wwwAuthenticate(false) drops the challenge and leaves the body unchanged")
    void challengeCanBeTurnedOff() {
        BoundaryResponse response = boundary(b -> b.wwwAuthenticate(false)).evaluate(request("GET", "/items")).response();
        assertThat(response.headers()).containsOnlyKeys("Content-Type", "Cache-Control");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(MISSING_BODY);
    }

    @Test
    @DisplayName("§2.3: realm and metadata appear in the challenge: Bearer realm=\"R\", resource_metadata=\"U\"")
    void realmAndMetadataInChallenge() {
        BoundaryResponse response = boundary(b -> b.realm("R")
                .resourceMetadata(ProtectedResourceMetadata.forResource("https://mcp.example.com/mcp")))
                .evaluate(request("GET", "/mcp")).response();
        assertThat(response.headers()).containsEntry("WWW-Authenticate",
                "Bearer realm=\"R\", resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\"");
    }

    @Test
    @DisplayName("§2.4: the metadata URL never comes from the Host header")
    void metadataUrlIgnoresHost() {
        BoundaryResponse response = boundary(b -> b.resourceMetadata(ProtectedResourceMetadata.forResource("https://mcp.example.com/mcp")))
                .evaluate(request("GET", "/mcp").header("Host", "evil.example").header("X-Forwarded-Host", "evil.example")).response();
        assertThat(response.headers().get("WWW-Authenticate")).doesNotContain("evil").contains("https://mcp.example.com/");
    }

    @Test
    @DisplayName("rejection(...): a check outside the boundary gets the same form, with the scope it demanded")
    void rejectionForOutsideChecks() {
        HttpBoundary boundary = boundary(b -> b.realm("R"));
        AuthError error = new AuthError(ErrorCode.INSUFFICIENT_SCOPE, "Mandate lacks scope: payout:read", ErrorCode.INSUFFICIENT_SCOPE.hint());
        BoundaryResponse response = boundary.rejection(error, List.of("payout:read"), "GET");
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.headers()).containsEntry("WWW-Authenticate",
                "Bearer realm=\"R\", error=\"insufficient_scope\", error_description=\"Mandate lacks scope: payout:read\", scope=\"payout:read\"");
        assertThat(boundary.rejection(error, List.of("payout:read"), "HEAD").includeBody()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/healthz", "/healthz/", "/healthz/live"})
    @DisplayName("§3.1 step 2: a canonical excluded path passes with no claims, whatever Authorization headers it has")
    void excludedPathPasses(String path) {
        HttpBoundary boundary = boundary(b -> b);
        assertThat(boundary.evaluate(request("GET", path)).kind()).isEqualTo(BoundaryDecision.Kind.PASS);
        BoundaryDecision withHeaders = boundary.evaluate(request("POST", path)
                .header("Authorization", "Bearer junk").header("Authorization", "Bearer more-junk"));
        assertThat(withHeaders.kind()).isEqualTo(BoundaryDecision.Kind.PASS);
        assertThat(withHeaders.claims()).isNull();
        assertThat(withHeaders.response()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/healthzX", "/healthz/../items", "/healthz/./live", "//healthz", "/healthz//live", "/healthz\\..\\items",
            "/Healthz"})
    @DisplayName("§3.3: a non-canonical path or a non-boundary match is never excluded")
    void notExcluded(String path) {
        BoundaryDecision decision = boundary(b -> b).evaluate(request("GET", path));
        assertThat(decision.kind()).isEqualTo(BoundaryDecision.Kind.RESPOND);
        assertThat(decision.response().status()).isEqualTo(401);
    }

    @Test
    @DisplayName("§3.3: exclude \"/\" (or \"\") lets every canonical path through, but still no non-canonical one")
    void excludeRootPassesEverything() {
        HttpBoundary boundary = boundary(b -> b.exclude(""));
        assertThat(boundary.evaluate(request("DELETE", "/anything/at/all")).kind()).isEqualTo(BoundaryDecision.Kind.PASS);
        assertThat(boundary.evaluate(request("GET", "/a/../b")).kind()).isEqualTo(BoundaryDecision.Kind.RESPOND);
    }

    @Test
    @DisplayName("§3.1 step 3: with permitPreflight, OPTIONS with Origin and Access-Control-Request-Method passes with no claims")
    void preflightPasses() {
        BoundaryDecision decision = boundary(b -> b.permitPreflight(true)).evaluate(request("OPTIONS", "/items")
                .header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST"));
        assertThat(decision.kind()).isEqualTo(BoundaryDecision.Kind.PASS);
        assertThat(decision.claims()).isNull();
    }

    @Test
    @DisplayName("§3.1 step 3: a preflight without Origin, without Access-Control-Request-Method, or with the flag off is verified")
    void incompletePreflightIsVerified() {
        HttpBoundary permitting = boundary(b -> b.permitPreflight(true));
        assertThat(permitting.evaluate(request("OPTIONS", "/items").header("Access-Control-Request-Method", "POST")).kind())
                .isEqualTo(BoundaryDecision.Kind.RESPOND);
        assertThat(permitting.evaluate(request("OPTIONS", "/items").header("Origin", "https://app.example")).kind())
                .isEqualTo(BoundaryDecision.Kind.RESPOND);
        assertThat(permitting.evaluate(request("GET", "/items").header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")).kind()).isEqualTo(BoundaryDecision.Kind.RESPOND);
        assertThat(boundary(b -> b).evaluate(request("OPTIONS", "/items").header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")).response().status()).isEqualTo(401);
    }

    @Test
    @DisplayName("§2.4/§3.1 step 1: the document path answers GET and HEAD with the document, without a token")
    void metadataDocumentIsServed() {
        HttpBoundary boundary = boundary(b -> b.resourceMetadata(ProtectedResourceMetadata.forResource("https://mcp.example.com/mcp")));
        BoundaryResponse get = boundary.evaluate(request("GET", "/.well-known/oauth-protected-resource/mcp")).response();
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.headers()).containsExactly(Map.entry("Content-Type", "application/json"),
                Map.entry("Cache-Control", "public, max-age=300"));
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("{\"resource\":\"https://mcp.example.com/mcp\","
                + "\"authorization_servers\":[\"http://127.0.0.1:9\"],\"bearer_methods_supported\":[\"header\"],\"scopes_supported\":[\"read\"]}");
        assertThat(get.includeBody()).isTrue();
        BoundaryResponse head = boundary.evaluate(request("HEAD", "/.well-known/oauth-protected-resource/mcp")).response();
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.headers()).isEqualTo(get.headers());
        assertThat(head.includeBody()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
    @DisplayName("§2.4: any other method on the document path → 405 with Allow: GET, HEAD")
    void metadataOtherMethods(String method) {
        HttpBoundary boundary = boundary(b -> b.resourceMetadata(ProtectedResourceMetadata.forResource("https://mcp.example.com/mcp")));
        BoundaryResponse response = boundary.evaluate(request(method, "/.well-known/oauth-protected-resource/mcp")
                .header("Authorization", "Bearer x")).response();
        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsExactly(Map.entry("Allow", "GET, HEAD"));
        assertThat(response.includeBody()).isFalse();
    }

    @Test
    @DisplayName("§3.1: the document path comes before exclude, and other well-known paths are verified")
    void metadataBeforeExclude() {
        HttpBoundary boundary = boundary(b -> b.exclude("/").resourceMetadata(ProtectedResourceMetadata.forResource("https://api.test")));
        assertThat(boundary.evaluate(request("POST", "/.well-known/oauth-protected-resource")).response().status()).isEqualTo(405);
        HttpBoundary narrow = boundary(b -> b.resourceMetadata(ProtectedResourceMetadata.forResource("https://api.test/mcp")));
        assertThat(narrow.evaluate(request("GET", "/.well-known/oauth-protected-resource")).response().status()).isEqualTo(401);
    }

    @Test
    @DisplayName("BoundaryResponse: headers are unmodifiable and body() is a copy")
    void responseIsImmutable() {
        BoundaryResponse response = boundary(b -> b).evaluate(request("GET", "/items")).response();
        byte[] body = response.body();
        body[0] = 'X';
        assertThat(response.body()[0]).isEqualTo((byte) '{');
        assertThatThrownBy(() -> response.headers().put("X", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    /** A request as a connector would present it: headers matched case-insensitively, in order. */
    private static final class Request implements BoundaryRequest {
        private final String method;
        private final String path;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();

        Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Request header(String name, String value) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
            return this;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }
    }
}
