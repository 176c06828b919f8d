package ai.caracal.verify.http;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code Origin} rule of connectors.md §10.2 M8: a request that carries an {@code Origin} header is
 * let through only when that origin is the request's own (the scheme, host and port it was sent to) or
 * one of the configured ones. Origins are compared in their serialised form (RFC 6454 §6.2):
 * {@code scheme://host[:port]}, scheme and host in lower case, the scheme's default port left out.
 * Immutable and thread-safe.
 */
final class Origins {

    /** The JSON-RPC error body (no {@code id}) of a request from a foreign origin. */
    static final String FORBIDDEN_BODY = "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Origin not allowed\"}}";

    private static final int MAX_LENGTH = 2048;

    private final Set<String> allowed;

    /** @param allowed origins in {@link #normalise(String)} form */
    Origins(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /**
     * @param originHeaders every {@code Origin} value of the request
     * @param targetOrigin  the origin the request was sent to, or {@code null} when the connector cannot
     *                      tell (then only configured origins pass)
     * @return whether the request may go on: no {@code Origin}, or exactly one naming an allowed origin
     */
    boolean allows(List<String> originHeaders, String targetOrigin) {
        if (originHeaders.isEmpty()) {
            return true;
        }
        if (originHeaders.size() > 1) {
            return false;
        }
        String origin = normalise(originHeaders.get(0));
        if (origin == null) {
            return false;
        }
        return allowed.contains(origin) || origin.equals(targetOrigin == null ? null : normalise(targetOrigin));
    }

    /** @return the configured origins, in {@link #normalise(String)} form */
    Set<String> allowed() {
        return allowed;
    }

    /**
     * @param origin an origin as written in an {@code Origin} header, for example {@code https://app.example.com}
     * @return its serialised form ({@code scheme://host[:port]}, lower case, default port left out), or
     *         {@code null} when it is not one origin: {@code null} (the opaque origin), a path, a query,
     *         user information, a missing or bad port, non-ASCII or control characters, or more than
     *         2048 characters
     */
    static String normalise(String origin) {
        if (origin == null || origin.isEmpty() || origin.length() > MAX_LENGTH) {
            return null;
        }
        for (int i = 0; i < origin.length(); i++) {
            char c = origin.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return null;
            }
        }
        int separator = origin.indexOf("://");
        if (separator <= 0) {
            return null;
        }
        String scheme = origin.substring(0, separator).toLowerCase(Locale.ROOT);
        if (!isScheme(scheme)) {
            return null;
        }
        String authority = origin.substring(separator + 3);
        if (authority.isEmpty() || authority.indexOf('/') >= 0 || authority.indexOf('?') >= 0
                || authority.indexOf('#') >= 0 || authority.indexOf('@') >= 0) {
            return null;
        }
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (rest.isEmpty()) {
                port = null;
            } else if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else {
                return null;
            }
            if (!isIpv6Literal(host)) {
                return null;
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
            if (host.isEmpty() || !isHostName(host)) {
                return null;
            }
        }
        Integer number = port == null ? null : parsePort(port);
        if (port != null && number == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(scheme).append("://").append(host.toLowerCase(Locale.ROOT));
        if (number != null && number != defaultPort(scheme)) {
            out.append(':').append(number);
        }
        return out.toString();
    }

    private static boolean isScheme(String scheme) {
        if (!Character.isLetter(scheme.charAt(0))) {
            return false;
        }
        for (int i = 0; i < scheme.length(); i++) {
            char c = scheme.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isHostName(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '%';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6Literal(String bracketed) {
        String inner = bracketed.substring(1, bracketed.length() - 1);
        if (inner.isEmpty()) {
            return false;
        }
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** @return the port, or {@code null} when it is empty, not decimal, or above 65535 */
    private static Integer parsePort(String port) {
        if (port.isEmpty() || port.length() > 5) {
            return null;
        }
        int value = 0;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65_535 ? value : null;
    }

    private static int defaultPort(String scheme) {
        switch (scheme) {
            case "http":
            case "ws":
                return 80;
            case "https":
            case "wss":
                return 443;
            default:
                return -1;
        }
    }
}
