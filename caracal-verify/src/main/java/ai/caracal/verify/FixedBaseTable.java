package ai.caracal.verify;

import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The precomputed multiples of one P-256 point {@code P} that let {@code k·P} be computed with additions
 * only, no doublings. The 256-bit scalar is cut into windows of {@code w} bits, recoded as signed digits
 * {@code d_i} in {@code [-2^(w-1)+1, 2^(w-1)]} (a final carry adds {@code 2^(w·W)·P}), so that
 * {@code k·P = Σ d_i·2^(w·i)·P}: one table look-up and one mixed addition per non-zero digit. The table
 * holds {@code j·2^(w·i)·P} for {@code j = 1..2^(w-1)} (fewer in a short top window) as affine points,
 * 64 bytes each in BouncyCastle's packed {@link ECLookupTable}; a negative digit uses the negated point.
 *
 * <p>All arithmetic is BouncyCastle's ({@code SecP256R1Curve}'s points and field; points are added with
 * {@link ECPoint#add}, which handles doubling and the point at infinity). Nothing here is constant-time,
 * and nothing needs to be: signature verification only handles public values (the key, the message, the
 * signature). Immutable and thread-safe once built.
 */
final class FixedBaseTable {

    private static final int SCALAR_BITS = 256;

    private final int windowBits;
    private final int windows;
    /** Index of the first multiple of each window; {@code offsets[windows]} is the carry point. */
    private final int[] offsets;
    private final ECLookupTable multiples;

    private FixedBaseTable(int windowBits, int[] offsets, ECLookupTable multiples) {
        this.windowBits = windowBits;
        this.windows = offsets.length - 1;
        this.offsets = offsets;
        this.multiples = multiples;
    }

    /**
     * Builds the table: one point addition per multiple, one doubling and one batched normalisation per
     * window.
     *
     * @param point      a point of the curve, not the point at infinity
     * @param windowBits bits per window, 2 to 16
     * @return the table of {@code point}
     */
    static FixedBaseTable of(ECPoint point, int windowBits) {
        if (point.isInfinity()) {
            throw new IllegalArgumentException("the point at infinity has no table");
        }
        if (windowBits < 2 || windowBits > 16) {
            throw new IllegalArgumentException("windowBits must be 2 to 16");
        }
        int windows = (SCALAR_BITS + windowBits - 1) / windowBits;
        int[] offsets = new int[windows + 1];
        for (int window = 0; window < windows; window++) {
            offsets[window + 1] = offsets[window] + multiplesIn(window, windowBits);
        }
        ECCurve curve = point.getCurve();
        ECPoint[] points = new ECPoint[offsets[windows] + 1];
        ECPoint base = point.normalize();
        for (int window = 0; window < windows; window++) {
            int offset = offsets[window];
            int count = offsets[window + 1] - offset;
            points[offset] = base;
            for (int j = 1; j < count; j++) {
                points[offset + j] = points[offset + j - 1].add(base);
            }
            // the next window's base, 2^w·B: doublings from the last multiple kept
            ECPoint next = points[offset + count - 1];
            for (int doubled = count; doubled < (1 << windowBits); doubled <<= 1) {
                next = next.twice();
            }
            curve.normalizeAll(points, offset, count, null);
            base = next.normalize();
        }
        points[offsets[windows]] = base;
        return new FixedBaseTable(windowBits, offsets, curve.createCacheSafeLookupTable(points, 0, points.length));
    }

    /**
     * Multiples kept for a window: {@code 2^(w-1)}, or for a top window of {@code b < w} bits (where a
     * digit never goes negative) {@code 2^b}.
     */
    private static int multiplesIn(int window, int windowBits) {
        int bits = Math.min(windowBits, SCALAR_BITS - window * windowBits);
        return bits < windowBits ? 1 << bits : 1 << (windowBits - 1);
    }

    /** @return the number of affine points held (each 64 bytes of coordinates) */
    int points() {
        return offsets[windows] + 1;
    }

    /**
     * @param sum    a point of the same curve (may be the point at infinity)
     * @param scalar a non-negative scalar below {@code 2^256}, as 8 little-endian 32-bit words
     * @return {@code sum + scalar·P}; the point at infinity when that is the sum
     */
    ECPoint addMultiple(ECPoint sum, int[] scalar) {
        ECPoint result = sum;
        int half = 1 << (windowBits - 1);
        int carry = 0;
        for (int window = 0; window < windows; window++) {
            int value = bits(scalar, window * windowBits, windowBits) + carry;
            carry = value > half ? 1 : 0;
            int digit = value - (carry << windowBits);
            if (digit > 0) {
                result = result.add(multiples.lookupVar(offsets[window] + digit - 1));
            } else if (digit < 0) {
                result = result.add(multiples.lookupVar(offsets[window] - digit - 1).negate());
            }
        }
        if (carry != 0) {
            result = result.add(multiples.lookupVar(offsets[windows]));
        }
        return result;
    }

    /** @return the {@code count} bits of {@code scalar} from bit {@code offset} (bits above 255 are zero) */
    private static int bits(int[] scalar, int offset, int count) {
        int word = offset >>> 5;
        int shift = offset & 31;
        long value = (scalar[word] & 0xFFFFFFFFL) >>> shift;
        if (shift + count > 32 && word + 1 < scalar.length) {
            value |= (scalar[word + 1] & 0xFFFFFFFFL) << (32 - shift);
        }
        return (int) (value & ((1L << count) - 1));
    }
}
