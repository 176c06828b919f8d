package ai.caracal.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Writes hand-built JSON for tests: JWKS documents and raw headers or payloads. Accepts maps,
 * collections, strings, numbers, booleans and {@code null}.
 */
final class JsonText {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {
    }

    /**
     * @param keys JWK members, in the order to publish them
     * @return {@code {"keys":[...]}}
     */
    static String jwks(Map<?, ?>... keys) {
        return write(Map.of("keys", Arrays.asList(keys)));
    }

    /**
     * @param value a JSON value built from plain Java values
     * @return its compact JSON text
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
        } else if (value instanceof Integer || value instanceof Long) {
            g.writeNumber(((Number) value).longValue());
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
        } else {
            throw new IllegalArgumentException("Not a JSON value for tests: " + value.getClass().getName());
        }
    }
}
