package ai.caracal.revocation.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The stored form of a zone's delegation epoch (state.md §4.3): how a stored value is read, and the
 * server-side script that raises it atomically.
 *
 * <p>The script: {@code KEYS[1]} is the epoch key, {@code ARGV[1]} the candidate epoch in decimal and
 * {@code ARGV[2]} the TTL in milliseconds. Both the stored value and the candidate are normalised (not
 * all ASCII digits → {@code 0}, leading zeros stripped, empty → {@code 0}) and compared as
 * arbitrary-precision integers: more digits wins, equal length compares byte by byte (never
 * {@code <} on strings, which follows the server's collation locale). Only a strictly greater candidate
 * is written, with a fresh TTL; the reply is 1 then, otherwise 0 and nothing changes.
 */
final class Epochs {

    static final String SCRIPT = String.join("\n",
            "local function normalise(v)",
            "  if type(v) ~= 'string' or not string.find(v, '^[0-9]+$') then return '0' end",
            "  local stripped = string.gsub(v, '^0+', '')",
            "  if stripped == '' then return '0' end",
            "  return stripped",
            "end",
            "local function greater(a, b)",
            "  if #a ~= #b then return #a > #b end",
            "  for i = 1, #a do",
            "    local x, y = string.byte(a, i), string.byte(b, i)",
            "    if x ~= y then return x > y end",
            "  end",
            "  return false",
            "end",
            "local current = normalise(redis.call('GET', KEYS[1]))",
            "if greater(normalise(ARGV[1]), current) then",
            "  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])",
            "  return 1",
            "end",
            "return 0");

    static final byte[] SCRIPT_BYTES = SCRIPT.getBytes(StandardCharsets.UTF_8);

    /** The script's SHA-1 in lowercase hex, as {@code EVALSHA} expects. */
    static final String SCRIPT_SHA1 = sha1Hex(SCRIPT_BYTES);

    private Epochs() {
    }

    /**
     * @param value an epoch as stored, or {@code null}
     * @return the value when it is all ASCII digits and fits a signed 64-bit long, otherwise {@code 0}
     */
    static long parse(String value) {
        if (value == null || value.isEmpty()) {
            return 0L;
        }
        long result = 0L;
        for (int i = 0, n = value.length(); i < n; i++) {
            int digit = value.charAt(i) - '0';
            if (digit < 0 || digit > 9 || result > (Long.MAX_VALUE - digit) / 10) {
                return 0L;
            }
            result = result * 10 + digit;
        }
        return result;
    }

    private static String sha1Hex(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(bytes);
            StringBuilder hex = new StringBuilder(digest.length * 2);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }
}
