package ai.caracal.testkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes plain Java values as compact JSON, for hand-built mandate parts and JWKS documents
 * ({@link MandateBuilder#rawPayload(String)}, {@link MandateBuilder#rawHeader(String)},
 * {@link JwksControl#serveRaw(String)}). Accepts maps (in their iteration order), collections,
 * arrays, strings, numbers, booleans and {@code null}.
 */
public final class TestJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private TestJson() {
    }

    /**
     * @param value a JSON value built from plain Java values
     * @return its compact JSON text
     * @throws IllegalArgumentException for a value that has no JSON form
     */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * @param keys JWK members, in the order to publish them
     * @return the JWKS document {@code {"keys":[...]}}
     */
    public static String jwks(Map<?, ?>... keys) {
        return write(Map.of("keys", java.util.Arrays.asList(keys)));
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String) {
            g.writeString((String) value);
        } else if (value instanceof Boolean) {
            g.writeBoolean((Boolean) value);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger) {
            g.writeNumber((BigInteger) value);
        } else if (value instanceof BigDecimal) {
            g.writeNumber((BigDecimal) value);
        } else if (value instanceof Double || value instanceof Float) {
            g.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> member : ((Map<?, ?>) value).entrySet()) {
                g.writeFieldName(String.valueOf(member.getKey()));
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
            g.writeStartArray();
            for (Object element : (Object[]) value) {
                write(g, element);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("Not a JSON value: " + value.getClass().getName());
        }
    }
}
