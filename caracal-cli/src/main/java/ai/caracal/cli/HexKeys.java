package ai.caracal.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Decodes the stream HMAC keys given in hex: the repeatable {@code --stream-hmac-key} flag (each value may
 * itself be comma-separated) or, without it, {@code STREAMS_HMAC_KEY} as a comma-separated list. The
 * order is kept: consumers accept any of the keys, publishers sign with the first (state.md S69).
 */
final class HexKeys {

    /** Where the keys come from, at the start of every error message. */
    static final String LABEL = "--stream-hmac-key (or STREAMS_HMAC_KEY)";

    private HexKeys() {
    }

    /**
     * @param flags the flag's values, already split at commas by picocli; empty when the flag was not given
     * @param env   {@code STREAMS_HMAC_KEY}, if set
     * @return the keys in order; empty when neither is set
     * @throws ParameterException when an element is empty, not hex, or shorter than 32 bytes
     */
    static List<byte[]> fromFlagsOrEnv(List<String> flags, Optional<String> env, CommandLine commandLine) {
        List<String> hex = !flags.isEmpty() ? flags : env.map(value -> List.of(value.split(",", -1))).orElse(List.of());
        List<byte[]> keys = new ArrayList<>(hex.size());
        for (String element : hex) {
            keys.add(decode(element, commandLine));
        }
        return keys;
    }

    /** @return the keys as hex again, normalised (trimmed), for library builders that take hex */
    static List<String> toHex(List<byte[]> keys) {
        List<String> hex = new ArrayList<>(keys.size());
        keys.forEach(key -> hex.add(java.util.HexFormat.of().formatHex(key)));
        return hex;
    }

    static byte[] decode(String hex, CommandLine commandLine) {
        String trimmed = hex.trim();
        if (trimmed.isEmpty()) {
            throw new ParameterException(commandLine, LABEL + ": the key list has an empty element");
        }
        if (trimmed.length() % 2 != 0 || !trimmed.chars().allMatch(c -> c < 128 && Character.digit(c, 16) >= 0)) {
            throw new ParameterException(commandLine, LABEL + ": the stream HMAC key must be hex (an even number of 0-9, a-f)");
        }
        byte[] key = new byte[trimmed.length() / 2];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) Integer.parseInt(trimmed.substring(2 * i, 2 * i + 2), 16);
        }
        if (key.length < 32) {
            throw new ParameterException(commandLine, LABEL + ": the stream HMAC key must be at least 32 bytes (64 hex digits)");
        }
        return key;
    }
}
