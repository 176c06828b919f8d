package ai.caracal.verify.http;

import java.util.ArrayDeque;

/**
 * Path rules of connectors.md §3.5. A path is canonical when it starts with {@code /} and has no empty
 * segment (one trailing {@code /} is allowed), no {@code .} or {@code ..} segment, no {@code \}, and no
 * control character. Only canonical paths can be excluded; for route selection a path is normalised.
 */
final class CanonicalPath {

    private CanonicalPath() {
    }

    static boolean isCanonical(String path) {
        int length = path.length();
        if (length == 0 || path.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (c == '\\' || Character.isISOControl(c)) {
                return false;
            }
        }
        if (length == 1) {
            return true;
        }
        // One scan over the segments, without allocating (every request's path comes through here).
        int end = path.charAt(length - 1) == '/' ? length - 1 : length;
        int start = 1;
        while (true) {
            int slash = path.indexOf('/', start);
            int segmentEnd = slash < 0 || slash >= end ? end : slash;
            int segment = segmentEnd - start;
            if (segment == 0 || path.charAt(start) == '.' && (segment == 1 || segment == 2 && path.charAt(start + 1) == '.')) {
                return false;
            }
            if (segmentEnd == end) {
                return true;
            }
            start = segmentEnd + 1;
        }
    }

    /**
     * @return the path with repeated {@code /} collapsed and dot segments removed (RFC 3986 §5.2.4),
     *         always starting with {@code /}
     */
    static String normalize(String path) {
        String[] segments = path.replace('\\', '/').split("/", -1);
        ArrayDeque<String> kept = new ArrayDeque<>();
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                kept.pollLast();
            } else {
                kept.addLast(segment);
            }
        }
        return "/" + String.join("/", kept);
    }

    /**
     * @return the configured prefix with trailing {@code /} removed ({@code ""} becomes {@code /})
     * @throws IllegalArgumentException when it does not start with {@code /}
     */
    static String prefix(String configured, String option) {
        String prefix = configured;
        while (prefix.length() > 1 && prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.isEmpty() || prefix.equals("/")) {
            return "/";
        }
        if (prefix.charAt(0) != '/') {
            throw new IllegalArgumentException(option + " prefix must start with /: " + configured);
        }
        return prefix;
    }

    static boolean matches(String path, String prefix) {
        return prefix.equals("/") || path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
