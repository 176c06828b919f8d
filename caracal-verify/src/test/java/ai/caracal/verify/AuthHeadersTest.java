package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** §9 details beyond the V113 table: which characters separate, what is stripped, ASCII-only case folding. */
class AuthHeadersTest {

    static Stream<Arguments> separatorsAndStripping() {
        return Stream.of(
                Arguments.of("tab separates", "Bearer\ttoken-1", Optional.of("token-1")),
                Arguments.of("newline separates", "Bearer\ntoken-1", Optional.of("token-1")),
                Arguments.of("vertical tab separates", "Bearer\u000Btoken-1", Optional.of("token-1")),
                Arguments.of("em space separates (Character.isWhitespace)", "Bearer\u2003token-1", Optional.of("token-1")),
                Arguments.of("no-break space is not whitespace", "Bearer\u00A0token-1", Optional.empty()),
                Arguments.of("NUL is not whitespace", "Bearer\u0000token-1", Optional.empty()),
                Arguments.of("trailing CRLF is stripped", "Bearer token-1\r\n", Optional.of("token-1")),
                Arguments.of("trailing em space is stripped", "Bearer token-1\u2003", Optional.of("token-1")),
                Arguments.of("interior tab is kept", "Bearer a\tb", Optional.of("a\tb")),
                Arguments.of("mixed case scheme", "bEaReR token-1", Optional.of("token-1")),
                Arguments.of("exactly the scheme, lower case", "bearer", Optional.empty()),
                Arguments.of("Cyrillic e in the scheme", "B\u0435arer token-1", Optional.empty()),
                Arguments.of("scheme split by a space", "Beare r token-1", Optional.empty()),
                Arguments.of("leading tab is not skipped", "\tBearer token-1", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("separatorsAndStripping")
    @DisplayName("extractBearer: separators, stripping and scheme matching")
    void extractBearer(String why, String header, Optional<String> expected) {
        assertThat(AuthHeaders.extractBearer(header)).isEqualTo(expected);
    }
}
