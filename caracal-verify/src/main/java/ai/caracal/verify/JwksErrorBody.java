package ai.caracal.verify;

import java.util.Map;

/**
 * What an issuer said when it refused a JWKS request: the {@code error} and {@code error_description}
 * of an OAuth-style JSON error body, for the failure message (verification.md §3.3). The text comes
 * from the issuer, so it is cut short and kept on one printable line before anything logs it. Stateless.
 */
final class JwksErrorBody {

    /** How much of a non-200 body is read: 4 KiB. */
    static final int MAX_BYTES = 4096;

    /** How many characters of each member are kept. */
    private static final int MAX_CHARS = 200;

    private JwksErrorBody() {
    }

    /**
     * @param body the first bytes of the answer (at most {@link #MAX_BYTES})
     * @return {@code " <error>: <error_description>"}, either part left out when absent or not a
     *         string, or {@code ""} when the body is not a JSON object
     */
    static String detail(byte[] body) {
        Map<String, Object> object;
        try {
            object = StrictJson.parseObject(body, "error-body");
        } catch (InvalidMandate | RuntimeException notJson) {
            return "";
        }
        String error = printable(object.get("error"));
        String description = printable(object.get("error_description"));
        StringBuilder detail = new StringBuilder();
        if (error != null) {
            detail.append(' ').append(error);
        }
        if (description != null) {
            detail.append(": ").append(description);
        }
        return detail.toString();
    }

    /** Control characters become spaces and invisible format characters (bidi overrides) go. */
    private static String printable(Object value) {
        if (!(value instanceof String raw)) {
            return null;
        }
        String text = raw.strip();
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < text.length() && out.length() < MAX_CHARS; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(' ');
            } else if (Character.getType(c) != Character.FORMAT) {
                out.append(c);
            }
        }
        if (out.length() > 0 && Character.isHighSurrogate(out.charAt(out.length() - 1))) {
            out.setLength(out.length() - 1);
        }
        String line = out.toString().strip();
        if (line.isEmpty()) {
            return null;
        }
        return i < text.length() ? line + "..." : line;
    }
}
