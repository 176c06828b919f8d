package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.logging.LogCapture;
import ai.caracal.verify.http.BoundaryDecision;
import ai.caracal.verify.http.BoundaryRequest;
import ai.caracal.verify.http.HttpBoundary;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * connectors.md §3.3: which rule {@link HttpBoundary} applies to a path, with real mandates. The rule
 * shows in the first scope it demands from a mandate that has none of them.
 */
@CaracalTest
class HttpBoundaryRoutesTest {

    /** The §3.3 configuration. */
    private static HttpBoundary boundary(TestIssuer issuer) {
        return HttpBoundary.builder().verifier(issuer.verifier().requiredScopes("read").build())
                .route("/payouts", Requirements.builder().requiredScopes("payout").requireAgent(true).build())
                .route("/payouts/bulk", Requirements.builder().requiredScopes("payout:bulk").build())
                .exclude("/healthz")
                .build();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "/items                | read",
            "/payouts              | payout",
            "/payouts/             | payout",
            "/payouts/create       | payout",
            "/payoutsX             | read",
            "/payouts/bulk/run     | payout:bulk",
            "/Payouts/create       | read",
            "/healthz              | excluded",
            "/healthz/live         | excluded",
            "/healthzX             | read",
            "/healthz/../payouts   | payout",
            "/healthz/./live       | read",
            "//payouts/create      | payout"})
    @DisplayName("§3.3: the rule applied to each path of the table")
    void ruleForPath(String path, String rule, TestIssuer issuer) {
        BoundaryDecision decision = boundary(issuer).evaluate(request(path, issuer.mint().scope("none").sign()));
        if (rule.equals("excluded")) {
            assertThat(decision.kind()).isEqualTo(BoundaryDecision.Kind.PASS);
            assertThat(decision.claims()).isNull();
        } else {
            assertThat(decision.kind()).isEqualTo(BoundaryDecision.Kind.RESPOND);
            assertThat(new String(decision.response().body(), StandardCharsets.UTF_8))
                    .contains("\"error_description\":\"Mandate lacks scope: " + rule + "\"");
            assertThat(decision.response().headers().get("WWW-Authenticate")).endsWith("scope=\"" + rule + "\"");
        }
    }

    @Test
    @DisplayName("§3.3: /payouts needs payout and an agent; the uncollapsed /healthz/../payouts gets the same rule, and"
            + " (§3.5, Java departs) the default rule of its literal reading too")
    void payoutsNeedsAnAgent(TestIssuer issuer) {
        HttpBoundary boundary = boundary(issuer);
        String payoutOnly = issuer.mint().scope("payout").sign();
        for (String path : List.of("/payouts/create", "/healthz/../payouts")) {
            assertThat(new String(boundary.evaluate(request(path, payoutOnly)).response().body(), StandardCharsets.UTF_8))
                    .as(path).contains("\"agent_required\"");
        }
        assertThat(boundary.evaluate(request("/payouts/create", issuer.mint().scope("payout").agentSession().sign())).kind())
                .isEqualTo(BoundaryDecision.Kind.VERIFIED);
        String agentPayout = issuer.mint().scope("payout").agentSession().sign();
        assertThat(new String(boundary.evaluate(request("/healthz/../payouts", agentPayout)).response().body(), StandardCharsets.UTF_8))
                .as("the literal reading /healthz/../payouts is not excluded: the default rule's read is missing")
                .contains("Mandate lacks scope: read");
        assertThat(boundary.evaluate(request("/healthz/../payouts", issuer.mint().scope("payout read").agentSession().sign())).kind())
                .isEqualTo(BoundaryDecision.Kind.VERIFIED);
    }

    @Test
    @DisplayName("§3.3: /payouts/bulk/run needs payout:bulk only: no agent and no read (rules never stack)")
    void longestRuleAloneApplies(TestIssuer issuer) {
        BoundaryDecision decision = boundary(issuer).evaluate(request("/payouts/bulk/run", issuer.mint().scope("payout:bulk").sign()));
        assertThat(decision.kind()).isEqualTo(BoundaryDecision.Kind.VERIFIED);
        assertThat(decision.claims().scope()).isEqualTo("payout:bulk");
    }

    @Test
    @DisplayName("§3.3: exclude / (or \"\") passes every canonical path and is logged at WARN")
    void excludeEverythingWarns(TestIssuer issuer) {
        for (String everything : List.of("/", "")) {
            try (LogCapture log = LogCapture.of("ai.caracal.verify.http")) {
                HttpBoundary boundary = HttpBoundary.builder().verifier(issuer.verifier().build()).exclude(everything).build();
                assertThat(boundary.evaluate(request("/payouts/create", null)).kind()).isEqualTo(BoundaryDecision.Kind.PASS);
                assertThat(log.warnings()).as("exclude \"%s\"", everything).hasSize(1);
            }
        }
    }

    private static BoundaryRequest request(String path, String token) {
        return new BoundaryRequest() {
            @Override
            public String method() {
                return "GET";
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public List<String> headers(String name) {
                return name.equalsIgnoreCase("Authorization") && token != null ? List.of("Bearer " + token) : List.of();
            }
        };
    }
}
