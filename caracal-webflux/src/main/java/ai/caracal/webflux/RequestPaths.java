package ai.caracal.webflux;

import java.util.List;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The path the boundary matches on, as WebFlux routing sees it: the path within the application
 * ({@code spring.webflux.base-path} removed), each segment percent-decoded once and stripped of its
 * {@code ;} parameters (what {@code PathPattern} matches against). WebFlux, unlike a servlet container,
 * neither normalises nor refuses odd paths, and its routing never removes dot segments: a path the
 * boundary would read differently from routing ({@code /payouts/../items} reaches a {@code /payouts/**}
 * handler literally) must not reach a handler at all. Such paths are ambiguous and refused (connectors.md
 * §3.5).
 */
final class RequestPaths {

    private RequestPaths() {
    }

    /**
     * @param request the request
     * @return the decoded path within the application ({@code /} when empty), or {@code null} when it is
     *         ambiguous: a decoded segment holding {@code /} or {@code \} (from {@code %2F}, {@code %5C}),
     *         an empty segment ({@code //}, a trailing {@code /} excepted), a {@code .} or {@code ..}
     *         segment (also as {@code %2e}), or a control character
     */
    static String of(ServerHttpRequest request) {
        try {
            PathContainer path = request.getPath().pathWithinApplication();
            String raw = path.value();
            // Without '%' and ';' the decoded path is the raw one: check it, and build nothing.
            boolean undecoded = raw.indexOf('%') < 0 && raw.indexOf(';') < 0;
            return decoded(path.elements(), undecoded ? raw : null);
        } catch (IllegalArgumentException e) {
            return null; // a malformed percent-encoding
        }
    }

    /**
     * @param elements the path's elements
     * @param raw      the raw path when it equals the decoded one, else {@code null} (the decoded path is built)
     */
    private static String decoded(List<PathContainer.Element> elements, String raw) {
        if (elements.isEmpty()) {
            return "/";
        }
        StringBuilder path = raw == null ? new StringBuilder(64) : null;
        boolean afterSeparator = false;
        for (int i = 0; i < elements.size(); i++) {
            PathContainer.Element element = elements.get(i);
            if (element instanceof PathContainer.PathSegment pathSegment) {
                String segment = pathSegment.valueToMatch();
                if (!isPlainSegment(segment)) {
                    return null;
                }
                if (path != null) {
                    path.append(segment);
                }
                afterSeparator = false;
            } else {
                if (afterSeparator) {
                    return null;
                }
                if (path != null) {
                    path.append('/');
                }
                afterSeparator = true;
            }
        }
        String decoded = path == null ? raw : path.toString();
        return decoded.charAt(0) == '/' ? decoded : null;
    }

    private static boolean isPlainSegment(String segment) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '/' || c == '\\' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }
}
