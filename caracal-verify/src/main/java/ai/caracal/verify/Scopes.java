package ai.caracal.verify;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** RFC 6749 §3.3 scope strings: split on runs of Unicode whitespace, exact matching only. */
final class Scopes {

    private Scopes() {
    }

    static Set<String> split(String scope) {
        if (scope.isEmpty()) {
            return Set.of();
        }
        Set<String> tokens = new LinkedHashSet<>();
        int start = -1;
        for (int i = 0; i <= scope.length(); i++) {
            boolean separator = i == scope.length() || isSeparator(scope.charAt(i));
            if (separator && start >= 0) {
                tokens.add(scope.substring(start, i));
                start = -1;
            } else if (!separator && start < 0) {
                start = i;
            }
        }
        return Collections.unmodifiableSet(tokens);
    }

    private static boolean isSeparator(char c) {
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F' || c == '\uFEFF';
    }
}
