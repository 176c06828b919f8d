package ai.caracal.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Decodes the stream HMAC key given in hex on the command line or in {@code STREAMS_HMAC_KEY}. */
final class HexKeys {

    private HexKeys() {
    }

    static byte[] decode(String hex, CommandLine commandLine) {
        String trimmed = hex.trim();
        if (trimmed.length() % 2 != 0 || !trimmed.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new ParameterException(commandLine, "the stream HMAC key must be hex (an even number of 0-9, a-f)");
        }
        byte[] key = new byte[trimmed.length() / 2];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) Integer.parseInt(trimmed.substring(2 * i, 2 * i + 2), 16);
        }
        if (key.length < 32) {
            throw new ParameterException(commandLine, "the stream HMAC key must be at least 32 bytes (64 hex digits)");
        }
        return key;
    }
}
