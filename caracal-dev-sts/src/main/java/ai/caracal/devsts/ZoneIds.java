package ai.caracal.devsts;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The one rule for zone IDs: a string of 1 to 128 characters (Unicode code points). */
final class ZoneIds {

    static final int MAX_LENGTH = 128;

    private ZoneIds() {
    }

    /**
     * @param zone  a candidate zone ID
     * @param field the wire name to blame in the message
     * @return the zone ID
     * @throws InvalidRequestException when it is {@code null}, empty or longer than 128 characters
     */
    static String check(String zone, String field) {
        if (zone == null || zone.isEmpty() || zone.codePointCount(0, zone.length()) > MAX_LENGTH) {
            throw new InvalidRequestException(field + " must be a string of 1 to " + MAX_LENGTH + " characters");
        }
        return zone;
    }

    /**
     * Decodes {@code %XX} escapes as UTF-8 (a {@code +} stays a {@code +}); anything that is not a
     * complete escape is kept as it is. Used for key directory names and for the zone segment of
     * {@code /dev/zones/{zone}/rotate}.
     */
    static String percentDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            int high = i + 2 < text.length() && text.charAt(i) == '%' ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (low >= 0) {
                bytes.write(high << 4 | low);
                i += 3;
            } else {
                int codePoint = text.codePointAt(i);
                byte[] raw = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
                i += Character.charCount(codePoint);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
