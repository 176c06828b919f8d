package ai.caracal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.AuthError;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.http.AuthErrorBody;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/** {@code @CaracalClaims} and {@code @CaracalRequires} (connectors.md §6.3) on a real Spring MVC app. */
@CaracalTest
class HandlerApiTest {

    private static TestApp app;
    private static final AtomicInteger CALLS = new AtomicInteger();

    @BeforeAll
    static void start(TestIssuer issuer) {
        app = TestApp.with(issuer)
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
        // The method asks for "admin" only: the type's "typed" no longer applies.
        assertThat(app.get("/typed/admin", Mandates.now(issuer).scope("admin").sign()).statusCode()).isEqualTo(200);
        HttpResponse<String> typedOnly = app.get("/typed/admin", Mandates.now(issuer).scope("typed").sign());
        assertThat(typedOnly.statusCode()).isEqualTo(403);
        assertThat(typedOnly.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).endsWith("scope=\"admin\""));
    }

    @Test
    void delegationChainAndHopCountAreChecked(TestIssuer issuer) {
        assertThat(app.get("/claims/delegated", Mandates.now(issuer).sign()).body()).contains("delegation_required");
        assertThat(app.get("/claims/delegated", Mandates.now(issuer).delegationEdge().chain("other").sign()).body())
                .contains("chain_mismatch");
        assertThat(app.get("/claims/delegated", Mandates.now(issuer).delegationEdge().chain("app-parent").hopCount(2).sign()).body())
                .contains("hop_count_exceeded");
        assertThat(app.get("/claims/delegated", Mandates.now(issuer).delegationEdge().chain("app-parent").hopCount(1).sign()).statusCode())
                .isEqualTo(200);
    }

    @Test
    @DisplayName("§10.3: a @CaracalRequires rejection of a POST with a 12 MiB body arrives while the body is still being sent, and the connection then ends cleanly or carries another request")
    void requirementFailureIsAnEarlyAnswer(TestIssuer issuer) throws IOException {
        String token = Mandates.now(issuer).scope("read").sign();
        int bodyBytes = 12 * 1024 * 1024;
        URI uri = app.uri("/claims/upload");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(("POST /claims/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + bodyBytes + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] piece = new byte[64 * 1024];
            out.write(piece, 0, 1024);
            out.flush();

            List<String> head = readHead(in);
            String body = new String(in.readNBytes(contentLength(head)), StandardCharsets.UTF_8);
            assertThat(head.get(0)).startsWith("HTTP/1.1 403");
            assertThat(body).startsWith("{\"error\":\"insufficient_scope\"");

            for (int sent = 1024; sent < bodyBytes; sent += piece.length) {
                out.write(piece, 0, Math.min(piece.length, bodyBytes - sent));
            }
            out.flush();
            if (head.stream().anyMatch(line -> line.equalsIgnoreCase("connection: close"))) {
                assertThat(in.read()).as("end of stream after Connection: close").isEqualTo(-1);
            } else {
                out.write("GET /open/optional HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                assertThat(readHead(in).get(0)).startsWith("HTTP/1.1 200");
            }
        }
        assertThat(CALLS).hasValue(0);
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            lines.add(line);
        }
        return lines;
    }

    private static int contentLength(List<String> head) {
        return head.stream().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .map(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no Content-Length in " + head));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new AssertionError("connection closed mid-answer after: " + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @RestController
    static class ClaimsController {

        @PostMapping("/claims/upload")
        @CaracalRequires(scopes = "upload")
        String upload(@RequestBody byte[] body) {
            CALLS.incrementAndGet();
            return "received " + body.length;
        }

        @GetMapping({"/claims/required", "/open/required"})
        String required(@CaracalClaims Claims claims) {
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
        String payout(@CaracalClaims Claims claims) {
            CALLS.incrementAndGet();
            return claims.sub();
        }

        @GetMapping("/claims/delegated")
        @CaracalRequires(delegation = true, chainContains = "app-parent", maxHopCount = 1)
        String delegated() {
            return "ok";
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
