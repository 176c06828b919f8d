package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static ai.caracal.verify.SpecBaseline.mandate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** verification.md §5–§6: zone, requirements and the canonical check order (V88–V104 of §12.4). */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class RequirementsAndOrderTest {

    private TestIssuer issuer;

    @BeforeEach
    void setUp(TestIssuer issuer) {
        this.issuer = issuer;
    }

    private static Arguments row(String name, UnaryOperator<MandateBuilder> change) {
        return Arguments.of(Named.of(name, change));
    }

    static Stream<Arguments> badZones() {
        return Stream.of(
                row("zone_id absent", b -> b.removeClaim("zone_id")),
                row("zone_id \"\"", b -> b.zoneId("")),
                row("zone_id 7", b -> b.claim("zone_id", 7)),
                row("zone_id zone-2", b -> b.zoneId("zone-2")));
    }

    @ParameterizedTest(name = "V88 {0} is invalid_zone")
    @MethodSource("badZones")
    @DisplayName("V88 zone_id absent, empty, non-string or another zone is invalid_zone")
    void wrongZoneIsInvalidZone(UnaryOperator<MandateBuilder> change) {
        MandateVerifier verifier = issuer.verifier().build();
        assertThat(verifier.authenticate(change.apply(mandate(issuer)).sign()))
                .failedWith(ErrorCode.INVALID_ZONE)
                .hasStatus(401)
                .hasDescription("Mandate zone not accepted");
    }

    @Test
    @DisplayName("V89 a verifier without a zone accepts any zone_id")
    void verifierWithoutZoneAcceptsAnyZone() {
        MandateVerifier verifier = issuer.verifier().zoneId(null).build();
        assertThat(verifier.authenticate(mandate(issuer).zoneId("any-zone").sign()))
                .principalSatisfies(c -> assertThat(c.zoneId()).isEqualTo("any-zone"));
    }

    @Test
    @DisplayName("V90 a verifier without a zone still rejects an absent zone_id as invalid_zone")
    void verifierWithoutZoneRejectsAbsentZone() {
        MandateVerifier verifier = issuer.verifier().zoneId(null).build();
        assertThat(verifier.authenticate(mandate(issuer).removeClaim("zone_id").sign())).failedWith(ErrorCode.INVALID_ZONE);
    }

    @Test
    @DisplayName("V91 a required target missing from target is invalid_token \"Mandate rejected\"")
    void missingRequiredTargetIsInvalidToken() {
        MandateVerifier verifier = issuer.verifier().requiredTargets("https://api.test/files").build();
        assertThat(verifier.authenticate(mandate(issuer).target("https://api.test/cal").sign()))
                .failedWith(ErrorCode.INVALID_TOKEN)
                .hasDescription("Mandate rejected");
    }

    @Test
    @DisplayName("V92 a required target with no target claim is invalid_token")
    void requiredTargetWithoutTargetClaimIsInvalidToken() {
        MandateVerifier verifier = issuer.verifier().requiredTargets("https://api.test/files").build();
        assertThat(verifier.authenticate(mandate(issuer).sign())).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V93 a missing required scope is insufficient_scope naming it, 403")
    void missingScopeIsInsufficientScope() {
        MandateVerifier verifier = issuer.verifier().requiredScopes("admin").build();
        assertThat(verifier.authenticate(mandate(issuer).scope("read").sign()))
                .failedWith(ErrorCode.INSUFFICIENT_SCOPE)
                .hasDescription("Mandate lacks scope: admin")
                .hasStatus(403);
    }

    @Test
    @DisplayName("V94 with requiredScopes(a, b) and scope b, the description names a (first missing, configured order)")
    void firstMissingScopeIsNamed() {
        MandateVerifier verifier = issuer.verifier().requiredScopes("a", "b").build();
        assertThat(verifier.authenticate(mandate(issuer).scope("b").sign()))
                .failedWith(ErrorCode.INSUFFICIENT_SCOPE)
                .hasDescription("Mandate lacks scope: a");
    }

    @Test
    @DisplayName("V95 requiredScopes(\"\") makes building the verifier throw")
    void blankRequiredScopeThrows() {
        assertThatThrownBy(() -> issuer.verifier().requiredScopes("").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requiredScopes");
    }

    @Test
    @DisplayName("V96 requireAgent without agent_session_id is agent_required, 403")
    void missingAgentIsAgentRequired() {
        MandateVerifier verifier = issuer.verifier().requireAgent(true).build();
        assertThat(verifier.authenticate(mandate(issuer).sign()))
                .failedWith(ErrorCode.AGENT_REQUIRED)
                .hasDescription("Agent session required")
                .hasStatus(403);
    }

    @Test
    @DisplayName("V97 requireDelegation without delegation_edge_id is delegation_required, 403")
    void missingDelegationIsDelegationRequired() {
        MandateVerifier verifier = issuer.verifier().requireDelegation(true).build();
        assertThat(verifier.authenticate(mandate(issuer).sign()))
                .failedWith(ErrorCode.DELEGATION_REQUIRED)
                .hasDescription("Delegated mandate required")
                .hasStatus(403);
    }

    @Test
    @DisplayName("V98 requireChainContains is not satisfied by client_id: chain_mismatch naming the application")
    void clientIdDoesNotSatisfyChainRequirement() {
        MandateVerifier verifier = issuer.verifier().requireChainContains("app-parent").build();
        assertThat(verifier.authenticate(mandate(issuer).clientId("app-parent").chain("app-child").sign()))
                .failedWith(ErrorCode.CHAIN_MISMATCH)
                .hasDescription("Delegation chain lacks application: app-parent")
                .hasStatus(403);
    }

    static Stream<Arguments> hopLimits() {
        return Stream.of(
                Arguments.of(2, 2, null),
                Arguments.of(3, 2, ErrorCode.HOP_COUNT_EXCEEDED),
                Arguments.of(10, null, null),
                Arguments.of(11, 0, ErrorCode.HOP_COUNT_EXCEEDED),
                Arguments.of(11, -1, ErrorCode.HOP_COUNT_EXCEEDED));
    }

    @ParameterizedTest(name = "V99 hop_count {0}, maxHopCount {1} (null = default) -> {2} (null = ok)")
    @MethodSource("hopLimits")
    @DisplayName("V99 hop_count against maxHopCount (a value <= 0 means 10)")
    void hopCountIsLimited(int hopCount, Integer maxHopCount, ErrorCode expected) {
        MandateVerifier.Builder builder = issuer.verifier();
        if (maxHopCount != null) {
            builder.maxHopCount(maxHopCount);
        }
        AuthResult result = builder.build().authenticate(mandate(issuer).hopCount(hopCount).sign());
        if (expected == null) {
            assertThat(result).isOk();
        } else {
            assertThat(result).failedWith(expected).hasDescription("Delegation hop limit exceeded").hasStatus(403);
        }
    }

    @Test
    @DisplayName("V100 order: target mismatch plus missing scope is invalid_token")
    void targetsAreCheckedBeforeScopes() {
        MandateVerifier verifier = issuer.verifier().requiredTargets("https://api.test/files").requiredScopes("admin").build();
        assertThat(verifier.authenticate(mandate(issuer).target("https://api.test/cal").sign()))
                .failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V101 order: missing scope plus requireAgent without an agent is insufficient_scope")
    void scopesAreCheckedBeforeAgent() {
        MandateVerifier verifier = issuer.verifier().requiredScopes("admin").requireAgent(true).build();
        assertThat(verifier.authenticate(mandate(issuer).sign())).failedWith(ErrorCode.INSUFFICIENT_SCOPE);
    }

    @Test
    @DisplayName("V102 order: chain mismatch plus hop count exceeded is chain_mismatch")
    void chainIsCheckedBeforeHopCount() {
        MandateVerifier verifier = issuer.verifier().requireChainContains("app-parent").maxHopCount(2).build();
        assertThat(verifier.authenticate(mandate(issuer).chain("app-child").hopCount(3).sign()))
                .failedWith(ErrorCode.CHAIN_MISMATCH);
    }

    @Test
    @DisplayName("V103 order: wrong zone plus missing scope is invalid_zone")
    void zoneIsCheckedBeforeScopes() {
        MandateVerifier verifier = issuer.verifier().requiredScopes("admin").build();
        assertThat(verifier.authenticate(mandate(issuer).zoneId("zone-2").sign())).failedWith(ErrorCode.INVALID_ZONE);
    }

    @Test
    @DisplayName("V104 order: missing scope plus revoked sid-1 is insufficient_scope and the store is not called")
    void requirementsAreCheckedBeforeTheStore() {
        RecordingRevocationStore store = new RecordingRevocationStore(issuer.revocations());
        MandateVerifier verifier = issuer.verifier().requiredScopes("admin").revocations(store).build();
        issuer.revoke("sid-1");
        assertThat(verifier.authenticate(mandate(issuer).sign())).failedWith(ErrorCode.INSUFFICIENT_SCOPE);
        assertThat(store.reads()).isZero();
    }
}
