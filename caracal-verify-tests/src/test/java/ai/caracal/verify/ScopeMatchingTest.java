package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static ai.caracal.verify.SpecBaseline.mandate;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** verification.md §7: required scopes match only identical, whitespace-separated scope tokens. */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class ScopeMatchingTest {

    static Stream<Arguments> scopeTable() {
        return Stream.of(
                Arguments.of("readonly", "read", false),
                Arguments.of("read:users write:users", "read", false),
                Arguments.of("Read write", "read", false),
                Arguments.of("read\twrite\nadmin", "admin", true),
                Arguments.of("read read", "read", true),
                Arguments.of("profile tenant:read", "tenant:read", true),
                Arguments.of("read  write", "write", true),
                Arguments.of(null, "read", false),
                Arguments.of("control:read", "control:*", false),
                Arguments.of("read", " read", false));
    }

    @ParameterizedTest(name = "§7 scope {0} with required {1}: match = {2}")
    @MethodSource("scopeTable")
    @DisplayName("§7 a required scope matches only an identical token of the scope claim")
    void requiredScopeMatchesOnlyIdenticalTokens(String scopeClaim, String required, boolean matches, TestIssuer issuer) {
        MandateBuilder token = mandate(issuer);
        if (scopeClaim == null) {
            token.removeClaim("scope");
        } else {
            token.claim("scope", scopeClaim);
        }
        // Builder entries must not be blank but are not trimmed, so " read" stays a distinct scope.
        MandateVerifier verifier = issuer.verifier().requiredScopes(required).build();
        AuthResult result = verifier.authenticate(token.sign());
        if (matches) {
            assertThat(result).isOk();
        } else {
            assertThat(result).failedWith(ErrorCode.INSUFFICIENT_SCOPE).hasDescription("Mandate lacks scope: " + required);
        }
    }
}
