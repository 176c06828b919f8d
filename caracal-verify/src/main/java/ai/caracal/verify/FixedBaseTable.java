package ai.caracal.verify;

import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The precomputed multiples of one P-256 point {@code P} that let {@code k·P} be computed with additions
 * only, no doublings: the scalar is cut into 32 signed 8-bit digits {@code d_i} in {@code [-127, 128]}
 * (plus a final carry), and {@code k·P = Σ d_i·2^(8i)·P}, each term one table look-up and one mixed
 * addition. The table holds {@code j·2^(8i)·P} for {@code j = 1..128} and each window {@code i}, and
 * {@code 2^256·P} for the carry: 4,097 affine points, 64 bytes each in BouncyCastle's packed
 * {@link ECLookupTable} (about 256 KiB).
 *
 * <p>All arithmetic is BouncyCastle's ({@code SecP256R1Curve}'s points and field). Nothing here is
 * constant-time, and nothing needs to be: signature verification only handles public values (the key,
 * the message, the signature). Immutable and thread-safe once built.
 */
final class FixedBaseTable {

    /** Bits per window. */
    private static final int WINDOW_BITS = 8;
    /** Windows of a 256-bit scalar. */
    private static final int WINDOWS = 256 / WINDOW_BITS;
    /** Multiples kept per window: digits run from -127 to 128, negatives are negated look-ups. */
    private static final int PER_WINDOW = 1 << (WINDOW_BITS - 1);
    /** Index of {@code 2^256·P}, added when the top digit carries. */
    private static final int CARRY = WINDOWS * PER_WINDOW;

    /** Points in a table. */
    static final int POINTS = CARRY + 1;
    /** Bytes of coordinate data in a table: two 32-byte coordinates per point. */
    static final long BYTES = POINTS * 64L;

    private final ECLookupTable multiples;

    private FixedBaseTable(ECLookupTable multiples) {
        this.multiples = multiples;
    }

    /**
     * Builds the table: about 4,100 point additions, 33 doublings and one batched normalisation per window.
     *
     * @param point a point of the curve, not the point at infinity
     * @return the table of {@code point}
     */
    static FixedBaseTable of(ECPoint point) {
        if (point.isInfinity()) {
            throw new IllegalArgumentException("the point at infinity has no table");
        }
        ECCurve curve = point.getCurve();
        ECPoint[] points = new ECPoint[POINTS];
        ECPoint base = point.normalize();
        for (int window = 0; window < WINDOWS; window++) {
            int offset = window * PER_WINDOW;
            points[offset] = base;
            for (int j = 1; j < PER_WINDOW; j++) {
                points[offset + j] = points[offset + j - 1].add(base);
            }
            // 2·(128·B) = 256·B = 2^8·B: the base of the next window
            ECPoint next = points[offset + PER_WINDOW - 1].twice();
            curve.normalizeAll(points, offset, PER_WINDOW, null);
            base = next.normalize();
        }
        points[CARRY] = base;
        return new FixedBaseTable(curve.createCacheSafeLookupTable(points, 0, POINTS));
    }

    /**
     * @param sum    a point of the same curve (may be the point at infinity)
     * @param scalar a non-negative scalar below {@code 2^256}, as exactly 32 big-endian bytes
     * @return {@code sum + scalar·P}; the point at infinity when that is the sum
     */
    ECPoint addMultiple(ECPoint sum, byte[] scalar) {
        ECPoint result = sum;
        int carry = 0;
        for (int window = 0; window < WINDOWS; window++) {
            int value = (scalar[31 - window] & 0xFF) + carry;
            carry = value > PER_WINDOW ? 1 : 0;
            int digit = value - (carry << WINDOW_BITS);
            if (digit > 0) {
                result = result.add(multiples.lookupVar(window * PER_WINDOW + digit - 1));
            } else if (digit < 0) {
                result = result.add(multiples.lookupVar(window * PER_WINDOW - digit - 1).negate());
            }
        }
        if (carry != 0) {
            result = result.add(multiples.lookupVar(CARRY));
        }
        return result;
    }
}
