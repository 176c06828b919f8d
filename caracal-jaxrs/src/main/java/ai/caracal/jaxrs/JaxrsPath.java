package ai.caracal.jaxrs;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The path a Jakarta REST request is matched on, as the boundary must see it (connectors.md §3.5):
 * relative to the application's base URI, with a leading {@code /}, each segment's matrix parameters
 * removed and then percent-decoded, dot segments kept.
 *
 * <p>Runtimes differ in how they match such paths (some drop matrix parameters, some decode
 * {@code %2F} before matching, some match the raw form). Where the runtime could route a path
 * differently from its plain decoded reading, the path is <em>ambiguous</em>: a segment carried matrix
 * parameters ({@code ;}), an encoded {@code /} ({@code %2F}), or a malformed escape. An ambiguous path
 * is given to the boundary with a final {@code /.} segment: it is then never canonical, so never
 * excluded, while route selection still uses its normalised form (the boundary drops {@code .}
 * segments when normalising). A plain {@code ..}, {@code .}, {@code //} or {@code %2e%2e} is left as
 * it is: the boundary's own canonical rule already refuses to exclude it.
 */
final class JaxrsPath {

    private JaxrsPath() {
    }

    /**
     * @param requestUri the request URI as the runtime holds it
     * @param baseUri    the application's base URI
     * @return the boundary's path; never {@code null}, always starting with {@code /}
     */
    static String of(URI requestUri, URI baseUri) {
        String raw = requestUri.getRawPath();
        if (raw == null || raw.isEmpty()) {
            raw = "/";
        }
        String base = baseUri == null ? null : baseUri.getRawPath();
        String relative = raw;
        if (base != null && !base.isEmpty() && !base.equals("/")) {
            String baseDir = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            if (raw.equals(baseDir)) {
                relative = "/";
            } else if (raw.startsWith(baseDir + "/")) {
                relative = raw.substring(baseDir.length());
            }
        }
        return decode(relative);
    }

    /** @param rawPath a raw (still percent-encoded) path starting with {@code /} */
    static String decode(String rawPath) {
        String path = rawPath.startsWith("/") ? rawPath : "/" + rawPath;
        StringBuilder decoded = new StringBuilder(path.length());
        boolean ambiguous = false;
        String[] segments = path.substring(1).split("/", -1);
        for (String segment : segments) {
            decoded.append('/');
            int matrix = segment.indexOf(';');
            if (matrix >= 0) {
                segment = segment.substring(0, matrix);
                ambiguous = true;
            }
            Segment one = decodeSegment(segment);
            ambiguous |= one.ambiguous;
            decoded.append(one.text);
        }
        if (ambiguous) {
            decoded.append("/.");
        }
        return decoded.toString();
    }

    private static Segment decodeSegment(String segment) {
        if (segment.indexOf('%') < 0) {
            return new Segment(segment, false);
        }
        StringBuilder text = new StringBuilder(segment.length());
        ByteArrayOutputStream escaped = new ByteArrayOutputStream();
        boolean ambiguous = false;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' && i + 2 < segment.length() && hex(segment.charAt(i + 1)) >= 0 && hex(segment.charAt(i + 2)) >= 0) {
                int b = hex(segment.charAt(i + 1)) * 16 + hex(segment.charAt(i + 2));
                ambiguous |= b == '/';
                escaped.write(b);
                i += 2;
                continue;
            }
            flush(escaped, text);
            ambiguous |= c == '%';
            text.append(c);
        }
        flush(escaped, text);
        return new Segment(text.toString(), ambiguous);
    }

    /** Appends the pending escaped bytes as UTF-8 (malformed sequences become U+FFFD). */
    private static void flush(ByteArrayOutputStream escaped, StringBuilder text) {
        if (escaped.size() > 0) {
            text.append(escaped.toString(StandardCharsets.UTF_8));
            escaped.reset();
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** One decoded segment and whether its decoding was ambiguous. */
    private static final class Segment {
        final String text;
        final boolean ambiguous;

        Segment(String text, boolean ambiguous) {
            this.text = text;
            this.ambiguous = ambiguous;
        }
    }
}
