package ai.caracal.mcp;

import ai.caracal.verify.Claims;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Filters the answer to one listing request (connectors.md §10.2 M10): in the JSON-RPC response whose id
 * is the request's, the items of {@code result.tools} ({@code resources}, {@code prompts}) that the
 * caller's claims may not use are left out; everything else, other messages included, passes unchanged.
 * The answer comes either as one JSON document or as a Server-Sent Events stream ({@link #sse()}), whose
 * events are rewritten one by one as they complete. Not thread-safe: one response.
 */
final class ListingFilter {

    /** An event or document longer than this is dropped rather than passed unfiltered. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final JsonFactory JSON = new JsonFactory();

    private final McpRules rules;
    private final String listMethod;
    private final String requestId;
    private final Optional<Claims> claims;
    private final String itemsMember;
    private final String itemNameMember;

    ListingFilter(McpRules rules, McpMessage request, Optional<Claims> claims) {
        this.rules = rules;
        this.listMethod = request.method();
        this.requestId = request.id();
        this.claims = claims;
        this.itemsMember = listMethod.substring(0, listMethod.indexOf('/'));
        this.itemNameMember = McpPolicy.itemNameMember(listMethod);
    }

    /**
     * @param message one complete JSON document
     * @return the document, with the hidden items left out when it is the response to the listing
     * @throws IOException when the bytes are not one complete JSON document
     */
    byte[] rewrite(byte[] message) throws IOException {
        if (!isResponseToRequest(message)) {
            return message;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length);
        try (JsonParser parser = JSON.createParser(message); JsonGenerator generator = JSON.createGenerator(out)) {
            parser.nextToken();
            generator.writeStartObject();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String member = parser.currentName();
                generator.writeFieldName(member);
                JsonToken value = parser.nextToken();
                if (member.equals("result") && value == JsonToken.START_OBJECT) {
                    copyResult(parser, generator);
                } else {
                    copy(parser, generator);
                }
            }
            generator.writeEndObject();
        }
        return out.toByteArray();
    }

    /** @return whether the document is an object whose top-level {@code id} is the listing request's */
    private boolean isResponseToRequest(byte[] message) throws IOException {
        boolean matches = false;
        try (JsonParser parser = JSON.createParser(message)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                drain(parser);
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String member = parser.currentName();
                JsonToken value = parser.nextToken();
                if (member.equals("id")) {
                    String id = value == JsonToken.VALUE_STRING ? JsonRpcAnswers.quote(parser.getText())
                            : value == JsonToken.VALUE_NUMBER_INT ? parser.getText() : null;
                    matches = requestId.equals(id);
                }
                parser.skipChildren();
            }
            drain(parser);
        }
        return matches;
    }

    /** Reads to the end, so that an incomplete or trailing document is an error. */
    private static void drain(JsonParser parser) throws IOException {
        while (parser.nextToken() != null) {
            parser.skipChildren();
        }
    }

    private void copyResult(JsonParser parser, JsonGenerator generator) throws IOException {
        generator.writeStartObject();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String member = parser.currentName();
            generator.writeFieldName(member);
            JsonToken value = parser.nextToken();
            if (member.equals(itemsMember) && value == JsonToken.START_ARRAY) {
                generator.writeStartArray();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    Item item = item(parser);
                    if (rules.visible(listMethod, item.name, claims)) {
                        generator.writeRawValue(item.json);
                    }
                }
                generator.writeEndArray();
            } else {
                copy(parser, generator);
            }
        }
        generator.writeEndObject();
    }

    /** One listed item, as JSON text, and the name (or URI) it carries at its top level. */
    private record Item(String json, String name) {
    }

    private Item item(JsonParser parser) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        String name = null;
        try (JsonGenerator generator = JSON.createGenerator(buffer)) {
            if (parser.currentToken() == JsonToken.START_OBJECT) {
                generator.writeStartObject();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String member = parser.currentName();
                    generator.writeFieldName(member);
                    JsonToken value = parser.nextToken();
                    if (member.equals(itemNameMember) && value == JsonToken.VALUE_STRING) {
                        name = parser.getText();
                    }
                    copy(parser, generator);
                }
                generator.writeEndObject();
            } else {
                copy(parser, generator);
            }
        }
        return new Item(buffer.toString(StandardCharsets.UTF_8), name);
    }

    /** Copies the current value (a scalar, or a whole object or array), numbers as written. */
    private static void copy(JsonParser parser, JsonGenerator generator) throws IOException {
        int depth = 0;
        do {
            JsonToken token = parser.currentToken();
            switch (token) {
                case START_OBJECT:
                    generator.writeStartObject();
                    depth++;
                    break;
                case START_ARRAY:
                    generator.writeStartArray();
                    depth++;
                    break;
                case END_OBJECT:
                    generator.writeEndObject();
                    depth--;
                    break;
                case END_ARRAY:
                    generator.writeEndArray();
                    depth--;
                    break;
                case FIELD_NAME:
                    generator.writeFieldName(parser.currentName());
                    break;
                case VALUE_STRING:
                    generator.writeString(parser.getText());
                    break;
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    generator.writeNumber(parser.getText());
                    break;
                case VALUE_TRUE:
                    generator.writeBoolean(true);
                    break;
                case VALUE_FALSE:
                    generator.writeBoolean(false);
                    break;
                case VALUE_NULL:
                    generator.writeNull();
                    break;
                default:
                    throw new IOException("unexpected JSON token " + token);
            }
        } while (depth > 0 && parser.nextToken() != null);
    }

    /** @return a filter for an answer sent as a Server-Sent Events stream */
    SseEvents sse() {
        return new SseEvents();
    }

    /**
     * Rewrites a Server-Sent Events stream event by event: bytes are held until their event ends (a blank
     * line), then the event's {@code data} (one JSON-RPC message) is filtered and the event passed on.
     * Events without data pass unchanged. Not thread-safe.
     */
    final class SseEvents {

        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean overflowed;

        /**
         * @param bytes the next bytes of the stream
         * @return the bytes of every event this completed, rewritten; possibly empty
         */
        byte[] feed(byte[] bytes, int offset, int length) {
            if (overflowed) {
                return new byte[0];
            }
            pending.write(bytes, offset, length);
            byte[] all = pending.toByteArray();
            ByteArrayOutputStream ready = new ByteArrayOutputStream();
            int start = 0;
            int end;
            while ((end = eventEnd(all, start)) > 0) {
                ready.writeBytes(event(new String(all, start, end - start, StandardCharsets.UTF_8)));
                start = end;
            }
            pending.reset();
            pending.write(all, start, all.length - start);
            if (pending.size() > MAX_MESSAGE_BYTES) {
                // Fails closed: an unfiltered listing would name what this caller may not use.
                overflowed = true;
                pending.reset();
            }
            return ready.toByteArray();
        }

        /** @return what is left at the end of the stream (an event without its blank line), filtered */
        byte[] finish() {
            if (overflowed || pending.size() == 0) {
                return new byte[0];
            }
            byte[] rest = event(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
            return rest;
        }

        /** @return the index after the blank line that ends the event starting at {@code from}, or -1 */
        private int eventEnd(byte[] bytes, int from) {
            for (int i = from; i < bytes.length; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                int next = i + 1;
                if (next < bytes.length && bytes[next] == '\r') {
                    next++;
                }
                if (next < bytes.length && bytes[next] == '\n') {
                    return next + 1;
                }
            }
            return -1;
        }

        private byte[] event(String event) {
            StringBuilder data = new StringBuilder();
            int dataLines = 0;
            String[] lines = event.split("\r?\n", -1);
            for (String line : lines) {
                if (line.startsWith("data:")) {
                    data.append(dataLines++ == 0 ? "" : "\n").append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
                }
            }
            if (dataLines == 0) {
                return event.getBytes(StandardCharsets.UTF_8);
            }
            byte[] rewritten;
            try {
                byte[] original = data.toString().getBytes(StandardCharsets.UTF_8);
                rewritten = rewrite(original);
                if (rewritten == original) {
                    return event.getBytes(StandardCharsets.UTF_8);
                }
            } catch (IOException notJson) {
                return event.getBytes(StandardCharsets.UTF_8);
            }
            StringBuilder out = new StringBuilder(event.length());
            boolean dataWritten = false;
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.startsWith("data:")) {
                    if (!dataWritten) {
                        out.append("data: ").append(new String(rewritten, StandardCharsets.UTF_8)).append('\n');
                        dataWritten = true;
                    }
                } else if (i < lines.length - 1 || !line.isEmpty()) {
                    out.append(line).append(i < lines.length - 1 ? "\n" : "");
                }
            }
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
