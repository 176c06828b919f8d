package ai.caracal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.AuthError;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.http.AuthErrorBody;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code @CaracalClaims} and {@code @CaracalRequires} (connectors.md §6.3) on a real Spring WebFlux
 * application: the same contract as on Spring MVC, checked before the handler runs.
 */
@CaracalTest
class ReactiveHandlerApiTest {

    private static TestApp app;
    private static final AtomicInteger CALLS = new AtomicInteger();

    @BeforeAll
    static void start(TestIssuer issuer) {
        app = TestApp.with(issuer).reactive()
                .property("caracal.exclude", "/open")
                .sources(ClaimsController.class, TypeLevelController.class)
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @BeforeEach
    void resetCalls() {
        CALLS.set(0);
    }

    @Test
    void requiredClaimsAreInjected(TestIssuer issuer) {
        HttpResponse<String> response = app.get("/claims/required", Mandates.now(issuer).sub("user-9").sign());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("user-9");
    }

    @Test
    void theWebFluxModulesOwnAnnotationIsResolvedToo(TestIssuer issuer) {
        assertThat(app.get("/claims/webflux-annotation", Mandates.now(issuer).sub("user-w").sign()).body()).isEqualTo("user-w");
    }

    @Test
    void requiredClaimsWithoutVerificationAreAServerError() {
        assertThat(app.get("/open/required", null).statusCode()).isEqualTo(500);
    }

    @Test
    void optionalClaimsMayBeAbsent(TestIssuer issuer) {
        assertThat(app.get("/open/optional", null).body()).isEqualTo("none");
        assertThat(app.get("/open/nullable", null).body()).isEqualTo("null");
        assertThat(app.get("/claims/optional", Mandates.now(issuer).sub("user-3").sign()).body()).isEqualTo("user-3");
        assertThat(app.get("/claims/nullable", Mandates.now(issuer).sub("user-4").sign()).body()).isEqualTo("user-4");
    }

    @Test
    void requestAttributeAlsoCarriesTheClaims(TestIssuer issuer) {
        assertThat(app.get("/claims/attribute", Mandates.now(issuer).sub("user-5").sign()).body()).isEqualTo("user-5");
    }

    @Test
    void methodRequirementsAddToTheFilterRule(TestIssuer issuer) {
        HttpResponse<String> ok = app.get("/claims/payout", Mandates.now(issuer).scope("payout:read").agentSession().sign());
        assertThat(ok.statusCode()).isEqualTo(200);

        HttpResponse<String> noAgent = app.get("/claims/payout", Mandates.now(issuer).scope("payout:read").sign());
        assertThat(noAgent.statusCode()).isEqualTo(403);
        assertThat(noAgent.body()).isEqualTo(AuthErrorBody.json(AuthError.of(ErrorCode.AGENT_REQUIRED)));
        assertThat(CALLS).hasValue(1);
    }

    @Test
    void failureAnswersLikeTheFilterWithTheAnnotationsScope(TestIssuer issuer) {
        HttpResponse<String> response = app.get("/claims/payout", Mandates.now(issuer).scope("read").agentSession().sign());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains(
                "Bearer error=\"insufficient_scope\", error_description=\"Mandate lacks scope: payout:read\", scope=\"payout:read\"");
        assertThat(response.body()).isEqualTo("{\"error\":\"insufficient_scope\",\"error_description\":\"Mandate lacks scope: payout:read\","
                + "\"error_hint\":\"" + ErrorCode.INSUFFICIENT_SCOPE.hint() + "\"}");
        assertThat(CALLS).hasValue(0);
    }

    @Test
    void headFailureHasNoBody(TestIssuer issuer) {
        HttpResponse<String> response = app.send("HEAD", "/claims/payout", Mandates.now(issuer).scope("read").sign());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("scope=\"payout:read\""));
        assertThat(response.body()).isEmpty();
    }

    @Test
    void noClaimsIsMissingToken() {
        HttpResponse<String> response = app.get("/open/guarded", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(response.body()).isEqualTo(AuthErrorBody.json(AuthError.of(ErrorCode.MISSING_TOKEN)));
        assertThat(CALLS).hasValue(0);
    }

    @Test
    void typeLevelRequirementsApplyToEveryHandler(TestIssuer issuer) {
        assertThat(app.get("/typed/plain", Mandates.now(issuer).scope("typed").sign()).statusCode()).isEqualTo(200);
        HttpResponse<String> response = app.get("/typed/plain", Mandates.now(issuer).scope("read").sign());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).endsWith("scope=\"typed\""));
    }

    @Test
    void methodLevelReplacesTypeLevel(TestIssuer issuer) {
        assertThat(app.get("/typed/admin", Mandates.now(issuer).scope("admin").sign()).statusCode()).isEqualTo(200);
        HttpResponse<String> typedOnly = app.get("/typed/admin", Mandates.now(issuer).scope("typed").sign());
        assertThat(typedOnly.statusCode()).isEqualTo(403);
        assertThat(typedOnly.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).endsWith("scope=\"admin\""));
    }

    @Test
    void unannotatedHandlersAreLeftToSpring(TestIssuer issuer) {
        assertThat(app.get("/claims/required", Mandates.now(issuer).scope("nothing-special").sign()).statusCode()).isEqualTo(200);
    }

    @RestController
    static class ClaimsController {

        @GetMapping({"/claims/required", "/open/required"})
        Mono<String> required(@CaracalClaims Claims claims) {
            return Mono.just(claims.sub());
        }

        @GetMapping("/claims/webflux-annotation")
        String webfluxAnnotation(@ai.caracal.webflux.CaracalClaims Claims claims) {
            return claims.sub();
        }

        @GetMapping({"/claims/optional", "/open/optional"})
        String optional(@CaracalClaims Optional<Claims> claims) {
            return claims.map(Claims::sub).orElse("none");
        }

        @GetMapping({"/claims/nullable", "/open/nullable"})
        String nullable(@CaracalClaims(required = false) Claims claims) {
            return claims == null ? "null" : claims.sub();
        }

        @GetMapping("/claims/attribute")
        String attribute(@RequestAttribute("ai.caracal.claims") Claims claims) {
            return claims.sub();
        }

        @GetMapping("/claims/payout")
        @CaracalRequires(scopes = "payout:read", agent = true)
        Mono<String> payout(@CaracalClaims Claims claims) {
            CALLS.incrementAndGet();
            return Mono.just(claims.sub());
        }

        @GetMapping("/open/guarded")
        @CaracalRequires(scopes = "read")
        String guarded() {
            CALLS.incrementAndGet();
            return "ran";
        }
    }

    @RestController
    @CaracalRequires(scopes = "typed")
    static class TypeLevelController {

        @GetMapping("/typed/plain")
        String plain() {
            return "plain";
        }

        @GetMapping("/typed/admin")
        @CaracalRequires(scopes = "admin")
        String admin() {
            return "admin";
        }
    }
}
