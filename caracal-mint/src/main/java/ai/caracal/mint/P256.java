package ai.caracal.mint;

import java.math.BigInteger;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;

/**
 * The public point {@code d·G} of a P-256 private scalar, for keys reloaded from PKCS#8 files (the
 * JDK's encoding does not carry the public key). Plain affine double-and-add on {@link BigInteger}:
 * not constant-time, which is acceptable for a development issuer that runs it once per reloaded key,
 * never on request input. {@link Es256Key} checks every derived key with a sign-and-verify round trip.
 */
final class P256 {

    private P256() {
    }

    /**
     * @param d      the private scalar, in [1, n)
     * @param params the curve parameters of the private key (must be P-256)
     * @return the public point
     */
    static ECPoint publicPoint(BigInteger d, ECParameterSpec params) {
        BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
        BigInteger a = params.getCurve().getA();
        ECPoint result = ECPoint.POINT_INFINITY;
        ECPoint addend = params.getGenerator();
        for (int i = 0; i < d.bitLength(); i++) {
            if (d.testBit(i)) {
                result = add(result, addend, p, a);
            }
            addend = add(addend, addend, p, a);
        }
        return result;
    }

    private static ECPoint add(ECPoint s, ECPoint t, BigInteger p, BigInteger a) {
        if (s.equals(ECPoint.POINT_INFINITY)) {
            return t;
        }
        if (t.equals(ECPoint.POINT_INFINITY)) {
            return s;
        }
        BigInteger x1 = s.getAffineX();
        BigInteger y1 = s.getAffineY();
        BigInteger x2 = t.getAffineX();
        BigInteger y2 = t.getAffineY();
        BigInteger slope;
        if (x1.equals(x2)) {
            if (!y1.equals(y2) || y1.signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            BigInteger three = BigInteger.valueOf(3);
            slope = x1.pow(2).multiply(three).add(a).multiply(y1.shiftLeft(1).modInverse(p)).mod(p);
        } else {
            slope = y2.subtract(y1).multiply(x2.subtract(x1).modInverse(p)).mod(p);
        }
        BigInteger x3 = slope.pow(2).subtract(x1).subtract(x2).mod(p);
        BigInteger y3 = slope.multiply(x1.subtract(x3)).subtract(y1).mod(p);
        return new ECPoint(x3, y3);
    }
}
