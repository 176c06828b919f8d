package ai.caracal.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.http.ProtectedResourceMetadata;
import jakarta.ws.rs.core.Application;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * connectors.md §10.1 for {@link CaracalRequestFilter} on one runtime, beyond the parity matrix: claims
 * through {@code @Context SecurityContext} and the request property, verification before matching,
 * the hostile path set, the metadata document and bad input.
 */
@CaracalTest
public abstract class JaxrsFilterContract {

    /** Raw request targets that try to reach /items or /payouts through /healthz, or /payouts under another rule. */
    public static final List<String> HOSTILE_PATHS = List.of(
            "/healthz/../items", "/healthz/%2e%2e/items", "/healthz/%2E%2E/items", "/healthz/.%2e/items",
            "/healthz/%2e./items", "/healthz/./../items", "/healthz//../items", "/healthz/..//items",
            "/healthz%2F..%2Fitems", "/healthz%2f%2e%2e%2fitems", "/healthz/..%2Fitems", "/healthz/..%2fitems",
            "/healthz;x=1/../items", "/healthz/..;/items", "/healthz/..;x=1/items", "/healthz/%2e%2e;/items",
            "//healthz/../items", "/healthz/%5c..%5citems", "/healthz/..%5citems", "/./healthz/../items",
            "/healthz/%00/../items", "/healthz/%2e%2e%00/items", "/healthz%00/../items", "/healthz/%252e%252e/items",
            "/healthz/../payouts", "/healthz/%2e%2e/payouts/create", "/healthz;/../payouts", "/healthz%2F..%2Fpayouts",
            "/items/../payouts", "/items/%2e%2e/payouts", "/items/..;/payouts", "/items/./../payouts/create",
            "/payouts;x=1", "/payouts;x=1/create", "/payouts/", "//payouts", "/payouts//create", "/payouts%2Fcreate",
            "/./payouts", "/items/%2e%2e/payouts%3Bx", "/PAYOUTS", "/payouts%20", "/%70ayouts", "/payout%73/create");

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    private final List<JaxrsRuntime> started = new ArrayList<>();

    /** @return a fresh, unstarted runtime */
    protected abstract JaxrsRuntime runtime();

    @AfterEach
    final void stopRuntimes() throws Exception {
        for (JaxrsRuntime runtime : started) {
            runtime.stop();
        }
    }

    @Test
    @DisplayName("a verified request's claims reach the resource through @Context SecurityContext (CaracalPrincipal, scheme Bearer) and later providers through the request property")
    void verifiedClaimsReachTheResource(TestIssuer issuer) throws Exception {
        URI base = serve(filter(issuer).build());
        HttpResponse<String> response = get(base, "/whoami", issuer.mint().sub("user-9").sign());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("user-9 Bearer true");
        assertThat(response.headers().firstValue("X-Claims-Property")).hasValue("user-9");
    }

