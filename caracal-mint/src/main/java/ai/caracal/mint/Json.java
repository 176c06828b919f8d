package ai.caracal.mint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lenient JSON of the dev tools (the dev STS, the test kit, the CLI), on jackson-core's streaming
 * API, as plain Java values: objects are {@link LinkedHashMap}s in document order, arrays {@link List}s,
 * integers {@link Long} (or {@link BigInteger} when larger), fractions {@link BigDecimal} (the exact
 * decimal written), plus {@link String}, {@link Boolean} and {@code null}. Lenient means it checks less
 * than the verifier's strict reader (no UTF-8, depth or I-JSON rules): it is for tools reading their own
 * requests and answers and showing tokens, never for deciding whether a mandate is valid. Stateless and
 * thread-safe.
 */
public final class Json {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonFactory REJECTING_DUPLICATES = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    /** Thrown for text that is not exactly one JSON value; the message never quotes the input. */
    public static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        private final String reason;

        SyntaxException(String reason) {
            super("JSON text " + reason);
            this.reason = reason;
        }

        /**
         * @return what is wrong, as a predicate to put after the name of the text: {@code "is empty"},
         *         {@code "is not valid JSON"}, {@code "is not valid JSON: duplicate member name"} or
         *         {@code "has content after the JSON value"}
         */
        public String reason() {
            return reason;
        }
    }

    /**
     * Reads one JSON value in which no object repeats a member name (a request body: another reader
     * might take the other value).
     *
     * @param utf8 exactly one JSON value, UTF-8 encoded; not null
     * @return the value ({@code null} for JSON {@code null})
     * @throws SyntaxException when the bytes are not one well-formed JSON value, or repeat a member name
     */
    public static Object read(byte[] utf8) throws SyntaxException {
        try (JsonParser parser = REJECTING_DUPLICATES.createParser(utf8)) {
            return readOne(parser);
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /**
     * Reads one JSON value for showing it as it is (a token's header or payload): a repeated member name
     * keeps its last value.
     *
     * @param text exactly one JSON value; not null
     * @return the value ({@code null} for JSON {@code null})
     * @throws SyntaxException when the text is not one well-formed JSON value
     */
    public static Object readLastWins(String text) throws SyntaxException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            return readOne(parser);
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /**
     * Reads one JSON object for showing it (a token segment, a tool's answer), as
     * {@link #readLastWins(String)} does.
     *
     * @param text any text; not null
     * @return the object's members, or empty when the text is not exactly one JSON object
     */
    @SuppressWarnings("unchecked")
    public static Optional<Map<String, Object>> readObjectLastWins(String text) {
        try {
            return readLastWins(text) instanceof Map<?, ?> object
                    ? Optional.of((Map<String, Object>) object) : Optional.empty();
        } catch (SyntaxException e) {
            return Optional.empty();
        }
    }

    private static Object readOne(JsonParser parser) throws IOException, SyntaxException {
        if (parser.nextToken() == null) {
            throw new SyntaxException("is empty");
        }
        Object value = readValue(parser);
        if (parser.nextToken() != null) {
            throw new SyntaxException("has content after the JSON value");
        }
        return value;
    }

    private static SyntaxException notJson(IOException e) {
        // Jackson's messages quote the input; ours do not.
        boolean duplicate = e.getMessage() != null && e.getMessage().startsWith("Duplicate field");
        return new SyntaxException("is not valid JSON" + (duplicate ? ": duplicate member name" : ""));
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
     * @param value a value made of maps (member names written with {@link String#valueOf(Object)}, in
     *              iteration order), collections, arrays, strings, numbers, booleans and {@code null}
     * @return its compact JSON text
     * @throws IllegalArgumentException for a value with no JSON form (another type, NaN, infinities)
     */
    public static String write(Object value) {
        return write(value, false);
    }

    /**
     * @param value as {@link #write(Object)}
     * @return its JSON text, indented for people to read
     * @throws IllegalArgumentException for a value with no JSON form
     */
    public static String pretty(Object value) {
        return write(value, true);
    }

    private static String write(Object value, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            if (pretty) {
                generator.useDefaultPrettyPrinter();
            }
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String text) {
            g.writeString(text);
        } else if (value instanceof Boolean bool) {
            g.writeBoolean(bool);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger integer) {
            g.writeNumber(integer);
        } else if (value instanceof BigDecimal decimal) {
            g.writeNumber(decimal);
        } else if (value instanceof Double || value instanceof Float) {
            g.writeNumber(finite(((Number) value).doubleValue()));
        } else if (value instanceof Map<?, ?> object) {
            g.writeStartObject();
            for (Map.Entry<?, ?> member : object.entrySet()) {
                g.writeFieldName(String.valueOf(member.getKey()));
                write(g, member.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Collection<?> || value instanceof Object[]) {
            g.writeStartArray();
            for (Object element : elements(value)) {
                write(g, element);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static double finite(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("NaN and infinite numbers have no JSON form");
        }
        return d;
    }

    private static Collection<?> elements(Object array) {
        return array instanceof Object[] items ? Arrays.asList(items) : (Collection<?>) array;
    }

    /**
     * A deep, unmodifiable copy in the types {@link #read(byte[])} produces (maps keep their order;
     * arrays and lists may hold {@code null}).
     *
     * @param value a value {@link #write(Object)} accepts, with string member names
     * @return the copy
     * @throws IllegalArgumentException for a value with no JSON form
     */
    public static Object copy(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof BigInteger || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double || value instanceof Float) {
            return BigDecimal.valueOf(finite(((Number) value).doubleValue()));
        }
        if (value instanceof Map<?, ?> object) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> member : object.entrySet()) {
                if (!(member.getKey() instanceof String name)) {
                    throw new IllegalArgumentException("JSON object member names must be strings");
                }
                copy.put(name, copy(member.getValue()));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof Collection<?> || value instanceof Object[]) {
            List<Object> copy = new ArrayList<>();
            for (Object element : elements(value)) {
                copy.add(copy(element));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
}
