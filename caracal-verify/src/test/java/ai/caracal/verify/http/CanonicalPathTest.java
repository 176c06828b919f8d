package ai.caracal.verify.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** connectors.md §3.2, §3.3 and §3.5: canonical paths, normalisation, prefixes and prefix matching. */
class CanonicalPathTest {

    @ParameterizedTest(name = "\"{0}\" is canonical")
    @ValueSource(strings = {"/", "/items", "/items/", "/payouts/bulk/run", "/a.b", "/.well-known/x", "/...", "/..a", "/a..",
            "/a.", "/%2e%2e", "/caf\u00e9", "/a b"})
    @DisplayName("§3.5: a path starting with / with no empty, . or .. segment, no \\ and no control character is canonical")
    void canonicalPaths(String path) {
        assertThat(CanonicalPath.isCanonical(path)).isTrue();
    }

    static Stream<Arguments> nonCanonicalPaths() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("relative", "items"),
                Arguments.of("only slashes", "//"),
                Arguments.of("leading empty segment", "//items"),
                Arguments.of("interior empty segment", "/a//b"),
                Arguments.of("two trailing slashes", "/a//"),
                Arguments.of("dot segment", "/./a"),
                Arguments.of("trailing dot segment", "/a/."),
                Arguments.of("interior dot segment", "/a/./b"),
                Arguments.of("only a dot segment", "/."),
                Arguments.of("dot-dot segment", "/../a"),
                Arguments.of("trailing dot-dot segment", "/a/.."),
                Arguments.of("trailing dot-dot segment and slash", "/a/../"),
                Arguments.of("uncollapsed dot-dot under an excluded prefix", "/healthz/../payouts"),
                Arguments.of("backslash", "/a\\b"),
                Arguments.of("backslash dot-dot", "/healthz\\..\\payouts"),
                Arguments.of("NUL", "/a\u0000"),
                Arguments.of("tab", "/a\tb"),
                Arguments.of("CR LF", "/a\r\nb"),
                Arguments.of("DEL", "/a\u007f"),
                Arguments.of("C1 control", "/a\u0085"));
    }

    @ParameterizedTest(name = "{0}: \"{1}\" is not canonical")
    @MethodSource("nonCanonicalPaths")
    @DisplayName("§3.5: every other path is not canonical")
    void nonCanonical(String why, String path) {
        assertThat(CanonicalPath.isCanonical(path)).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\" normalises to \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "/healthz/../payouts      | /payouts",
            "/healthz/../items        | /items",
            "//payouts                | /payouts",
            "/payouts//bulk/run       | /payouts/bulk/run",
            "/payouts/./create        | /payouts/create",
            "/payouts/bulk/..         | /payouts",
            "/../../payouts           | /payouts",
            "/a/b/../../c             | /c",
            "/payouts/                | /payouts",
            "/healthz\\..\\payouts    | /payouts",
            "/..                      | /",
            "/                        | /",
            "''                       | /"})
    @DisplayName("§3.5: for route selection dot segments are removed and repeated / collapsed")
    void normalisation(String path, String normalised) {
        assertThat(CanonicalPath.normalize(path)).isEqualTo(normalised);
    }

    @ParameterizedTest(name = "\"{0}\" → \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "/payouts       | /payouts",
            "/payouts/      | /payouts",
            "/payouts///    | /payouts",
            "/payouts/bulk/ | /payouts/bulk",
            "/              | /",
            "//             | /",
            "''             | /",
            "/Payouts       | /Payouts"})
    @DisplayName("§3.2: a configured prefix loses trailing /, and an empty result becomes /")
    void prefixNormalisation(String configured, String prefix) {
        assertThat(CanonicalPath.prefix(configured, "route")).isEqualTo(prefix);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"payouts", "payouts/", " /payouts", "*", "healthz"})
    @DisplayName("§3.2: any other prefix that does not start with / is a construction error naming the option")
    void prefixWithoutSlashIsRejected(String configured) {
        assertThatThrownBy(() -> CanonicalPath.prefix(configured, "exclude"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("exclude prefix must start with /: " + configured);
    }

    @ParameterizedTest(name = "\"{0}\" under \"{1}\": {2}")
    @CsvSource(delimiter = '|', value = {
            // the §3.3 table, prefix by prefix
            "/items              | /payouts      | false",
            "/payouts            | /payouts      | true",
            "/payouts/           | /payouts      | true",
            "/payouts/create     | /payouts      | true",
            "/payoutsX           | /payouts      | false",
            "/payouts/bulk/run   | /payouts/bulk | true",
            "/payouts/bulk/run   | /payouts      | true",
            "/payouts/bulkX      | /payouts/bulk | false",
            "/Payouts/create     | /payouts      | false",
            "/healthz            | /healthz      | true",
            "/healthz/live       | /healthz      | true",
            "/healthzX           | /healthz      | false",
            "/healthz            | /healthz/live | false",
            "/anything           | /             | true",
            "/                   | /             | true",
            "/                   | /payouts      | false"})
    @DisplayName("§3.2/§3.3: a prefix matches itself and what lies below it at a segment boundary, case-sensitively; / matches all")
    void matching(String path, String prefix, boolean matches) {
        assertThat(CanonicalPath.matches(path, prefix)).isEqualTo(matches);
    }

    @Test
    @DisplayName("§3.3: an uncollapsed ../ under an excluded prefix is not canonical, and its normalised form leaves the prefix")
    void dotDotEscapesAnExcludedPrefixOnlyIntoVerification() {
        String raw = "/healthz/../payouts";
        assertThat(CanonicalPath.isCanonical(raw)).isFalse();
        String normalised = CanonicalPath.normalize(raw);
        assertThat(CanonicalPath.matches(normalised, "/healthz")).isFalse();
        assertThat(CanonicalPath.matches(normalised, "/payouts")).isTrue();
    }

    /**
     * The allocation-free scan against the rule as §3.5 words it (strip one trailing {@code /}, split at
     * {@code /}, no segment empty, {@code .} or {@code ..}), on every path of up to seven characters over
     * {@code a . / \\}: they must agree on each.
     */
    @Test
    @DisplayName("§3.5: the scan agrees with the split-based definition on every short path")
    void scanAgreesWithTheDefinition() {
        char[] alphabet = {'a', '.', '/', '\\'};
        int checked = 0;
        for (int length = 0; length <= 7; length++) {
            for (int n = 0; n < Math.pow(alphabet.length, length); n++) {
                char[] path = new char[length];
                for (int k = 0, rest = n; k < length; k++, rest /= alphabet.length) {
                    path[k] = alphabet[rest % alphabet.length];
                }
                String candidate = new String(path);
                assertThat(CanonicalPath.isCanonical(candidate)).as("\"%s\"", candidate).isEqualTo(bySplitting(candidate));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(21_845);
    }

    private static boolean bySplitting(String path) {
        if (path.isEmpty() || path.charAt(0) != '/' || path.indexOf('\\') >= 0) {
            return false;
        }
        if (path.equals("/")) {
            return true;
        }
        String segments = path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1);
        for (String segment : segments.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
