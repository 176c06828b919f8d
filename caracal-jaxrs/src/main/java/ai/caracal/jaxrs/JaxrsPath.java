package ai.caracal.jaxrs;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The paths a Jakarta REST request may be matched on, as the boundary must see them (connectors.md
 * §3.5 and §10.1): relative to the application's base URI, with a leading {@code /}, percent-decoded.
 *
 * <p>Runtimes read one raw path differently: Jersey routes {@code /items/../payouts} literally (to an
 * {@code items/{rest: .+}} template), Vert.x (Quarkus REST) normalises it to {@code /payouts} first;
 * some drop matrix parameters before matching, some keep them; some decode {@code %2F} before
 * matching, some do not. Where the readings differ, the filter asks the boundary about each, and the
 * request must satisfy every one (connectors.md §10.1):
 * <ol>
 *   <li>the <em>normalised</em> reading: each segment's matrix parameters removed, then decoded; dot
 *       and empty segments kept, so the boundary never excludes it and routes it on its normalised
 *       form. A path that had matrix parameters, an encoded {@code /} or a malformed escape gets a
 *       final {@code /.} segment for the same effect (the boundary drops {@code .} segments when
 *       normalising);</li>
 *   <li>the <em>literal</em> reading, only when it differs: each segment decoded with its matrix
 *       parameters kept, and every segment that would move the path when normalised (empty,
 *       {@code .}, {@code ..}, or holding a decoded {@code /} or {@code \}) replaced by the inert
 *       segment {@value #INERT}, so route prefixes match it as a runtime that does not normalise
 *       would.</li>
 * </ol>
 */
final class JaxrsPath {

    /** Stands for a segment that a normalising runtime would remove or split; never part of a route prefix. */
    static final String INERT = "%00";

    private JaxrsPath() {
    }

    /**
     * @param requestUri the request URI as the runtime holds it
     * @param baseUri    the application's base URI
     * @return the normalised reading, then the literal one when it differs; never empty
     */
    static List<String> readings(URI requestUri, URI baseUri) {
        return readings(relative(requestUri, baseUri));
    }

    /** @param rawPath a raw (still percent-encoded) path starting with {@code /} */
    static List<String> readings(String rawPath) {
        String normalised = decode(rawPath);
        String literal = literal(rawPath);
        return normalised.equals(literal) ? List.of(normalised) : List.of(normalised, literal);
    }

    /** @return the raw path relative to the base URI, starting with {@code /} */
    static String relative(URI requestUri, URI baseUri) {
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
        return relative.startsWith("/") ? relative : "/" + relative;
    }

    /** The normalised reading of a raw path starting with {@code /}. */
    static String decode(String rawPath) {
        StringBuilder decoded = new StringBuilder(rawPath.length());
        boolean ambiguous = false;
        for (String segment : rawPath.substring(1).split("/", -1)) {
            decoded.append('/');
            int matrix = segment.indexOf(';');
            if (matrix >= 0) {
                segment = segment.substring(0, matrix);
                ambiguous = true;
            }
            Segment one = decodeSegment(segment);
            ambiguous |= one.ambiguous();
            decoded.append(one.text());
        }
        if (ambiguous) {
            decoded.append("/.");
        }
        return decoded.toString();
    }

    /** The literal reading of a raw path starting with {@code /}. */
    static String literal(String rawPath) {
        String[] segments = rawPath.substring(1).split("/", -1);
        StringBuilder literal = new StringBuilder(rawPath.length());
        for (int i = 0; i < segments.length; i++) {
            String text = decodeSegment(segments[i]).text();
            boolean trailingSlash = text.isEmpty() && i == segments.length - 1;
            boolean moves = (text.isEmpty() && !trailingSlash) || text.equals(".") || text.equals("..")
                    || text.indexOf('/') >= 0 || text.indexOf('\\') >= 0;
            literal.append('/').append(moves ? INERT : text);
        }
        return literal.toString();
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
    private record Segment(String text, boolean ambiguous) {
    }
}
