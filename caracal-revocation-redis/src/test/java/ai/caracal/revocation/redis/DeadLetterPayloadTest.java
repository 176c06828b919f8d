package ai.caracal.revocation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeadLetterPayloadTest {

    @Test
    @DisplayName("the payload is compact JSON with keys sorted, _sig and empty values included")
    void payloadIsCompactSortedJson() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("zone_id", "zone1");
        fields.put("_sig", "00");
        fields.put("grant_id", "");
        fields.put("epoch", "9");

        assertThat(DeadLetterPayload.json(fields)).isEqualTo("{\"_sig\":\"00\",\"epoch\":\"9\",\"grant_id\":\"\",\"zone_id\":\"zone1\"}");
    }

    @Test
    @DisplayName("quotes, backslashes and control characters are escaped; other text is kept as is")
    void specialCharactersAreEscaped() {
        Map<String, String> fields = Map.of("k\"ey", "a\"b\\c\nd\te\u0001f\u2028gé🦁");

        assertThat(DeadLetterPayload.json(fields))
                .isEqualTo("{\"k\\\"ey\":\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028gé🦁\"}");
    }

    @Test
    @DisplayName("lone surrogates are escaped so the payload stays valid UTF-8")
    void loneSurrogatesAreEscaped() {
        assertThat(DeadLetterPayload.json(Map.of("k", "x\ud800y\udc00")))
                .isEqualTo("{\"k\":\"x\\ud800y\\udc00\"}");
    }

    @Test
    @DisplayName("an empty map is {}")
    void emptyMapIsEmptyObject() {
        assertThat(DeadLetterPayload.json(Map.of())).isEqualTo("{}");
    }
}
