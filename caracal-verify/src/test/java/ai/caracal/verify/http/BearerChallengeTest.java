package ai.caracal.verify.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.verify.AuthError;
import ai.caracal.verify.ErrorCode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** connectors.md §2.3: the RFC 6750 {@code WWW-Authenticate} value of every rejection. */
class BearerChallengeTest {

    private static final String REALM = "R";
    private static final String URL = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp";

    private static AuthError error(ErrorCode code, String description) {
        return new AuthError(code, description, code.hint());
    }

    @Test
    @DisplayName("401 missing_token: Bearer, with no error parameter")
    void missingTokenIsBareBearer() {
        assertThat(BearerChallenge.of(AuthError.of(ErrorCode.MISSING_TOKEN), null, List.of("read"), null))
                .isEqualTo("Bearer");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ErrorCode.class, names = {"INVALID_TOKEN", "INVALID_ZONE", "SESSION_REVOKED", "DELEGATION_STALE"})
    @DisplayName("401, any other code: error=\"invalid_token\" and the description; the Caracal code stays in the body")
    void otherUnauthorisedCodesAreInvalidToken(ErrorCode code) {
        AuthError error = AuthError.of(code);
        assertThat(BearerChallenge.of(error, null, List.of("read"), null))
                .isEqualTo("Bearer error=\"invalid_token\", error_description=\"" + error.description() + "\"");
    }

    @Test
    @DisplayName("403 insufficient_scope: error, description and the rule's scopes joined by single spaces")
    void insufficientScopeCarriesTheRuleScopes() {
        AuthError error = error(ErrorCode.INSUFFICIENT_SCOPE, "Mandate lacks scope: tool:call");
        assertThat(BearerChallenge.of(error, null, List.of("tool:call"), null)).isEqualTo(
                "Bearer error=\"insufficient_scope\", error_description=\"Mandate lacks scope: tool:call\", scope=\"tool:call\"");
        assertThat(BearerChallenge.of(error(ErrorCode.INSUFFICIENT_SCOPE, "Mandate lacks scope: write"), null,
                List.of("read", "write"), null)).isEqualTo(
                "Bearer error=\"insufficient_scope\", error_description=\"Mandate lacks scope: write\", scope=\"read write\"");
    }

    @Test
    @DisplayName("403 insufficient_scope with no required scopes: the scope parameter is left out, with no separator behind")
    void insufficientScopeWithoutScopesHasNoScopeParameter() {
        assertThat(BearerChallenge.of(AuthError.of(ErrorCode.INSUFFICIENT_SCOPE), null, List.of(), null))
                .isEqualTo("Bearer error=\"insufficient_scope\", error_description=\"Mandate lacks scope\"");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ErrorCode.class, names = {"AGENT_REQUIRED", "DELEGATION_REQUIRED", "CHAIN_MISMATCH", "HOP_COUNT_EXCEEDED"})
    @DisplayName("403, other codes: error=\"insufficient_scope\" and the description, never a scope")
    void otherForbiddenCodesHaveNoScope(ErrorCode code) {
        AuthError error = AuthError.of(code);
        assertThat(BearerChallenge.of(error, null, List.of("payout"), null))
                .isEqualTo("Bearer error=\"insufficient_scope\", error_description=\"" + error.description() + "\"");
    }

    static Stream<Arguments> realmAndMetadata() {
        AuthError missing = AuthError.of(ErrorCode.MISSING_TOKEN);
        AuthError invalid = AuthError.of(ErrorCode.INVALID_TOKEN);
        AuthError scope = error(ErrorCode.INSUFFICIENT_SCOPE, "Mandate lacks scope: read");
        AuthError agent = AuthError.of(ErrorCode.AGENT_REQUIRED);
        return Stream.of(
                Arguments.of(missing, REALM, null, "Bearer realm=\"R\""),
                Arguments.of(missing, null, URL, "Bearer resource_metadata=\"" + URL + "\""),
                Arguments.of(missing, REALM, URL, "Bearer realm=\"R\", resource_metadata=\"" + URL + "\""),
                Arguments.of(invalid, REALM, null, "Bearer realm=\"R\", error=\"invalid_token\", error_description=\"Mandate rejected\""),
                Arguments.of(invalid, null, URL, "Bearer error=\"invalid_token\", error_description=\"Mandate rejected\", resource_metadata=\"" + URL + "\""),
                Arguments.of(invalid, REALM, URL,
                        "Bearer realm=\"R\", error=\"invalid_token\", error_description=\"Mandate rejected\", resource_metadata=\"" + URL + "\""),
                Arguments.of(scope, REALM, URL, "Bearer realm=\"R\", error=\"insufficient_scope\", error_description=\"Mandate lacks scope: read\","
                        + " scope=\"read\", resource_metadata=\"" + URL + "\""),
                Arguments.of(agent, REALM, URL, "Bearer realm=\"R\", error=\"insufficient_scope\", error_description=\"Agent session required\","
                        + " resource_metadata=\"" + URL + "\""));
    }

    @ParameterizedTest(name = "{0}, realm {1}, metadata {2}")
    @MethodSource("realmAndMetadata")
    @DisplayName("parameters come as realm, error, error_description, scope, resource_metadata, separated by \", \"")
    void parameterOrderWithRealmAndMetadata(AuthError error, String realm, String url, String expected) {
        assertThat(BearerChallenge.of(error, realm, List.of("read"), url)).isEqualTo(expected);
    }

    @Test
    @DisplayName("the description keeps %x20-21 / %x23-5B / %x5D-7E and turns every other character into ?")
    void descriptionIsSanitised() {
        String allowed = " !#[]~azAZ09:/";
        AuthError error = error(ErrorCode.INVALID_TOKEN, "q\"b\\t\tn\nd\u007fc\u0085e\u00e9s\u2028x\uD83D\uDE00" + allowed);
        assertThat(BearerChallenge.of(error, null, List.of(), null)).isEqualTo(
                "Bearer error=\"invalid_token\", error_description=\"q?b?t?n?d?c?e?s?x??" + allowed + "\"");
    }

    @Test
    @DisplayName("the scope value is sanitised like the description, so \" and \\ never appear")
    void scopeIsSanitised() {
        AuthError error = error(ErrorCode.INSUFFICIENT_SCOPE, "Mandate lacks scope: a\"b");
        assertThat(BearerChallenge.of(error, null, List.of("a\"b", "c\\d", "\u00e9"), null)).isEqualTo(
                "Bearer error=\"insufficient_scope\", error_description=\"Mandate lacks scope: a?b\", scope=\"a?b c?d ?\"");
    }

    @Test
    @DisplayName("sanitize: exactly %x20-21 / %x23-5B / %x5D-7E pass unchanged, over every UTF-16 unit")
    void sanitizeRange() {
        for (int c = 0; c <= 0xFFFF; c++) {
            boolean allowed = (c >= 0x20 && c <= 0x21) || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
            String one = String.valueOf((char) c);
            assertThat(BearerChallenge.sanitize(one)).as("U+%04X", c).isEqualTo(allowed ? one : "?");
        }
    }
}
