package ai.caracal.mcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;

/**
 * What the boundary reads of one JSON-RPC message body (connectors.md §10.2 M9): its kind, method, id and
 * the name it acts on ({@code params.name} or {@code params.uri}, see {@link McpPolicy#nameMember}).
 * The body is parsed once, strictly: one JSON object, no duplicate member names anywhere (another parser
 * could pick the other duplicate), {@code "jsonrpc":"2.0"}, nothing after it. A batch (an array) is
 * refused: MCP has none since 2025-06-18, and a transport that accepted one would run messages this
 * boundary never looked at. Immutable.
 *
 * @param method the method, or {@code null} for a response
 * @param name   the tool/prompt name or resource URI, or {@code null} when the method names none or the
 *               body leaves it out
 * @param id     the id as JSON text ({@code 7}, {@code "a"}), or {@code null} for a notification
 * @param invalidParams for a request to a named method whose {@code params} cannot be what the method
 *               needs (no name, {@code arguments} not an object): the fixed message of the
 *               {@code -32602} answer the boundary gives once the policy is met; else {@code null}
 */
record McpMessage(String method, String name, String id, String invalidParams) {

    McpMessage(String method, String name, String id) {
        this(method, name, id, null);
    }

    /** One parsing problem: the JSON-RPC error code and message of the 400 answer. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;

        Invalid(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INVALID_PARAMS = -32602;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** @return whether this is a request (it has a method and an id) */
    boolean isRequest() {
        return method != null && id != null;
    }

    /**
     * @param body the request body; never {@code null}
     * @return the message
     * @throws Invalid when the body is not one JSON-RPC 2.0 message
     */
    static McpMessage parse(byte[] body) throws Invalid {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                throw new Invalid(INVALID_REQUEST, "Batch requests are not supported");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new Invalid(first == null ? PARSE_ERROR : INVALID_REQUEST,
                        first == null ? "Parse error: empty body" : "Invalid Request: not a JSON-RPC object");
            }
            Fields fields = new Fields();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String member = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (member) {
                    case "jsonrpc":
                        fields.jsonrpc = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                        break;
                    case "method":
                        if (value != JsonToken.VALUE_STRING) {
                            throw new Invalid(INVALID_REQUEST, "Invalid Request: method must be a string");
                        }
                        fields.method = parser.getText();
                        break;
                    case "id":
                        fields.id = id(parser, value);
                        break;
                    case "params":
                        if (value == JsonToken.START_OBJECT) {
                            fields.params = true;
                            readParams(parser, fields);
                        } else {
                            fields.paramsNotObject = value != JsonToken.VALUE_NULL;
                            parser.skipChildren();
                        }
                        break;
                    case "result":
                    case "error":
                        fields.outcome = true;
                        parser.skipChildren();
                        break;
                    default:
                        parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new Invalid(INVALID_REQUEST, "Invalid Request: content after the JSON-RPC object");
            }
            return fields.message();
        } catch (IOException e) {
            // Jackson's message quotes the input; the answer says only what kind of problem it was.
            throw new Invalid(PARSE_ERROR, "Parse error: the body is not valid JSON");
        }
    }

    private static String id(JsonParser parser, JsonToken value) throws IOException, Invalid {
        switch (value) {
            case VALUE_STRING:
                return JsonRpcAnswers.quote(parser.getText());
            case VALUE_NUMBER_INT:
                return parser.getText();
            case VALUE_NULL:
                return null;
            default:
                throw new Invalid(INVALID_REQUEST, "Invalid Request: id must be a string or an integer");
        }
    }

    /**
     * Reads {@code params.name} and {@code params.uri}, the two members a name can come from, and whether
     * {@code params.arguments} is an object.
     */
    private static void readParams(JsonParser parser, Fields fields) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String member = parser.currentName();
            JsonToken value = parser.nextToken();
            if (member.equals("arguments")) {
                fields.argumentsNotObject = value != JsonToken.START_OBJECT && value != JsonToken.VALUE_NULL;
            } else if (member.equals("name") || member.equals("uri")) {
                String text = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                boolean notString = value != JsonToken.VALUE_STRING;
                if (member.equals("name")) {
                    fields.paramName = text;
                    fields.paramNameNotString = notString;
                } else {
                    fields.paramUri = text;
                    fields.paramUriNotString = notString;
                }
            }
            parser.skipChildren();
        }
    }

    /** What the top level held, before it is checked. */
    private static final class Fields {
        String jsonrpc;
        String method;
        String id;
        boolean params;
        boolean paramsNotObject;
        String paramName;
        boolean paramNameNotString;
        String paramUri;
        boolean paramUriNotString;
        boolean argumentsNotObject;
        boolean outcome;

        McpMessage message() throws Invalid {
            if (!"2.0".equals(jsonrpc)) {
                throw new Invalid(INVALID_REQUEST, "Invalid Request: jsonrpc must be \"2.0\"");
            }
            if (method == null) {
                if (!outcome || id == null) {
                    throw new Invalid(INVALID_REQUEST, "Invalid Request: neither a request, a notification nor a response");
                }
                return new McpMessage(null, null, id);
            }
            String nameMember = McpPolicy.nameMember(method);
            if (nameMember == null) {
                return new McpMessage(method, null, id);
            }
            if (paramsNotObject) {
                throw new Invalid(INVALID_REQUEST, "Invalid Request: params must be an object");
            }
            boolean byUri = nameMember.equals("uri");
            if (byUri ? paramUriNotString : paramNameNotString) {
                throw new Invalid(INVALID_REQUEST, "Invalid Request: params." + nameMember + " must be a string");
            }
            String name = byUri ? paramUri : paramName;
            return new McpMessage(method, name, id, id == null ? null : invalidParams(nameMember, name));
        }

        /**
         * What the SDK transports cannot read as the named method's params (they answer such a request
         * with an empty stream): no name, or {@code arguments} that is not an object.
         */
        private String invalidParams(String nameMember, String name) {
            if (name == null) {
                return "Invalid params: params." + nameMember + " is required";
            }
            if (argumentsNotObject && !nameMember.equals("uri")) {
                return "Invalid params: params.arguments must be an object";
            }
            return null;
        }
    }
}
