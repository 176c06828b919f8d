package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** §7 splitting: runs of Unicode whitespace (plus four non-breaking spaces) separate; order of first appearance. */
class ScopesTest {

    static Stream<Arguments> splits() {
        return Stream.of(
                Arguments.of("", List.of()),
                Arguments.of(" \t\r\n ", List.of()),
                Arguments.of("read write", List.of("read", "write")),
                Arguments.of("  read  ", List.of("read")),
                Arguments.of("write read write", List.of("write", "read")),
                Arguments.of("Read read", List.of("Read", "read")),
                Arguments.of("a\r\nb\tc", List.of("a", "b", "c")),
                Arguments.of("a\u00A0b", List.of("a", "b")),
                Arguments.of("a\u2007b", List.of("a", "b")),
                Arguments.of("a\u202Fb", List.of("a", "b")),
                Arguments.of("a\uFEFFb", List.of("a", "b")),
                Arguments.of("a\u3000b", List.of("a", "b")),
                Arguments.of("control:* tenant:read", List.of("control:*", "tenant:read")));
    }

    @ParameterizedTest(name = "split({0}) = {1}")
    @MethodSource("splits")
    @DisplayName("scope strings split on whitespace runs into de-duplicated tokens in order of first appearance")
    void scopeSplitsIntoOrderedUniqueTokens(String scope, List<String> tokens) {
        assertThat(Scopes.split(scope)).containsExactlyElementsOf(tokens);
    }

    @Test
    @DisplayName("the split scope set is unmodifiable")
    void splitScopesAreUnmodifiable() {
        assertThatThrownBy(() -> Scopes.split("read").add("admin")).isInstanceOf(UnsupportedOperationException.class);
    }
}
