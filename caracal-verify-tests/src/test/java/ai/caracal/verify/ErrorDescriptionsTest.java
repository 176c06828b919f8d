package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static ai.caracal.verify.SpecBaseline.mandate;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** verification.md §8.1: every code's default description and hint, and how the verifier uses them. */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class ErrorDescriptionsTest {

    static Stream<Arguments> codeTable() {
        return Stream.of(
                Arguments.of(ErrorCode.MISSING_TOKEN, "Bearer mandate missing",
                        "Send the mandate as Authorization: Bearer <mandate>."),
                Arguments.of(ErrorCode.INVALID_TOKEN, "Mandate rejected",
                        "Check the mandate's signature, issuer, audience, lifetime, use and targets."),
                Arguments.of(ErrorCode.INVALID_ZONE, "Mandate zone not accepted",
                        "Make the mandate's zone_id match the verifier's zoneId."),
                Arguments.of(ErrorCode.SESSION_REVOKED, "Mandate authority revoked",
                        "Obtain a new mandate or start a new authorized session."),
                Arguments.of(ErrorCode.DELEGATION_STALE, "Delegation graph has changed",
                        "Mint a fresh mandate so the current delegation graph applies."),
                Arguments.of(ErrorCode.INSUFFICIENT_SCOPE, "Mandate lacks scope",
                        "Obtain a mandate granting every scope this route requires."),
                Arguments.of(ErrorCode.AGENT_REQUIRED, "Agent session required",
                        "Use a resource mandate issued to a governed agent session."),
                Arguments.of(ErrorCode.DELEGATION_REQUIRED, "Delegated mandate required",
                        "Use a mandate obtained through a delegated grant."),
                Arguments.of(ErrorCode.CHAIN_MISMATCH, "Delegation chain lacks application",
                        "Compare requireChainContains with the mandate's delegation_chain."),
                Arguments.of(ErrorCode.HOP_COUNT_EXCEEDED, "Delegation hop limit exceeded",
                        "Shorten the delegation path or raise maxHopCount deliberately."));
    }

    @ParameterizedTest(name = "§8.1 AuthError.of({0}) is \"{1}\" with its hint")
    @MethodSource("codeTable")
    @DisplayName("§8.1 AuthError.of(code) carries the default description (text before the colon) and the code's hint")
    void defaultErrorCarriesDescriptionAndHint(ErrorCode code, String description, String hint) {
        AuthError error = AuthError.of(code);
        assertThat(error.description()).isEqualTo(description);
        assertThat(error.hint()).isEqualTo(hint);
        assertThat(code.hint()).isEqualTo(hint);
        assertThat(error.toString()).isEqualTo(code.wire() + ": " + description);
    }

    @Test
    @DisplayName("§8.1 the description table covers all 10 codes")
    void tableCoversEveryCode() {
        assertThat(codeTable().map(a -> (ErrorCode) a.get()[0])).containsExactlyInAnyOrder(ErrorCode.values());
    }

    private static Arguments scenario(ErrorCode code, String description, Function<TestIssuer, AuthResult> run) {
        return Arguments.of(code, description, Named.of(code.wire(), run));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                scenario(ErrorCode.MISSING_TOKEN, "Bearer mandate missing",
                        i -> i.verifier().build().authenticate(null)),
                scenario(ErrorCode.INVALID_TOKEN, "Mandate rejected",
                        i -> i.verifier().build().authenticate(mandate(i).claim("exp", SpecBaseline.T).sign())),
                scenario(ErrorCode.INVALID_ZONE, "Mandate zone not accepted",
                        i -> i.verifier().build().authenticate(mandate(i).zoneId("zone-2").sign())),
                scenario(ErrorCode.SESSION_REVOKED, "Mandate authority revoked", i -> {
                    i.revoke("root-1");
                    return i.verifier().build().authenticate(mandate(i).sign());
                }),
                scenario(ErrorCode.DELEGATION_STALE, "Delegation graph has changed", i -> {
                    i.setEpoch("zone-1", 8);
                    return i.verifier().build().authenticate(mandate(i).graphEpoch(7).sign());
                }),
                scenario(ErrorCode.INSUFFICIENT_SCOPE, "Mandate lacks scope: admin",
                        i -> i.verifier().requiredScopes("admin").build().authenticate(mandate(i).sign())),
                scenario(ErrorCode.AGENT_REQUIRED, "Agent session required",
                        i -> i.verifier().requireAgent(true).build().authenticate(mandate(i).sign())),
                scenario(ErrorCode.DELEGATION_REQUIRED, "Delegated mandate required",
                        i -> i.verifier().requireDelegation(true).build().authenticate(mandate(i).sign())),
                scenario(ErrorCode.CHAIN_MISMATCH, "Delegation chain lacks application: app-parent",
                        i -> i.verifier().requireChainContains("app-parent").build().authenticate(mandate(i).chain("app-child").sign())),
                scenario(ErrorCode.HOP_COUNT_EXCEEDED, "Delegation hop limit exceeded",
                        i -> i.verifier().build().authenticate(mandate(i).hopCount(11).sign())));
    }

    @ParameterizedTest(name = "§8.1 a {2} failure is described \"{1}\" and carries the {0} hint")
    @MethodSource("failures")
    @DisplayName("§8.1 every failure from the verifier carries its code's description and hint")
    void verifierFailuresCarryTheirCodesHint(ErrorCode code, String description, Function<TestIssuer, AuthResult> run,
                                             TestIssuer issuer) {
        AuthResult result = run.apply(issuer);
        assertThat(result).failedWith(code).hasDescription(description);
        assertThat(result.error().hint()).isEqualTo(code.hint()).isNotBlank();
        assertThat(result.error().toString()).isEqualTo(code.wire() + ": " + description);
    }
}
