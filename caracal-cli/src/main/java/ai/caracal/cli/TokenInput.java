package ai.caracal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the token argument: the value itself, or standard input for {@code -}. */
final class TokenInput {

    /** Far above the verifier's 16 384-character limit, so oversize input still reaches the verifier's rule. */
    private static final int MAX_STDIN_BYTES = 1 << 20;

    private TokenInput() {
    }

    static String read(String argument, InputStream stdin) {
        if (!"-".equals(argument)) {
            return argument;
        }
        try {
            byte[] bytes = stdin.readNBytes(MAX_STDIN_BYTES);
            return new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token from standard input", e);
        }
    }
}
