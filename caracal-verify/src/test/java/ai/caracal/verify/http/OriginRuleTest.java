package ai.caracal.verify.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * connectors.md §10.2 M8: with {@code allowedOrigins(...)}, a request whose {@code Origin} is neither its
 * own nor an allowed one gets 403 with a JSON-RPC error body, before its mandate is looked at.
 */
class OriginRuleTest {

    private static final String OWN = "http://127.0.0.1:8080";

    private static HttpBoundary boundary(UnaryOperator<HttpBoundary.Builder> options) {
        // No key set can be fetched from port 9: a request that reaches verification gets missing_token or invalid_token.
        return options.apply(HttpBoundary.builder().issuer("http://127.0.0.1:9").audience("https://api.test").zoneId("zone-1")
                .revocations(new InMemoryRevocationStore()).environment(name -> null).exclude("/healthz")
                .resourceMetadata(ProtectedResourceMetadata.forResource("http://127.0.0.1:8080/mcp"))).build();
    }

    private static Request request(String method, String path, String origin) {
        Request request = new Request(method, path, OWN);
        if (origin != null) {
            request.header("Origin", origin);
        }
        return request;
    }

    private static void assertForbidden(BoundaryDecision decision) {
        assertThat(decision.kind()).isEqualTo(BoundaryDecision.Kind.RESPOND);
        BoundaryResponse response = decision.response();
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.headers()).containsEntry("Content-Type", "application/json").containsEntry("Cache-Control", "no-store")
                .doesNotContainKey("WWW-Authenticate");
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Origin not allowed\"}}");
    }

    private static void assertReachesVerification(BoundaryDecision decision) {
        assertThat(decision.kind()).isEqualTo(BoundaryDecision.Kind.RESPOND);
        assertThat(decision.response().status()).isEqualTo(401);
        assertThat(new String(decision.response().body(), StandardCharsets.UTF_8)).contains("\"error\":\"missing_token\"");
    }

    @ParameterizedTest(name = "M8 Origin {0} is refused")
    @ValueSource(strings = {"http://evil.example", "http://127.0.0.1:8081", "https://127.0.0.1:8080", "null",
        "http://127.0.0.1:8080/", "http://user@127.0.0.1:8080", "http://127.0.0.1:80800", "http://127.0.0.1:",
        "127.0.0.1:8080", "http://127.0.0.1:8080 ", "http://bücher.example", "http://[::1", "*", ""})
    @DisplayName("M8 a foreign or malformed Origin is 403 with a JSON-RPC error body, before the mandate")
    void foreignOriginIsForbidden(String origin) {
        assertForbidden(boundary(b -> b.allowedOrigins()).evaluate(request("POST", "/mcp", origin)));
    }

    @ParameterizedTest(name = "M8 Origin {0} is the request''s own")
    @ValueSource(strings = {"http://127.0.0.1:8080", "HTTP://127.0.0.1:8080"})
    @DisplayName("M8 the request's own origin passes on to verification")
    void ownOriginPasses(String origin) {
        assertReachesVerification(boundary(b -> b.allowedOrigins()).evaluate(request("POST", "/mcp", origin)));
    }

    @Test
    @DisplayName("M8 a request without Origin is unaffected")
    void noOriginIsUnaffected() {
        assertReachesVerification(boundary(b -> b.allowedOrigins()).evaluate(request("POST", "/mcp", null)));
    }

    @Test
    @DisplayName("M8 a configured origin passes; default ports and case do not matter")
    void configuredOriginPasses() {
        HttpBoundary boundary = boundary(b -> b.allowedOrigins("https://App.Example.com:443"));
        assertReachesVerification(boundary.evaluate(request("POST", "/mcp", "https://app.example.com")));
        assertForbidden(boundary.evaluate(request("POST", "/mcp", "http://app.example.com")));
    }

    @Test
    @DisplayName("M8 two Origin headers are refused, even when both are allowed")
    void twoOriginsAreRefused() {
        Request request = request("POST", "/mcp", OWN);
        request.header("Origin", OWN);
        assertForbidden(boundary(b -> b.allowedOrigins()).evaluate(request));
    }

    @Test
    @DisplayName("M8 without a known own origin only configured origins pass")
    void unknownOwnOriginAllowsConfiguredOnly() {
        HttpBoundary boundary = boundary(b -> b.allowedOrigins("https://app.example.com"));
        Request own = new Request("POST", "/mcp", null);
        own.header("Origin", OWN);
        assertForbidden(boundary.evaluate(own));
        Request configured = new Request("POST", "/mcp", null);
        configured.header("Origin", "https://app.example.com");
        assertReachesVerification(boundary.evaluate(configured));
    }

    @Test
    @DisplayName("M8 off by default: a foreign Origin reaches verification")
    void offByDefault() {
        assertReachesVerification(boundary(b -> b).evaluate(request("POST", "/mcp", "http://evil.example")));
    }

    @Test
    @DisplayName("M8 the metadata document and excluded paths are not subject to the rule")
    void metadataAndExcludedPathsAreNotSubject() {
        HttpBoundary boundary = boundary(b -> b.allowedOrigins());
        BoundaryDecision metadata = boundary.evaluate(request("GET", "/.well-known/oauth-protected-resource/mcp", "http://evil.example"));
        assertThat(metadata.response().status()).isEqualTo(200);
        assertThat(boundary.evaluate(request("GET", "/healthz", "http://evil.example")).kind()).isEqualTo(BoundaryDecision.Kind.PASS);
    }

    @Test
    @DisplayName("M8 HEAD gets the same status and headers without a body")
    void headHasNoBody() {
        BoundaryResponse response = boundary(b -> b.allowedOrigins()).evaluate(request("HEAD", "/mcp", "http://evil.example")).response();
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.includeBody()).isFalse();
    }

    @ParameterizedTest(name = "allowedOrigins({0}) is refused")
    @ValueSource(strings = {"null", "*", "https://app.example.com/", "app.example.com", "https://a@b.example", "https://x:99999"})
    @DisplayName("M8 allowedOrigins refuses what is not one origin")
    void allowedOriginsRefusesNonOrigins(String origin) {
        assertThatThrownBy(() -> HttpBoundary.builder().allowedOrigins(origin)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an origin");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"http://Example.COM, http://example.com", "http://example.com:80, http://example.com",
        "https://example.com:443, https://example.com", "https://example.com:8443, https://example.com:8443",
        "http://[::1]:8080, http://[::1]:8080", "HTTP://[::1]:80, http://[::1]"})
    @DisplayName("M8 origins compare in their serialised form")
    void serialisedForm(String origin, String expected) {
        assertThat(Origins.normalise(origin)).isEqualTo(expected);
    }

    /** A request with headers and a known (or unknown, {@code null}) own origin. */
    private static final class Request implements BoundaryRequest {
        private final String method;
        private final String path;
        private final String target;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();

        Request(String method, String path, String target) {
            this.method = method;
            this.path = path;
            this.target = target;
        }

        void header(String name, String value) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
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

        @Override
        public String targetOrigin() {
            return target;
        }
    }
}
