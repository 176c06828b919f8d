package ai.caracal.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses untrusted JSON into plain Java values, stricter than RFC 8259 requires: the text must be
 * valid UTF-8, hold exactly one value, repeat no member name in any object, and nest at most
 * {@value #MAX_DEPTH} levels.
 *
 * <p>Values: objects become unmodifiable insertion-ordered {@code Map<String,Object>}, arrays
 * unmodifiable {@code List<Object>}, strings {@code String}, integers {@code Long} (or
 * {@code BigInteger} beyond the long range), numbers with a fraction or exponent {@code BigDecimal}
 * (exact, so {@code 300.0} and {@code 300.5} stay distinguishable), booleans {@code Boolean}, and
 * {@code null} stays {@code null}.
 */
final class StrictJson {

    static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private StrictJson() {
    }

    /**
     * @param utf8 the JSON text as UTF-8 bytes
     * @return the members of the top-level object
     * @throws InvalidMandate when the bytes are not one strict JSON object
     */
    static Map<String, Object> parseObject(byte[] utf8, String what) throws InvalidMandate {
        String text = decodeUtf8(utf8, what);
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidMandate(what + "-not-object");
            }
            Map<String, Object> object = readObject(parser, what);
            if (parser.nextToken() != null) {
                throw new InvalidMandate(what + "-trailing-data");
            }
            return object;
        } catch (IOException | RuntimeException e) {
            throw new InvalidMandate(what + "-json");
        }
    }

    private static String decodeUtf8(byte[] bytes, String what) throws InvalidMandate {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidMandate(what + "-utf8");
        }
    }

    private static Object readValue(JsonParser parser, JsonToken token, String what) throws IOException, InvalidMandate {
        switch (token) {
            case START_OBJECT:
                return readObject(parser, what);
            case START_ARRAY:
                return readArray(parser, what);
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue()
                        : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new InvalidMandate(what + "-json");
        }
    }

    private static Map<String, Object> readObject(JsonParser parser, String what) throws IOException, InvalidMandate {
        Map<String, Object> members = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String name = parser.currentName();
            if (members.containsKey(name)) {
                throw new InvalidMandate(what + "-duplicate-member");
            }
            members.put(name, readValue(parser, parser.nextToken(), what));
        }
        return Collections.unmodifiableMap(members);
    }

    private static List<Object> readArray(JsonParser parser, String what) throws IOException, InvalidMandate {
        List<Object> elements = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            elements.add(readValue(parser, token, what));
        }
        return Collections.unmodifiableList(elements);
    }

    /** @return {@code true} for a JSON number value as produced by this parser */
    static boolean isNumber(Object value) {
        return value instanceof Long || value instanceof BigDecimal || value instanceof java.math.BigInteger;
    }
}
