package ai.caracal.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** connectors.md §10.2 M9: decoding {@code Mcp-Name} and comparing the routing headers with the body. */
class RoutingHeadersTest {

    private static final McpMessage SEARCH = new McpMessage("tools/call", "search", "2");

    @Test
    @DisplayName("M9 plain ASCII passes as is; the base64 form is decoded exactly once")
    void decodesOnce() {
        assertThat(RoutingHeaders.decode("search")).isEqualTo("search");
        assertThat(RoutingHeaders.decode("=?base64??=")).as("an empty name has only the base64 form").isEmpty();
        assertThat(RoutingHeaders.decode("=?base64?Y2Fmw6k=?=")).isEqualTo("café");
        assertThat(RoutingHeaders.decode("=?base64?PT9iYXNlNjQ/YzJWaGNtTm8/PQ==?=")).isEqualTo("=?base64?c2VhcmNo?=");
    }

    @ParameterizedTest(name = "Mcp-Name {0} is malformed")
    @ValueSource(strings = {"", "caf\u00e9", "a\tb", "=?base64?=", "=?base64?Y2Fmw6k?=", "=?base64?Y2Fm*6k=?=",
        "=?base64?Y2Fmw6k=", "=?base64?/w==?="})
    @DisplayName("M9 malformed Mcp-Name values are refused")
    void malformedValuesAreRefused(String value) {
        assertThatThrownBy(() -> RoutingHeaders.decode(value)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RoutingHeaders.disagreement(List.of(), List.of(value), SEARCH)).isEqualTo("Header mismatch: malformed Mcp-Name");
    }

    @Test
    @DisplayName("M9 over-long values are refused, plain and base64")
    void overLongValuesAreRefused() {
        assertThatThrownBy(() -> RoutingHeaders.decode("a".repeat(RoutingHeaders.MAX_LENGTH + 1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(RoutingHeaders.disagreement(List.of("t".repeat(RoutingHeaders.MAX_LENGTH + 1)), List.of(), SEARCH))
                .isEqualTo("Header mismatch: malformed Mcp-Method");
        assertThat(RoutingHeaders.decode("a".repeat(RoutingHeaders.MAX_LENGTH))).hasSize(RoutingHeaders.MAX_LENGTH);
    }

    @Test
    @DisplayName("M9 absent headers agree with any body; present ones must match exactly")
    void comparison() {
        assertThat(RoutingHeaders.disagreement(List.of(), List.of(), SEARCH)).isNull();
        assertThat(RoutingHeaders.disagreement(List.of("tools/call"), List.of("search"), SEARCH)).isNull();
        assertThat(RoutingHeaders.disagreement(List.of("tools/call"), List.of("Search"), SEARCH)).isNotNull();
        assertThat(RoutingHeaders.disagreement(List.of(), List.of("search"), new McpMessage("tools/call", null, "2"))).isNotNull();
        assertThat(RoutingHeaders.disagreement(List.of("tools/call"), List.of(), null)).isNotNull();
        assertThat(RoutingHeaders.disagreement(List.of(), List.of(), null)).isNull();
    }
}