    @Test
    @DisplayName("an excluded path is not verified and carries no claims, even with a valid token; CaracalClaims.require explains why")
    void excludedPathCarriesNoClaims(TestIssuer issuer) throws Exception {
        URI base = serve(filter(issuer).exclude("/healthz").build());
        HttpResponse<String> health = get(base, "/healthz", issuer.mint().sign());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("X-Sub")).hasValue("none");
        assertThat(health.headers().firstValue("X-Claims-Property")).hasValue("none");
        assertThat(get(base, "/healthz/strict", issuer.mint().sign()).body()).startsWith("IllegalStateException: No Caracal claims");
    }

    @Test
    @DisplayName("verification runs before resource matching: an unknown path without a token is 401, with a valid token 404")
    void unknownPathsAreVerifiedBeforeMatching(TestIssuer issuer) throws Exception {
        URI base = serve(filter(issuer).build());
        HttpResponse<String> anonymous = get(base, "/nowhere", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).startsWith("{\"error\":\"missing_token\"");
        assertThat(get(base, "/nowhere", issuer.mint().sign()).statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("§3.5: no hostile spelling reaches a protected resource unverified or under a weaker rule, and none gets a 5xx")
    void hostilePathsNeverReachAProtectedResourceUnverified(TestIssuer issuer) throws Exception {
        URI base = serve(filter(issuer).exclude("/healthz")
                .route("/payouts", Requirements.builder().requiredScopes("payout").requireAgent(true).build()).build());
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("none", null);
        tokens.put("user-read", issuer.mint().sub("user-read").scope("read").sign());
        tokens.put("user-payout", issuer.mint().sub("user-payout").scope("payout").agentSession().sign());
        List<String> violations = new ArrayList<>();
        for (String path : HOSTILE_PATHS) {
            for (Map.Entry<String, String> token : tokens.entrySet()) {
                RawHttp.Answer answer = token.getValue() == null ? RawHttp.send(base, "GET", path)
                        : RawHttp.send(base, "GET", path, "Authorization", "Bearer " + token.getValue());
                String outcome = path + " as " + token.getKey() + " → " + answer.status + " " + answer.header("X-Resource") + " sub=" + answer.header("X-Sub");
                if (answer.status >= 500) {
                    violations.add(outcome + " (server error)");
                } else if (answer.status / 100 == 2) {
                    String resource = answer.header("X-Resource");
                    String sub = answer.header("X-Sub");
                    if ("items".equals(resource) && !"user-read".equals(sub)) {
                        violations.add(outcome + " (items needs a verified read mandate)");
                    } else if ("payouts".equals(resource) && !"user-payout".equals(sub)) {
                        violations.add(outcome + " (payouts needs a verified payout mandate with an agent)");
                    } else if (!Set.of("items", "payouts", "healthz").contains(resource)) {
                        violations.add(outcome + " (unexpected resource)");
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    @DisplayName("§2.4: the filter serves the RFC 9728 document at its path without a token (GET, HEAD; 405 otherwise) and names it in challenges")
    void filterServesTheMetadataDocument(TestIssuer issuer) throws Exception {
        URI base = serve(filter(issuer).resourceMetadata(ProtectedResourceMetadata.forResource("https://api.example.com")).build());
        HttpResponse<String> document = get(base, "/.well-known/oauth-protected-resource", null);
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        assertThat(document.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(document.body()).isEqualTo("{\"resource\":\"https://api.example.com\",\"authorization_servers\":[\""
                + issuer.url() + "\"],\"bearer_methods_supported\":[\"header\"],\"scopes_supported\":[\"read\"]}");
        HttpResponse<String> post = send(base, "POST", "/.well-known/oauth-protected-resource", null);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        HttpResponse<String> rejected = get(base, "/items", null);
        assertThat(rejected.headers().allValues("WWW-Authenticate"))
                .containsExactly("Bearer resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource\"");
    }

    @Test
    @DisplayName("bad input gets the canonical 401 (JSON, no-store, challenge) or a 4xx from the runtime: never a 5xx or a stack trace")
    void badInputGetsTheCanonicalAnswer(TestIssuer issuer) throws Exception {
        URI base = serve(filter(issuer).build());
        List<String> values = List.of("Bearer " + "a".repeat(6000), "Bearer ....", "Bearer a.b.c", "Bearer caf\u00e9.x.y",
                "Bearer eyJ.eyJ.sig", "Bearer a b", "Negotiate abc", ",", "Bearer ,Bearer x", "Bearer %00", "Bearer \"x\"",
                "Bearer " + issuer.mint().sign() + "x", "Bearer " + issuer.mint().sign().replace('.', ','));
        for (String value : values) {
            RawHttp.Answer answer = RawHttp.send(base, "GET", "/items", "Authorization", value);
            assertThat(answer.status).as(value).isIn(400, 401, 431);
            assertThat(answer.rest).as(value).doesNotContain("Exception").doesNotContain("\tat ");
            if (answer.status == 401) {
                assertThat(answer.header("Cache-Control")).as(value).isEqualTo("no-store");
                assertThat(answer.header("Content-Type")).as(value).startsWith("application/json");
                assertThat(answer.header("WWW-Authenticate")).as(value).startsWith("Bearer");
                assertThat(answer.rest).as(value).contains("{\"error\":\"");
            }
        }
    }

    @Test
    @DisplayName("a POST with a body and no token is rejected before any resource reads the body")
    void postWithoutTokenIsRejected(TestIssuer issuer) throws Exception {
        URI base = serve(filter(issuer).build());
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/payouts")).timeout(TIMEOUT)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x".repeat(65_536))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).startsWith("{\"error\":\"missing_token\"");
        assertThat(response.headers().firstValue("X-Resource")).isEmpty();
    }

    @Test
    @DisplayName("§4: the builder shares the boundary options: environment defaults and construction errors")
    void builderSharesTheBoundaryOptions(TestIssuer issuer) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CaracalRequestFilter.builder().environment(name -> null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Caracal issuer missing: set issuer or CARACAL_STS_URL");
        CaracalRequestFilter fromEnvironment = CaracalRequestFilter.builder()
                .environment(name -> name.equals("CARACAL_STS_URL") ? issuer.url() + "/" : name.equals("CARACAL_ZONE_ID") ? issuer.zone() : null)
                .audience(issuer.audience()).revocations(issuer.revocations()).build();
        assertThat(fromEnvironment.verifier().options().issuer()).isEqualTo(issuer.url());
        assertThat(fromEnvironment.verifier().options().zoneId()).contains(issuer.zone());
        org.assertj.core.api.Assertions.assertThatThrownBy(fromEnvironment::metadata).isInstanceOf(IllegalStateException.class)
                .hasMessage("no resourceMetadata(...) configured on this CaracalRequestFilter");
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static CaracalRequestFilter.Builder filter(TestIssuer issuer) {
        return CaracalRequestFilter.builder().verifier(issuer.verifier().requiredScopes("read").build());
    }

    private URI serve(CaracalRequestFilter filter) throws Exception {
        JaxrsRuntime runtime = runtime();
        URI base = runtime.start(new Application() {
            @Override
            public Set<Object> getSingletons() {
                return Set.of(filter, new AppResources(), new ClaimsPropertyProbe());
            }
        });
        started.add(runtime);
        return base;
    }

    private HttpResponse<String> get(URI base, String path, String token) throws Exception {
        return send(base, "GET", path, token);
    }

    private HttpResponse<String> send(URI base, String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
