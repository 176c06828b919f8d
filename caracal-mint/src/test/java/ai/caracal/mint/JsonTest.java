package ai.caracal.mint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    @Test
    void readGivesPlainJavaValuesInDocumentOrder() throws Exception {
        Object value = Json.read(utf8("{\"b\":1,\"a\":[true,null,\"x\",1.50,18446744073709551616]}"));

        assertThat(value).isEqualTo(Map.of("b", 1L, "a",
                Arrays.asList(true, null, "x", new BigDecimal("1.50"), new BigInteger("18446744073709551616"))));
        assertThat(((Map<?, ?>) value).keySet().toArray()).containsExactly("b", "a");
    }

    @Test
    void readRefusesARepeatedMemberNameAndSaysSo() {
        assertThatThrownBy(() -> Json.read(utf8("{\"a\":1,\"a\":2}")))
                .isInstanceOf(Json.SyntaxException.class)
                .hasMessage("JSON text is not valid JSON: duplicate member name")
                .extracting(e -> ((Json.SyntaxException) e).reason()).isEqualTo("is not valid JSON: duplicate member name");
    }

    @Test
    void readLastWinsKeepsTheLastValueOfARepeatedMember() throws Exception {
        assertThat(Json.readLastWins("{\"a\":1,\"a\":2}")).isEqualTo(Map.of("a", 2L));
        assertThat(Json.readLastWins("null")).isNull();
    }

    @Test
    void readObjectLastWinsIsEmptyForAnythingButOneObject() {
        assertThat(Json.readObjectLastWins("{\"a\":1,\"a\":[]}")).contains(Map.of("a", List.of()));
        assertThat(Json.readObjectLastWins("[1]")).isEmpty();
        assertThat(Json.readObjectLastWins("{} {}")).isEmpty();
        assertThat(Json.readObjectLastWins("hello")).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "''|is empty",
        "'  '|is empty",
        "{\"a\":1} 2|has content after the JSON value",
        "{\"a\":1} {}|has content after the JSON value",
        "{a:1}|is not valid JSON",
        "{\"a\":\"secret\"|is not valid JSON"})
    void textThatIsNotOneJsonValueIsRefusedWithoutQuotingIt(String text, String reason) {
        assertThatThrownBy(() -> Json.read(utf8(text))).isInstanceOf(Json.SyntaxException.class)
                .hasMessage("JSON text " + reason).hasMessageNotContaining("secret");
        assertThatThrownBy(() -> Json.readLastWins(text)).isInstanceOf(Json.SyntaxException.class)
                .hasMessage("JSON text " + reason);
    }

    @Test
    void writeIsCompactAndKeepsMapOrder() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("z", 1);
        map.put("a", List.of(2L, (short) 3, 1.5, new BigDecimal("2.50"), BigInteger.TEN));
        map.put("n", null);
        map.put("arr", new Object[] {"x", false});

        assertThat(Json.write(map)).isEqualTo("{\"z\":1,\"a\":[2,3,1.5,2.50,10],\"n\":null,\"arr\":[\"x\",false]}");
        assertThat(Json.pretty(Map.of("a", 1))).isEqualTo("{\n  \"a\" : 1\n}");
    }

    @Test
    void valuesWithNoJsonFormAreRefused() {
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.copy(Map.of(1, "x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void copyIsDeepUnmodifiableAndInTheTypesReadProduces() {
        Object copy = Json.copy(Map.of("a", List.of(1, 1.5)));

        assertThat(copy).isEqualTo(Map.of("a", List.of(1L, new BigDecimal("1.5"))));
        assertThatThrownBy(() -> ((Map<String, Object>) copy).put("b", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
