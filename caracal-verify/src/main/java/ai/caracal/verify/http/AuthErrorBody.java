package ai.caracal.verify.http;

import ai.caracal.verify.AuthError;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one JSON form of a verification failure, used by every connector and by MCP tool guards:
 * {@code {"error":"<code>","error_description":"…","error_hint":"…"}}, compact, keys in that order,
 * nothing else, {@code <}, {@code >} and {@code &} not escaped.
 */
public final class AuthErrorBody {

    private static final JsonFactory JSON = new JsonFactory();

    private AuthErrorBody() {
    }

    /**
     * @param error a verification error
     * @return the compact JSON object
     */
    public static String json(AuthError error) {
        Objects.requireNonNull(error, "error");
        StringWriter out = new StringWriter(160);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("error", error.code().wire());
            json.writeStringField("error_description", error.description());
            json.writeStringField("error_hint", error.hint());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * @param error a verification error
     * @return the same three members as an ordered, unmodifiable map (for structured results)
     */
    public static Map<String, Object> members(AuthError error) {
        Objects.requireNonNull(error, "error");
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("error", error.code().wire());
        members.put("error_description", error.description());
        members.put("error_hint", error.hint());
        return java.util.Collections.unmodifiableMap(members);
    }
}
