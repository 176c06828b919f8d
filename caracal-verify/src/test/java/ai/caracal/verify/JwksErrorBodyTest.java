package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** verification.md §3.3: what an issuer's refusal contributes to the one-line failure message. */
class JwksErrorBodyTest {

    private static String detail(String body) {
        return JwksErrorBody.detail(body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
        "{\"error\":\"invalid_request\",\"error_description\":\"zone_id query parameter is required\"}|' invalid_request: zone_id query parameter is required'",
        "{\"error\":\"not_found\"}|' not_found'",
        "{\"error_description\":\"down for maintenance\"}|: down for maintenance",
        "{\"error\":7,\"error_description\":[\"x\"]}|''",
        "<html>Bad Gateway</html>|''",
        "''|''",
        "{\"error\":\"a\"} trailing|''"})
    void theErrorMembersOfAJsonObjectOnly(String body, String expected) {
        assertThat(detail(body)).isEqualTo(expected);
    }

    @Test
    @DisplayName("issuer text stays on one printable line: control characters become spaces, bidi overrides go")
    void oneSafeLine() {
        String detail = detail("{\"error\":\"bad\\r\\nWARN forged line\",\"error_description\":\"a\\u202Eb\\u0000c\"}");

        assertThat(detail).isEqualTo(" bad  WARN forged line: ab c").doesNotContain("\n").doesNotContain("\r");
    }

    @Test
    @DisplayName("a long description is cut at 200 characters and marked")
    void longTextIsCut() {
        String detail = detail("{\"error_description\":\"" + "x".repeat(5000) + "\"}");

        assertThat(detail).isEqualTo(": " + "x".repeat(200) + "...");
    }
}
