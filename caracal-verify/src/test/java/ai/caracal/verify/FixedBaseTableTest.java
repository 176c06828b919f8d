package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.raw.Nat256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link FixedBaseTable}: table sums equal BouncyCastle's own scalar multiplication, for every window size. */
class FixedBaseTableTest {

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final BigInteger N = P256.getN();

    /** Scalars whose digits hit every recoding edge: zero windows, 2^(w-1) and 2^(w-1)+1, carries, n-1. */
    static List<BigInteger> scalars(int windowBits) {
        List<BigInteger> scalars = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO,
                N.subtract(BigInteger.ONE), N.subtract(BigInteger.TWO), N.shiftRight(1),
                BigInteger.ONE.shiftLeft(255), BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE).mod(N)));
        BigInteger half = BigInteger.ONE.shiftLeft(windowBits - 1);
        BigInteger full = BigInteger.ONE.shiftLeft(windowBits);
        for (int shift = 0; shift + windowBits <= 256; shift += windowBits) {
            scalars.add(half.shiftLeft(shift));
            scalars.add(half.add(BigInteger.ONE).shiftLeft(shift));
            scalars.add(full.subtract(BigInteger.ONE).shiftLeft(shift));
        }
        // every window at 2^(w-1)+1 (each digit negative, each carrying into the next)
        BigInteger allNegative = BigInteger.ZERO;
        for (int shift = 0; shift < 256; shift += windowBits) {
            allNegative = allNegative.add(half.add(BigInteger.ONE).shiftLeft(shift));
        }
        scalars.add(allNegative.mod(BigInteger.ONE.shiftLeft(256)).mod(N));
        SplittableRandom random = new SplittableRandom(windowBits);
        for (int i = 0; i < 40; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            scalars.add(new BigInteger(1, bytes).mod(N));
        }
        return scalars;
    }

    static Stream<Arguments> windows() {
        return Stream.of(4, 7, 8, 9, 10, 12).map(Arguments::of);
    }

    @ParameterizedTest(name = "window of {0} bits")
    @MethodSource("windows")
    void tableSumEqualsScalarMultiplication(int windowBits) {
        ECPoint base = P256.getG().multiply(BigInteger.valueOf(0x5eed)).normalize();
        FixedBaseTable table = FixedBaseTable.of(base, windowBits);
        for (BigInteger k : scalars(windowBits)) {
            ECPoint expected = base.multiply(k).normalize();
            ECPoint actual = table.addMultiple(P256.getCurve().getInfinity(), Nat256.fromBigInteger(k)).normalize();
            assertThat(actual).as("k = %s", k.toString(16)).isEqualTo(expected);
        }
    }

    @Test
    void sumsStartFromTheGivenPointAndMayReachInfinity() {
        ECPoint g = P256.getG();
        FixedBaseTable table = FixedBaseTable.of(g, TableKeyVerifier.KEY_WINDOW_BITS);
        BigInteger k = BigInteger.valueOf(12345);
        // -k·G + k·G is the point at infinity; -k·G + (k+1)·G is G (a doubling inside the sum when k = 1)
        ECPoint minusK = g.multiply(k).negate();
        assertThat(table.addMultiple(minusK, Nat256.fromBigInteger(k)).isInfinity()).isTrue();
        assertThat(table.addMultiple(minusK, Nat256.fromBigInteger(k.add(BigInteger.ONE))).normalize()).isEqualTo(g.normalize());
        assertThat(table.addMultiple(g, Nat256.fromBigInteger(BigInteger.ONE)).normalize()).isEqualTo(g.twice().normalize());
    }

    @Test
    void keyTableSizeIsAsDocumented() {
        FixedBaseTable table = FixedBaseTable.of(P256.getG(), TableKeyVerifier.KEY_WINDOW_BITS);
        assertThat(table.points()).isEqualTo(7_185);
        assertThat(FixedBaseTable.of(P256.getG(), TableKeyVerifier.GENERATOR_WINDOW_BITS).points()).isEqualTo(43_025);
    }

    @Test
    void infinityHasNoTable() {
        assertThatThrownBy(() -> FixedBaseTable.of(P256.getCurve().getInfinity(), 8)).isInstanceOf(IllegalArgumentException.class);
    }
}
