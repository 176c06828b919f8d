package ai.caracal.verify;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Fuzz target for {@link AuthHeaders#extractBearer(String)} against a straightforward restatement of
 * verification.md §9. Input bytes are decoded as UTF-8 (malformed sequences become U+FFFD).
 */
class AuthHeadersFuzzTest {

    @FuzzTest
    void extractBearer(byte[] bytes) {
        String header = new String(bytes, StandardCharsets.UTF_8);
        Optional<String> token = AuthHeaders.extractBearer(header);
        Optional<String> expected = reference(header);
        if (!token.equals(expected)) {
            throw new AssertionError("extractBearer differs from §9: got " + token.isPresent() + ", expected " + expected.isPresent());
        }
        token.ifPresent(t -> {
            if (t.isEmpty() || !t.equals(t.strip()) || !header.contains(t)) {
                throw new AssertionError("the token is a non-empty, stripped part of the header");
            }
        });
    }

    /** §9, step by step. */
    private static Optional<String> reference(String header) {
        if (header.length() < 7 || !header.substring(0, 6).equalsIgnoreCase("bearer") || !isAsciiBearer(header.substring(0, 6))) {
            return Optional.empty();
        }
        if (!Character.isWhitespace(header.charAt(6))) {
            return Optional.empty();
        }
        String rest = header.substring(7).strip();
        return rest.isEmpty() ? Optional.empty() : Optional.of(rest);
    }

    /** {@code equalsIgnoreCase} also folds non-ASCII letters (for example U+212A KELVIN SIGN); §9 is ASCII only. */
    private static boolean isAsciiBearer(String scheme) {
        return scheme.chars().allMatch(c -> c < 0x80);
    }
}
