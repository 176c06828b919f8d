package ai.caracal.devsts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain Java values, on jackson-core's streaming API: objects are {@link LinkedHashMap}s in
 * document order, arrays {@link List}s, integers {@link Long} (or {@link BigInteger} when larger),
 * fractions {@link BigDecimal} (the exact decimal written), plus {@link String}, {@link Boolean} and
 * {@code null}. Duplicate member names are rejected. Stateless and thread-safe.
 */
final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    /** Thrown for text that is not exactly one JSON value; the message never quotes the input. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    /**
     * @param utf8 exactly one JSON value, UTF-8 encoded
     * @return the value
     * @throws SyntaxException when the bytes are not one well-formed JSON value
     */
    static Object read(byte[] utf8) throws SyntaxException {
        try (JsonParser parser = FACTORY.createParser(utf8)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new SyntaxException("request body is empty");
            }
            Object value = readValue(parser);
            if (parser.nextToken() != null) {
                throw new SyntaxException("request body has content after the JSON value");
            }
            return value;
        } catch (IOException e) {
            // Jackson's messages quote the input; ours do not.
            String duplicate = e.getMessage() != null && e.getMessage().startsWith("Duplicate field")
                    ? ": duplicate member name" : "";
            throw new SyntaxException("request body is not valid JSON" + duplicate);
        }
    }

    private static Object readValue(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT: {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.put(name, readValue(parser));
                }
                return object;
            }
            case START_ARRAY: {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser));
                }
                return array;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected token");
        }
    }

    /**
     * @param value a value made of maps with string keys, collections, arrays, strings, numbers,
     *              booleans and {@code null}
     * @return its compact JSON text
     * @throws IllegalArgumentException for a value with no JSON form
     */
    static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String) {
            g.writeString((String) value);
        } else if (value instanceof Boolean) {
            g.writeBoolean((Boolean) value);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger) {
            g.writeNumber((BigInteger) value);
        } else if (value instanceof BigDecimal) {
            g.writeNumber((BigDecimal) value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("NaN and infinite numbers have no JSON form");
            }
            g.writeNumber(d);
        } else if (value instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> member : ((Map<?, ?>) value).entrySet()) {
                if (!(member.getKey() instanceof String)) {
                    throw new IllegalArgumentException("JSON object member names must be strings");
                }
                g.writeFieldName((String) member.getKey());
                write(g, member.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Collection) {
            g.writeStartArray();
            for (Object element : (Collection<?>) value) {
                write(g, element);
            }
            g.writeEndArray();
        } else if (value instanceof Object[]) {
            write(g, java.util.Arrays.asList((Object[]) value));
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    /**
     * A deep, unmodifiable copy in the types {@link #read(byte[])} produces (maps keep their order;
     * arrays and lists may hold {@code null}).
     *
     * @param value a value {@link #write(Object)} accepts
     * @return the copy
     * @throws IllegalArgumentException for a value with no JSON form
     */
    static Object copy(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof BigInteger || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("NaN and infinite numbers have no JSON form");
            }
            return BigDecimal.valueOf(d);
        }
        if (value instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> member : ((Map<?, ?>) value).entrySet()) {
                if (!(member.getKey() instanceof String)) {
                    throw new IllegalArgumentException("JSON object member names must be strings");
                }
                copy.put((String) member.getKey(), copy(member.getValue()));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof Collection || value instanceof Object[]) {
            Collection<?> elements = value instanceof Object[]
                    ? java.util.Arrays.asList((Object[]) value) : (Collection<?>) value;
            List<Object> copy = new ArrayList<>(elements.size());
            for (Object element : elements) {
                copy.add(copy(element));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
}
