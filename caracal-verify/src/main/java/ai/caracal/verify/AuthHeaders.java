package ai.caracal.verify;

import java.util.Optional;

/** Reading the bearer mandate out of an {@code Authorization} header value. */
public final class AuthHeaders {

    private static final String SCHEME = "bearer";

    private AuthHeaders() {
    }

    /**
     * Extracts the token from an {@code Authorization} header value, in linear time.
     *
     * <p>The first six characters must be {@code bearer} in any ASCII case (leading whitespace is not
     * skipped), followed by a whitespace character. The rest, stripped of leading and trailing
     * whitespace, is the token; interior whitespace is kept and later fails verification.
     *
     * @param header the header value; may be {@code null}
     * @return the token, or empty for {@code null}, another scheme, or a blank token
     */
    public static Optional<String> extractBearer(String header) {
        if (header == null || header.length() <= SCHEME.length()) {
            return Optional.empty();
        }
        if (!startsWithScheme(header) || !Character.isWhitespace(header.charAt(SCHEME.length()))) {
            return Optional.empty();
        }
        String token = header.substring(SCHEME.length() + 1).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    // ASCII-only case folding: String.regionMatches(ignoreCase) would also fold non-ASCII letters.
    private static boolean startsWithScheme(String header) {
        for (int i = 0; i < SCHEME.length(); i++) {
            if ((header.charAt(i) | 0x20) != SCHEME.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
