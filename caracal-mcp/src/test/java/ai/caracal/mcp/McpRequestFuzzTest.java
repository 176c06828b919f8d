package ai.caracal.mcp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Fuzz targets for what the MCP boundary reads of a request (connectors.md §10.2 M9): the JSON-RPC body
 * and the {@code Mcp-Name} header. Whatever the input, parsing answers with a message or a refusal
 * ({@link McpMessage.Invalid}, {@link IllegalArgumentException}), never with another exception.
 */
class McpRequestFuzzTest {

    @FuzzTest
    void body(byte[] bytes) {
        McpMessage message;
        try {
            message = McpMessage.parse(bytes);
        } catch (McpMessage.Invalid refused) {
            if (refused.code() != McpMessage.PARSE_ERROR && refused.code() != McpMessage.INVALID_REQUEST) {
                throw new AssertionError("unexpected code " + refused.code());
            }
            return;
        }
        if (message.method() == null && message.id() == null) {
            throw new AssertionError("a message without a method is a response, which has an id");
        }
        if (message.name() != null && McpPolicy.nameMember(message.method()) == null) {
            throw new AssertionError("only the named methods carry a name");
        }
        // A parsed message agrees with headers that mirror it, in both header forms.
        List<String> methods = message.method() == null ? List.of() : List.of(ascii(message.method()));
        String name = message.name() == null ? null
                : "=?base64?" + Base64.getEncoder().encodeToString(message.name().getBytes(StandardCharsets.UTF_8)) + "?=";
        if (methods.size() == 1 && methods.get(0).equals(message.method()) && (name == null || name.length() <= RoutingHeaders.MAX_LENGTH)
                && RoutingHeaders.disagreement(methods, name == null ? List.of() : List.of(name), message) != null) {
            throw new AssertionError("mirroring headers disagree with their own message");
        }
    }

    @FuzzTest
    void mcpName(byte[] bytes) {
        String value = new String(bytes, StandardCharsets.ISO_8859_1);
        String decoded;
        try {
            decoded = RoutingHeaders.decode(value);
        } catch (IllegalArgumentException refused) {
            return;
        }
        if (!value.startsWith("=?base64?") && !decoded.equals(value)) {
            throw new AssertionError("a plain value decodes to itself");
        }
    }

    /** @return {@code text} when it is printable ASCII, else a value that cannot match it */
    private static String ascii(String text) {
        return text.chars().allMatch(c -> c >= 0x20 && c <= 0x7E) && !text.isEmpty() ? text : "\u0000";
    }
}
