package ai.caracal.mcp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The routing headers of MCP 2026-07-28 (SEP-2243): {@code Mcp-Method} mirrors the body's {@code method},
 * {@code Mcp-Name} its {@code params.name} or {@code params.uri}. Intermediaries route, rate-limit or
 * authorise on them while the server runs the body, so a request whose headers say one thing and whose
 * body another is refused (connectors.md §10.2 M9). Headers are optional; when present they must agree.
 *
 * <p>{@code Mcp-Name} is printable ASCII as is, or {@code =?base64?<base64 of the UTF-8 value>?=}, decoded
 * exactly once (a value that decodes to another {@code =?base64?…?=} is compared as that text). Stateless.
 */
final class RoutingHeaders {

    static final String MCP_METHOD = "Mcp-Method";
    static final String MCP_NAME = "Mcp-Name";

    /** Longer header values are refused: names and URIs are short, and the comparison should be cheap. */
    static final int MAX_LENGTH = 8192;

    private static final String BASE64_PREFIX = "=?base64?";
    private static final String BASE64_SUFFIX = "?=";

    private RoutingHeaders() {
    }

    /**
     * @param methods the {@code Mcp-Method} values of the request
     * @param names   the {@code Mcp-Name} values of the request
     * @param message the body, or {@code null} when the request has none
     * @return {@code null} when the headers agree with the body (or are absent), else what is wrong, as the
     *         message of the {@code -32020} answer
     */
    static String disagreement(List<String> methods, List<String> names, McpMessage message) {
        if (methods.size() > 1 || names.size() > 1) {
            return "Header mismatch: more than one Mcp-Method or Mcp-Name header";
        }
        if (message == null) {
            return methods.isEmpty() && names.isEmpty() ? null : "Header mismatch: Mcp-Method or Mcp-Name without a request body";
        }
        if (!methods.isEmpty()) {
            String method = methods.get(0);
            if (!isPrintableAscii(method) || method.length() > MAX_LENGTH) {
                return "Header mismatch: malformed Mcp-Method";
            }
            if (!method.equals(message.method())) {
                return "Header mismatch: Mcp-Method does not match the body";
            }
        }
        if (!names.isEmpty()) {
            String name;
            try {
                name = decode(names.get(0));
            } catch (IllegalArgumentException e) {
                return "Header mismatch: malformed Mcp-Name";
            }
            if (!name.equals(message.name())) {
                return "Header mismatch: Mcp-Name does not match the body";
            }
        }
        return null;
    }

    /**
     * @param value an {@code Mcp-Name} value as the container read it (ISO-8859-1 characters)
     * @return the name it carries
     * @throws IllegalArgumentException for a value that is too long, not printable ASCII, or not valid
     *                                  base64 of valid UTF-8 in the {@code =?base64?…?=} form
     */
    static String decode(String value) {
        Objects.requireNonNull(value, "value");
        if (value.length() > MAX_LENGTH || !isPrintableAscii(value)) {
            throw new IllegalArgumentException("malformed");
        }
        if (!value.startsWith(BASE64_PREFIX)) {
            return value;
        }
        if (!value.endsWith(BASE64_SUFFIX) || value.length() < BASE64_PREFIX.length() + BASE64_SUFFIX.length()) {
            throw new IllegalArgumentException("malformed");
        }
        String encoded = value.substring(BASE64_PREFIX.length(), value.length() - BASE64_SUFFIX.length());
        if (encoded.length() % 4 != 0) {
            throw new IllegalArgumentException("malformed");
        }
        byte[] bytes = Base64.getDecoder().decode(encoded);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("malformed");
        }
    }

    private static boolean isPrintableAscii(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
