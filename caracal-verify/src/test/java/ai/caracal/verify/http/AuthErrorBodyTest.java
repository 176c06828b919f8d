package ai.caracal.verify.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.verify.AuthError;
import ai.caracal.verify.ErrorCode;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** connectors.md §2.2: the one JSON form of a failure. */
class AuthErrorBodyTest {

    @Test
    @DisplayName("missing_token: exact bytes, keys error, error_description, error_hint, < and > not escaped")
    void missingTokenExactBytes() {
        assertThat(AuthErrorBody.json(AuthError.of(ErrorCode.MISSING_TOKEN))).isEqualTo(
                "{\"error\":\"missing_token\",\"error_description\":\"Bearer mandate missing\","
                        + "\"error_hint\":\"Send the mandate as Authorization: Bearer <mandate>.\"}");
    }

    @Test
    @DisplayName("the §2.2 insufficient_scope example, byte for byte")
    void insufficientScopeExample() {
        AuthError error = new AuthError(ErrorCode.INSUFFICIENT_SCOPE, "Mandate lacks scope: tool:call", ErrorCode.INSUFFICIENT_SCOPE.hint());
        assertThat(AuthErrorBody.json(error)).isEqualTo(
                "{\"error\":\"insufficient_scope\",\"error_description\":\"Mandate lacks scope: tool:call\","
                        + "\"error_hint\":\"Obtain a mandate granting every scope this route requires.\"}");
    }

    @Test
    @DisplayName("<, > and & are written as they are; only JSON's own escapes (quote, backslash, controls) apply")
    void htmlCharactersAreNotEscaped() {
        AuthError error = new AuthError(ErrorCode.INVALID_TOKEN, "a & b <c> \"d\" e\\f\ng", "h&<>");
        assertThat(AuthErrorBody.json(error)).isEqualTo(
                "{\"error\":\"invalid_token\",\"error_description\":\"a & b <c> \\\"d\\\" e\\\\f\\ng\",\"error_hint\":\"h&<>\"}");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ErrorCode.class)
    @DisplayName("every code: a strict parse finds exactly the three string members, in order, with the code's wire form")
    void everyCodeHasExactlyThreeMembers(ErrorCode code) throws IOException {
        AuthError error = AuthError.of(code);
        Map<String, String> members = strictObject(AuthErrorBody.json(error));
        assertThat(members).containsExactly(
                Map.entry("error", code.wire()),
                Map.entry("error_description", error.description()),
                Map.entry("error_hint", code.hint()));
    }

    @Test
    @DisplayName("non-ASCII text round-trips through the UTF-8 body")
    void nonAsciiRoundTrips() throws IOException {
        AuthError error = new AuthError(ErrorCode.CHAIN_MISMATCH, "Delegation chain lacks application: caf\u00e9-\u6771", "h");
        String json = AuthErrorBody.json(error);
        String decoded = new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertThat(strictObject(decoded)).containsEntry("error_description", "Delegation chain lacks application: caf\u00e9-\u6771");
    }

    @Test
    @DisplayName("members(): the same three members as an ordered, unmodifiable map")
    void membersAreOrderedAndUnmodifiable() {
        Map<String, Object> members = AuthErrorBody.members(AuthError.of(ErrorCode.AGENT_REQUIRED));
        assertThat(members).containsExactly(
                Map.entry("error", "agent_required"),
                Map.entry("error_description", "Agent session required"),
                Map.entry("error_hint", ErrorCode.AGENT_REQUIRED.hint()));
        assertThatThrownBy(() -> members.put("extra", "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("a null error is rejected")
    void nullErrorIsRejected() {
        assertThatThrownBy(() -> AuthErrorBody.json(null)).isInstanceOf(NullPointerException.class).hasMessage("error");
        assertThatThrownBy(() -> AuthErrorBody.members(null)).isInstanceOf(NullPointerException.class).hasMessage("error");
    }

    /** A flat object of string members; fails on duplicates, other value types and trailing content. */
    static Map<String, String> strictObject(String json) throws IOException {
        JsonFactory factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        Map<String, String> members = new LinkedHashMap<>();
        try (JsonParser parser = factory.createParser(json)) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                assertThat(parser.nextToken()).as("value of %s", name).isEqualTo(JsonToken.VALUE_STRING);
                members.put(name, parser.getText());
            }
            assertThat(parser.currentToken()).isEqualTo(JsonToken.END_OBJECT);
            assertThat(parser.nextToken()).as("trailing content").isNull();
        }
        return members;
    }
}
