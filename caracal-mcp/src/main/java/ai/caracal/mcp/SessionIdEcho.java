package ai.caracal.mcp;

import java.io.ByteArrayOutputStream;

/**
 * Puts the session ID a stranger named back where the transport echoed the replacement ID it saw
 * (connectors.md §10.2 M12), so that foreign and unknown sessions get byte-identical answers. Only IDs of
 * URL-safe characters ({@code A-Z a-z 0-9 . _ ~ -}, as every SDK session ID is) are echoed, so that no
 * body format has to escape caller-chosen text. Stateless.
 */
final class SessionIdEcho {

    /** Answers larger than this are passed on unchanged (an unknown-session answer is a few hundred bytes). */
    static final int MAX_HELD = 64 * 1024;

    private SessionIdEcho() {
    }

    static boolean isUrlSafe(String id) {
        if (id.isEmpty()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!safe) {
                return false;
            }
        }
        return true;
    }

    static byte[] replaceAll(byte[] body, byte[] target, byte[] replacement) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int i = 0;
        while (i < body.length) {
            if (startsWith(body, i, target)) {
                out.write(replacement, 0, replacement.length);
                i += target.length;
            } else {
                out.write(body[i]);
                i++;
            }
        }
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] body, int offset, byte[] target) {
        if (target.length == 0 || offset + target.length > body.length) {
            return false;
        }
        for (int j = 0; j < target.length; j++) {
            if (body[offset + j] != target[j]) {
                return false;
            }
        }
        return true;
    }
}
