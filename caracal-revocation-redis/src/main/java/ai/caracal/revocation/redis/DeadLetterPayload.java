package ai.caracal.revocation.redis;

import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code payload} field of a dead-letter entry: the original field map ({@code _sig} included) as
 * compact JSON with keys in ascending {@link String#compareTo} order. The map is flat and every value
 * is a string, so this small writer replaces a JSON library.
 */
final class DeadLetterPayload {

    private DeadLetterPayload() {
    }

    static String json(Map<String, String> fields) {
        StringBuilder json = new StringBuilder(64).append('{');
        boolean first = true;
        for (Map.Entry<String, String> field : new TreeMap<>(fields).entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            appendString(json, field.getKey());
            json.append(':');
            if (field.getValue() == null) {
                json.append("null");
            } else {
                appendString(json, field.getValue());
            }
        }
        return json.append('}').toString();
    }

    private static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    // Control characters must be escaped (RFC 8259 §7); lone surrogates and U+2028/9 are
                    // escaped too so the payload stays valid UTF-8 and safe to embed in JavaScript.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || isLoneSurrogate(value, i)) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    private static boolean isLoneSurrogate(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(value.charAt(i - 1));
        }
        return false;
    }
}
