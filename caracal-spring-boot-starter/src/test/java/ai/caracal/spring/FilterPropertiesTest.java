package ai.caracal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.AuthError;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.http.AuthErrorBody;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each {@code caracal.*} group of connectors.md §6.1 observed over real HTTP. */
@CaracalTest
class FilterPropertiesTest {

    private static final String MISSING_TOKEN_BODY = AuthErrorBody.json(AuthError.of(ErrorCode.MISSING_TOKEN));

    private static TestApp.Builder app(TestIssuer issuer) {
        return TestApp.with(issuer).sources(EchoFixture.class);
    }

    @Test
    void verifiedRequestReachesTheHandlerWithItsClaims(TestIssuer issuer) {
        AtomicInteger calls = new AtomicInteger();
        try (TestApp app = app(issuer).bean("echoCalls", calls).start()) {
            HttpResponse<String> response = app.get("/items", Mandates.now(issuer).sub("user-7").sign());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"sub\":\"user-7\"}");
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    void rejectionHasTheCanonicalResponseAndSkipsTheHandler(TestIssuer issuer) {
        AtomicInteger calls = new AtomicInteger();
        try (TestApp app = app(issuer).bean("echoCalls", calls).start()) {
            HttpResponse<String> response = app.get("/items", null);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(response.body()).isEqualTo(MISSING_TOKEN_BODY);
            assertThat(calls).hasValue(0);
        }
    }

    @Test
    void routesReplaceTheDefaultRuleAndTheLongestPrefixWins(TestIssuer issuer) {
        try (TestApp app = app(issuer)
                .property("caracal.required-scopes", "read")
                .property("caracal.routes[0].prefix", "/payouts")
                .property("caracal.routes[0].required-scopes", "payout")
                .property("caracal.routes[0].require-agent", "true")
                .property("caracal.routes[1].prefix", "/payouts/bulk")
                .property("caracal.routes[1].required-scopes", "payout:bulk")
                .property("caracal.routes[2].prefix", "/delegated")
                .property("caracal.routes[2].require-delegation", "true")
                .property("caracal.routes[2].require-chain-contains", "app-parent")
                .property("caracal.routes[2].max-hop-count", "2")
                .start()) {
            String read = Mandates.now(issuer).scope("read").sign();
            assertThat(app.get("/items", read).statusCode()).isEqualTo(200);
            assertThat(app.get("/payoutsX", read).statusCode()).isEqualTo(200);

            HttpResponse<String> noPayoutScope = app.get("/payouts/create", read);
            assertThat(noPayoutScope.statusCode()).isEqualTo(403);
            assertThat(noPayoutScope.headers().firstValue("WWW-Authenticate")).contains(
                    "Bearer error=\"insufficient_scope\", error_description=\"Mandate lacks scope: payout\", scope=\"payout\"");
            assertThat(app.get("/payouts/create", Mandates.now(issuer).scope("payout").sign()).body())
                    .contains("\"error\":\"agent_required\"");
            assertThat(app.get("/payouts/create", Mandates.now(issuer).scope("payout").agentSession().sign()).statusCode())
                    .isEqualTo(200);
            assertThat(app.get("/payouts/bulk/run", Mandates.now(issuer).scope("payout").agentSession().sign()).body())
                    .contains("Mandate lacks scope: payout:bulk");
            assertThat(app.get("/payouts/bulk/run", Mandates.now(issuer).scope("payout:bulk").sign()).statusCode())
                    .isEqualTo(200);

            assertThat(app.get("/delegated/x", read).body()).contains("\"error\":\"delegation_required\"");
            assertThat(app.get("/delegated/x", Mandates.now(issuer).delegationEdge().chain("app-child").sign()).body())
                    .contains("\"error\":\"chain_mismatch\"");
            assertThat(app.get("/delegated/x", Mandates.now(issuer).delegationEdge().chain("app-parent").hopCount(3).sign()).body())
                    .contains("\"error\":\"hop_count_exceeded\"");
            assertThat(app.get("/delegated/x", Mandates.now(issuer).delegationEdge().chain("app-parent").hopCount(2).sign()).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void excludedPrefixesPassUnverifiedAndWithoutClaims(TestIssuer issuer) {
        try (TestApp app = app(issuer).property("caracal.exclude", "/healthz,/public/").start()) {
            assertThat(app.get("/healthz", null).body()).isEqualTo("{\"sub\":null}");
            assertThat(app.get("/healthz/live", null).statusCode()).isEqualTo(200);
            assertThat(app.get("/public/docs", null).statusCode()).isEqualTo(200);
            assertThat(app.get("/healthz", Mandates.now(issuer).sign()).body()).isEqualTo("{\"sub\":null}");
            assertThat(app.get("/healthzX", null).statusCode()).isEqualTo(401);
            assertThat(app.get("/healthz/../items", null).statusCode()).isIn(400, 401);
        }
    }

    @Test
    void wwwAuthenticateCanBeTurnedOff(TestIssuer issuer) {
        try (TestApp app = app(issuer).property("caracal.www-authenticate.enabled", "false").start()) {
            HttpResponse<String> response = app.get("/items", null);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
            assertThat(response.body()).isEqualTo(MISSING_TOKEN_BODY);
        }
    }

    @Test
    void wwwAuthenticateCarriesTheRealm(TestIssuer issuer) {
        try (TestApp app = app(issuer).property("caracal.www-authenticate.realm", "payments").start()) {
            assertThat(app.get("/items", null).headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"payments\"");
            assertThat(app.get("/items", "not.a.jwt").headers().firstValue("WWW-Authenticate")).contains(
                    "Bearer realm=\"payments\", error=\"invalid_token\", error_description=\"Mandate rejected\"");
        }
    }

    @Test
    void resourceMetadataIsServedAtItsWellKnownPathAndAdvertised(TestIssuer issuer) {
        try (TestApp app = app(issuer)
                .property("caracal.required-scopes", "read")
                .property("caracal.routes[0].prefix", "/payouts")
                .property("caracal.routes[0].required-scopes", "payout")
                .property("caracal.resource-metadata.enabled", "true")
                .property("caracal.resource-metadata.resource", "https://api.example.com/mcp")
                .property("caracal.resource-metadata.resource-name", "Payments API")
                .start()) {
            HttpResponse<String> document = app.get("/.well-known/oauth-protected-resource/mcp", null);
            assertThat(document.statusCode()).isEqualTo(200);
            assertThat(document.headers().firstValue("Cache-Control")).contains("public, max-age=300");
            assertThat(document.body()).isEqualTo("{\"resource\":\"https://api.example.com/mcp\",\"authorization_servers\":[\""
                    + issuer.url() + "\"],\"bearer_methods_supported\":[\"header\"],\"scopes_supported\":[\"read\",\"payout\"],"
                    + "\"resource_name\":\"Payments API\"}");
            assertThat(app.send("POST", "/.well-known/oauth-protected-resource/mcp", null).statusCode()).isEqualTo(405);
            assertThat(app.get("/items", null).headers().firstValue("WWW-Authenticate")).contains(
                    "Bearer resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource/mcp\"");
        }
    }

    @Test
    void resourceMetadataDefaultsToTheAudienceAndTakesExplicitSettings(TestIssuer issuer) {
        try (TestApp app = app(issuer)
                .property("caracal.url-patterns", "/api/*")
                .property("caracal.resource-metadata.enabled", "true")
                .property("caracal.resource-metadata.authorization-servers", "https://as.example")
                .property("caracal.resource-metadata.scopes-supported", "a,b")
                .start()) {
            // audience https://api.test has no path: the document is at the bare well-known path, which
            // is served although caracal.url-patterns does not cover it.
            HttpResponse<String> document = app.get("/.well-known/oauth-protected-resource", null);
            assertThat(document.statusCode()).isEqualTo(200);
            assertThat(document.body()).isEqualTo("{\"resource\":\"https://api.test\",\"authorization_servers\":[\"https://as.example\"],"
                    + "\"bearer_methods_supported\":[\"header\"],\"scopes_supported\":[\"a\",\"b\"]}");
        }
    }

    @Test
    void resourceMetadataIsNotServedUnlessEnabled(TestIssuer issuer) {
        try (TestApp app = app(issuer).start()) {
            assertThat(app.get("/.well-known/oauth-protected-resource", null).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void permitPreflightLetsCorsPreflightsThrough(TestIssuer issuer) {
        HttpRequest.Builder preflight = HttpRequest.newBuilder().method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST");
        try (TestApp app = app(issuer).property("caracal.permit-preflight", "true").start()) {
            HttpResponse<String> response = app.send(preflight.copy().uri(app.uri("/items")), null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"sub\":null}");
        }
        try (TestApp app = app(issuer).start()) {
            assertThat(app.send(preflight.copy().uri(app.uri("/items")), null).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void jwksFetchTimeoutBoundsAHangingKeySet(TestIssuer issuer) {
        try (TestApp app = app(issuer).property("caracal.jwks.fetch-timeout", "300ms").start()) {
            String token = Mandates.now(issuer).sign();
            issuer.jwks().hang();
            long started = System.nanoTime();
            HttpResponse<String> response = app.get("/items", token);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("\"error\":\"invalid_token\"");
            // The default (5 s) would still be waiting; well under it proves the setting applies.
            assertThat(tookMillis).isLessThan(4_000);
        }
    }

    @Test
    void jwksRefetchCooldownGatesUnknownKeyRefetches(TestIssuer issuer) {
        try (TestApp app = app(issuer).property("caracal.jwks.refetch-cooldown", "0s").start()) {
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(200);
            issuer.rotateKey();
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(200);
        }
        try (TestApp app = app(issuer).start()) {
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(200);
            issuer.rotateKey();
            // Within the default 30 s cooldown the new kid is not fetched.
            assertThat(app.get("/items", Mandates.now(issuer).sign()).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void jwksTtlAndMaxStaleReachTheKeyCache(TestIssuer issuer) {
        Throwable failure = app(issuer).property("caracal.jwks.ttl", "10m").property("caracal.jwks.max-stale", "5m").failure();
        assertThat(AutoConfigurationTest.rootCause(failure)).hasMessageContaining("jwksMaxStale must not be shorter than jwksTtl");
        assertThat(failure).hasStackTraceContaining("Invalid caracal.jwks settings");
    }

    @Test
    void warmupOnStartupFetchesTheKeySetWhenReady(TestIssuer issuer) {
        try (TestApp app = app(issuer).property("caracal.warmup-on-startup", "true").start()) {
            assertThat(app.context().isActive()).isTrue();
            assertThat(issuer.jwks().requests()).isEqualTo(1);
        }
    }

    @Test
    void warmupFailureDoesNotStopTheApplication(TestIssuer issuer) {
        issuer.jwks().failWith(503);
        try (TestApp app = app(issuer).property("caracal.warmup-on-startup", "true").start()) {
            assertThat(issuer.jwks().requests()).isGreaterThanOrEqualTo(1);
            issuer.jwks().reset();
            // the failed warm-up holds the next fetch back for the failure back-off (V127): within it a
            // request fails at once; the first one after it fetches and is served (V128)
            String token = Mandates.now(issuer).sign();
            Eventually.waitUntil(Duration.ofSeconds(10), "a request after the back-off is served",
                    () -> app.get("/items", token).statusCode() == 200);
            assertThat(issuer.jwks().requests()).isEqualTo(1);
        }
    }

    @Test
    void noWarmupWhenDisabled(TestIssuer issuer) {
        try (TestApp app = app(issuer).start()) {
            assertThat(app.context().isActive()).isTrue();
            assertThat(issuer.jwks().requests()).isZero();
        }
    }
}
