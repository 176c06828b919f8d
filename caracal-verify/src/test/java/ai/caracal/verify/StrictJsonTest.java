package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict JSON reader behind headers, payloads and key sets (§2: objects, no duplicates). */
class StrictJsonTest {

    private static Map<String, Object> parse(String json) throws InvalidMandate {
        return StrictJson.parseObject(json.getBytes(StandardCharsets.UTF_8), "payload");
    }

    private static String reason(byte[] utf8) {
        try {
            StrictJson.parseObject(utf8, "payload");
        } catch (InvalidMandate e) {
            return e.reason();
        }
        throw new AssertionError("accepted: " + new String(utf8, StandardCharsets.UTF_8));
    }

    private static String reason(String json) {
        return reason(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @ValueSource(strings = {
            "{\"a\":1,\"a\":1}",
            "{\"a\":1,\"\\u0061\":2}",
            "{\"o\":{\"b\":1,\"b\":2}}",
            "{\"l\":[1,{\"c\":true,\"c\":false}]}",
            "{\"deep\":[[[{\"x\":{\"y\":null,\"y\":null}}]]]}"})
    @DisplayName("a repeated member name is rejected at any depth, however it is spelled")
    void duplicateMembersAreRejectedAtAnyDepth(String json) {
        assertThat(reason(json)).isEqualTo("payload-duplicate-member");
    }

    @Test
    @DisplayName("the same member name in different objects is not a duplicate")
    void sameNameInSiblingObjectsIsAllowed() throws InvalidMandate {
        assertThat(parse("{\"a\":{\"a\":1},\"b\":[{\"a\":2},{\"a\":3}]}")).containsOnlyKeys("a", "b");
    }

    private static String nested(int depth) {
        return "{\"a\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
    }

    @Test
    @DisplayName("nesting up to MAX_DEPTH levels, the top-level object included, is accepted")
    void nestingUpToTheLimitIsAccepted() throws InvalidMandate {
        assertThat(parse(nested(StrictJson.MAX_DEPTH))).containsOnlyKeys("a");
    }

    @ParameterizedTest(name = "depth {0} is rejected")
    @ValueSource(ints = {StrictJson.MAX_DEPTH + 1, 100_000})
    @DisplayName("nesting deeper than MAX_DEPTH is rejected without overflowing the stack")
    void nestingBeyondTheLimitIsRejected(int depth) {
        assertThat(reason(nested(depth))).isEqualTo("payload-json");
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                Arguments.of(Named.of("truncated 2-byte sequence", new byte[] {(byte) 0xC3, 0x28})),
                Arguments.of(Named.of("overlong '/'", new byte[] {(byte) 0xC0, (byte) 0xAF})),
                Arguments.of(Named.of("encoded surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})),
                Arguments.of(Named.of("byte 0xFF", new byte[] {(byte) 0xFF})),
                Arguments.of(Named.of("cut-off 3-byte sequence", new byte[] {(byte) 0xE2, (byte) 0x82})));
    }

    @ParameterizedTest(name = "{0} inside a string is rejected")
    @MethodSource("invalidUtf8")
    @DisplayName("invalid UTF-8 is rejected before parsing")
    void invalidUtf8IsRejected(byte[] bad) {
        byte[] prefix = "{\"a\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = "\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] json = new byte[prefix.length + bad.length + suffix.length];
        System.arraycopy(prefix, 0, json, 0, prefix.length);
        System.arraycopy(bad, 0, json, prefix.length, bad.length);
        System.arraycopy(suffix, 0, json, prefix.length + bad.length, suffix.length);
        assertThat(reason(json)).isEqualTo("payload-utf8");
    }

    @Test
    @DisplayName("valid multi-byte UTF-8 is accepted")
    void validUtf8IsAccepted() throws InvalidMandate {
        assertThat(parse("{\"name\":\"z\u00f6ne \u2603 \uD83D\uDE00\"}")).containsEntry("name", "z\u00f6ne \u2603 \uD83D\uDE00");
    }

    @ParameterizedTest(name = "{0} is rejected")
    @ValueSource(strings = {"{} {}", "{}x", "{}]", "{}{", "{} null"})
    @DisplayName("anything but whitespace after the object is rejected")
    void trailingDataIsRejected(String json) {
        assertThat(reason(json)).isIn("payload-trailing-data", "payload-json");
    }

    @Test
    @DisplayName("trailing whitespace after the object is accepted")
    void trailingWhitespaceIsAccepted() throws InvalidMandate {
        assertThat(parse(" {\"a\":1} \r\n\t")).containsEntry("a", 1L);
    }

    @ParameterizedTest(name = "{0} is rejected")
    @ValueSource(strings = {"[]", "[{\"a\":1}]", "\"x\"", "1", "null", "true", ""})
    @DisplayName("a top-level value that is not an object is rejected")
    void nonObjectIsRejected(String json) {
        assertThat(reason(json)).isIn("payload-not-object", "payload-json");
    }

    @ParameterizedTest(name = "{0} is rejected")
    @ValueSource(strings = {"{'a':1}", "{\"a\":1,}", "{\"a\":01}", "{\"a\":NaN}", "{/*c*/\"a\":1}", "{\"a\":\"\t\"}", "{a:1}"})
    @DisplayName("non-standard JSON is rejected")
    void lenientSyntaxIsRejected(String json) {
        assertThat(reason(json)).isEqualTo("payload-json");
    }

    @Test
    @DisplayName("integers become Long (BigInteger beyond long), other numbers exact BigDecimal")
    void numbersKeepTheirExactType() throws InvalidMandate {
        Map<String, Object> values = parse("{\"i\":1,\"neg\":-5,\"max\":9223372036854775807,\"big\":9223372036854775808,"
                + "\"point\":300.0,\"frac\":300.5,\"exp\":1e2}");
        assertThat(values.get("i")).isEqualTo(1L);
        assertThat(values.get("neg")).isEqualTo(-5L);
        assertThat(values.get("max")).isEqualTo(Long.MAX_VALUE);
        assertThat(values.get("big")).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(values.get("point")).isEqualTo(new BigDecimal("300.0"));
        assertThat(values.get("frac")).isEqualTo(new BigDecimal("300.5"));
        assertThat(values.get("exp")).isInstanceOfSatisfying(BigDecimal.class,
                d -> assertThat(d).isEqualByComparingTo(BigDecimal.valueOf(100)));
    }

    @Test
    @DisplayName("strings, booleans, null members, nested objects and arrays keep their values")
    void otherValuesAreKept() throws InvalidMandate {
        Map<String, Object> values = parse("{\"s\":\"x\",\"t\":true,\"f\":false,\"n\":null,\"o\":{\"k\":[1,\"2\"]}}");
        assertThat(values).containsOnlyKeys("s", "t", "f", "n", "o");
        assertThat(values.get("s")).isEqualTo("x");
        assertThat(values.get("t")).isEqualTo(true);
        assertThat(values.get("f")).isEqualTo(false);
        assertThat(values.get("n")).isNull();
        assertThat(values.get("o")).isEqualTo(Map.of("k", List.of(1L, "2")));
    }

    @Test
    @DisplayName("parsed objects and arrays are unmodifiable")
    void resultIsUnmodifiable() throws InvalidMandate {
        Map<String, Object> values = parse("{\"l\":[1]}");
        assertThatThrownBy(() -> values.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) values.get("l")).clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
