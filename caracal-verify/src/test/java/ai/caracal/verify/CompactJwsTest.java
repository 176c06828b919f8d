package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** §2: a segment is unpadded base64url. */
class CompactJwsTest {

    static Stream<Arguments> segments() {
        return Stream.of(
                Arguments.of("", true),
                Arguments.of("AA", true),
                Arguments.of("AAA", true),
                Arguments.of("AAAA", true),
                Arguments.of("az09-_A", true),
                Arguments.of("A", false),
                Arguments.of("AAAAA", false),
                Arguments.of("AA==", false),
                Arguments.of("AAA=", false),
                Arguments.of("ab+/", false),
                Arguments.of("AA.A", false),
                Arguments.of("A A", false),
                Arguments.of("A\u00c4A", false),
                Arguments.of("AAA\n", false),
                // V126: the unused low bits of the last character are zero (4 bits at length 2 mod 4, 2 at 3 mod 4)
                Arguments.of("AQ", true),
                Arguments.of("AR", false),
                Arguments.of("Af", false),
                Arguments.of("AAE", true),
                Arguments.of("AAF", false),
                Arguments.of("AAH", false),
                Arguments.of("AAAAAQ", true),
                Arguments.of("AAAAAB", false),
                Arguments.of("AA_w", true));
    }

    @ParameterizedTest(name = "isBase64Url(\"{0}\") = {1}")
    @MethodSource("segments")
    @DisplayName("only A-Z a-z 0-9 - _ with a length that is not 1 mod 4 is base64url")
    void segmentIsUnpaddedBase64Url(String segment, boolean valid) {
        assertThat(CompactJws.isBase64Url(segment, 0, segment.length())).isEqualTo(valid);
    }

    @Test
    @DisplayName("isBase64Url looks only at the given range")
    void onlyTheRangeIsChecked() {
        String token = "==.AAAA.!";
        assertThat(CompactJws.isBase64Url(token, 3, 7)).isTrue();
        assertThat(CompactJws.isBase64Url(token, 0, 2)).isFalse();
        assertThat(CompactJws.isBase64Url(token, 8, 9)).isFalse();
    }
}
