package ai.caracal.devsts;

import ai.caracal.mint.Json;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reading requests and writing responses for the dev STS endpoints (devtools.md §1.3): the JSON body
 * rules (415, 413, 400), query parameters, and JSON answers with their headers. Stateless.
 */
final class Exchanges {

    /** The largest accepted request body: 64 KiB. */
    static final int MAX_BODY = 64 * 1024;

    private static final String JSON = "application/json";

    private Exchanges() {
    }

    /**
     * Reads a POST body that must be a JSON object.
     *
     * @throws HttpError 415 when the content type is not {@code application/json}, 413 above 64 KiB,
     *                   400 when it is not one JSON object
     */
    static Map<String, Object> readJsonObject(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(JSON)) {
            throw HttpError.unsupportedMediaType();
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > MAX_BODY) {
                    throw HttpError.payloadTooLarge(MAX_BODY);
                }
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("Content-Length is not a number");
            }
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw HttpError.payloadTooLarge(MAX_BODY);
        }
        Object value;
        try {
            value = Json.read(body);
        } catch (Json.SyntaxException e) {
            throw HttpError.badRequest("request body " + e.reason());
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw HttpError.badRequest("request body must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        return object;
    }

    /**
     * @return the first value of each form-encoded query parameter
     * @throws HttpError 400 for a malformed escape
     */
    static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        try {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                parameters.putIfAbsent(name, value);
            }
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("the query string is not form-encoded");
        }
        return parameters;
    }

    /** Sends a JSON answer with {@code Cache-Control: no-store}. */
    static void send(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, body, "no-store");
    }

    /** Sends a JSON answer with the given {@code Cache-Control}. */
    static void send(HttpExchange exchange, int status, Object body, String cacheControl) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", JSON);
        headers.set("Cache-Control", cacheControl);
        headers.set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Sends {@code {"error":…,"error_description":…}} with the error's status (and {@code Allow}). */
    static void sendError(HttpExchange exchange, HttpError error) throws IOException {
        if (error.allow() != null) {
            exchange.getResponseHeaders().set("Allow", error.allow());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.put("error_description", error.getMessage());
        send(exchange, error.status(), body);
    }
}
