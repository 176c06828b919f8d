package ai.caracal.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers tokens whose structure, header, signature and claim types already passed, so a repeated
 * mandate skips only those steps (1, 2, 4 and 5 of the check order). The key lookup (step 3) and every
 * claim, requirement, revocation and epoch check still run on every call.
 *
 * <p>The token itself is never kept: a heap dump must not hold bearer credentials. An entry is found by
 * the SHA-256 of the token's signature segment (the part after its last {@code .}) and holds the signing
 * input (the header and payload segments, which are no credential without the signature); a token is a hit
 * only when both match, so only a token identical to the verified one is ever a hit. Hashing the 86
 * characters of an ES256 signature instead of the whole token (typically 600–1000 characters) is what
 * keeps a repeat mandate's lookup cheap; comparing the signing input costs less than hashing it
 * (docs/PERFORMANCE.md); the price is memory, an entry holding about as many bytes as its token's header
 * and payload segments (some megabytes when full). Each entry records the key it was verified with and
 * dies at the mandate's {@code exp}. At most {@value #MAX_ENTRIES} entries: when full, expired entries are
 * dropped first, then arbitrary ones. Thread-safe.
 */
final class VerifiedTokenCache {

    static final int MAX_ENTRIES = 10_000;

    private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);

    private final ConcurrentHashMap<Digest, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param token    a token
     * @param nowEpoch the current time in epoch seconds
     * @return the entry of a verified token identical to {@code token}, or {@code null}
     */
    Entry get(String token, long nowEpoch) {
        int dot = token.lastIndexOf('.');
        Digest digest = HASHER.get().digest(token, dot);
        if (digest == null) {
            return null;
        }
        Entry entry = entries.get(digest);
        if (entry == null || !entry.signs(token, dot)) {
            return null;
        }
        if (entry.claims().expiresAtEpochSecond() <= nowEpoch) {
            entries.remove(digest, entry);
            return null;
        }
        return entry;
    }

    void put(String token, Claims claims, VerificationKey key, long nowEpoch) {
        int dot = token.lastIndexOf('.');
        Digest digest = HASHER.get().digest(token, dot);
        if (digest == null || claims.expiresAtEpochSecond() <= nowEpoch) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            evict(nowEpoch);
        }
        entries.put(digest, new Entry(claims, key, token.substring(0, dot)));
    }

    void remove(String token) {
        int dot = token.lastIndexOf('.');
        Digest digest = HASHER.get().digest(token, dot);
        if (digest != null) {
            entries.computeIfPresent(digest, (d, entry) -> entry.signs(token, dot) ? null : entry);
        }
    }

    int size() {
        return entries.size();
    }

    private void evict(long nowEpoch) {
        entries.values().removeIf(e -> e.claims().expiresAtEpochSecond() <= nowEpoch);
        Iterator<Digest> it = entries.keySet().iterator();
        while (entries.size() >= MAX_ENTRIES - MAX_ENTRIES / 10 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /**
     * A cached verification: the parsed claims, the key whose signature check they passed, and the token's
     * signing input (everything before its signature segment).
     */
    record Entry(Claims claims, VerificationKey key, String signingInput) implements Candidate {

        @Override
        public String kid() {
            return key.kid();
        }

        /** @return whether {@code token}, whose signature segment follows {@code dot}, has this signing input */
        boolean signs(String token, int dot) {
            return dot == signingInput.length() && token.startsWith(signingInput);
        }
    }

    /** SHA-256 of a token's signature segment, as four longs so hashing and equality need no array. */
    private record Digest(long a, long b, long c, long d) {

        /** The digest is uniformly distributed: its first 32 bits are hash enough, and cheaper than mixing all four. */
        @Override
        public int hashCode() {
            return (int) a;
        }
    }

    /** Per-thread digest state and buffers, so hashing a signature allocates only the result. */
    private static final class Hasher {
        private final MessageDigest sha256;
        private final byte[] ascii = new byte[CompactJws.SIGNATURE_CHARS];
        private final byte[] out = new byte[32];

        Hasher() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required by every Java platform", e);
            }
        }

        /**
         * @param token a token
         * @param dot   the index of its last {@code .}, where its signature segment begins after
         * @return the digest of the signature segment, or {@code null} when the token can never be in the
         *         cache: no {@code .}, a segment that is not the length of an ES256 signature (only verified
         *         tokens are cached, and those have one), or a non-ASCII character in it
         */
        Digest digest(String token, int dot) {
            if (dot <= 0 || token.length() - dot - 1 != ascii.length) {
                return null;
            }
            for (int i = 0; i < ascii.length; i++) {
                char ch = token.charAt(dot + 1 + i);
                if (ch >= 0x80) {
                    return null;
                }
                ascii[i] = (byte) ch;
            }
            sha256.update(ascii, 0, ascii.length);
            try {
                sha256.digest(out, 0, 32);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
            return new Digest(readLong(0), readLong(8), readLong(16), readLong(24));
        }

        private long readLong(int offset) {
            long v = 0;
            for (int i = offset; i < offset + 8; i++) {
                v = (v << 8) | (out[i] & 0xFF);
            }
            return v;
        }
    }
}
