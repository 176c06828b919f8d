package ai.caracal.verify;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.raw.Nat256;
import org.bouncycastle.util.BigIntegers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ES256 from precomputed tables: {@code u1·G + u2·Q} is summed from the fixed-base tables of the
 * generator (built once per process) and of this key (built once per key), so a verification costs
 * about 51 point additions (22 for {@code G}, 29 for {@code Q}) and no doublings (see
 * {@link FixedBaseTable}). The arithmetic is
 * BouncyCastle's; the steps are those of SEC 1 §4.1.4 and of the JDK's and BouncyCastle's own ECDSA:
 *
 * <ol>
 *   <li>the signature is exactly 64 bytes, and {@code r} and {@code s} are both in {@code [1, n-1]};</li>
 *   <li>{@code e} is the SHA-256 of the signing input, {@code w = s^-1 mod n},
 *       {@code u1 = e·w mod n}, {@code u2 = r·w mod n};</li>
 *   <li>{@code R = u1·G + u2·Q} must not be the point at infinity;</li>
 *   <li>the affine x of {@code R}, reduced mod {@code n}, must equal {@code r}: checked without an
 *       inversion as {@code X = c·Z²} for {@code c = r} and, when below {@code p}, {@code c = r + n}.</li>
 * </ol>
 *
 * <p>The key's table is built off the request path, on one shared background thread
 * ({@code caracal-es256-tables}), when the key is loaded (the first build also builds the generator's);
 * until it is ready, and if building it fails, signatures are checked by the plain provider this
 * verifier was given, and so they are for good when a {@link SpeedTrial} finds that provider faster.
 * Thread-safe.
 */
final class TableKeyVerifier implements KeyVerifier {

    private static final Logger log = LoggerFactory.getLogger(TableKeyVerifier.class);

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECCurve CURVE = P256.getCurve();
    private static final BigInteger N = P256.getN();
    private static final BigInteger P = CURVE.getField().getCharacteristic();

    /** Window of the generator's table: 22 windows, 43,025 points, 2.6 MiB, once per process. */
    static final int GENERATOR_WINDOW_BITS = 12;
    /** Window of a key's table: 29 windows, 7,185 points, 449 KiB per key. */
    static final int KEY_WINDOW_BITS = 9;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(TableKeyVerifier::sha256);

    /** Verifications run once per process on the builder thread so that the JIT compiles the table path early. */
    private static final int JIT_WARMUP = 2_000;
    private static final AtomicBoolean WARMED = new AtomicBoolean();

    /**
     * Where tables are built. Tests that want every published key to carry its table set a direct
     * executor here; production code never changes it.
     */
    static volatile Executor builds = Builds.SHARED;

    private final ECPoint point;
    private final KeyVerifier fallback;
    private final SpeedTrial trial;
    private final CompletableFuture<Void> built = new CompletableFuture<>();
    private volatile FixedBaseTable table;

    private TableKeyVerifier(ECPoint point, KeyVerifier fallback, SpeedTrial trial) {
        this.point = point;
        this.fallback = fallback;
        this.trial = trial;
    }

    /**
     * Creates the verifier and schedules its table; signatures are checked by {@code fallback} until the
     * table is built (and, with a speed trial, for good if the provider wins it).
     *
     * @param x        the 32-byte x coordinate
     * @param y        the 32-byte y coordinate
     * @param fallback checks signatures until the table is ready
     * @param trial    decides between the table and {@code fallback}; {@link SpeedTrial#NONE} for the table
     * @throws IllegalArgumentException when the point is not on P-256
     */
    static TableKeyVerifier of(byte[] x, byte[] y, KeyVerifier fallback, SpeedTrial trial) {
        return of(x, y, fallback, trial, builds);
    }

    /** {@link #of(byte[], byte[], KeyVerifier, SpeedTrial)} with the table built by {@code executor}. */
    static TableKeyVerifier of(byte[] x, byte[] y, KeyVerifier fallback, SpeedTrial trial, Executor executor) {
        TableKeyVerifier verifier = new TableKeyVerifier(publicPoint(x, y), fallback, trial);
        try {
            executor.execute(verifier::build);
        } catch (RuntimeException e) {
            log.warn("ES256 key table not scheduled ({}); this key is verified by the plain provider", e.toString());
            verifier.built.complete(null);
        }
        return verifier;
    }

    /**
     * @return the point, validated by BouncyCastle (on the curve, not the point at infinity)
     * @throws IllegalArgumentException when it is not a point of P-256
     */
    static ECPoint publicPoint(byte[] x, byte[] y) {
        return CURVE.validatePoint(new BigInteger(1, x), new BigInteger(1, y));
    }

    /** Builds the generator's table (first time only) and this key's, on the builder thread. */
    private void build() {
        try {
            if (!trial.providerWins() && Generator.TABLE != null) {
                table = FixedBaseTable.of(point, KEY_WINDOW_BITS);
                warmOnce();
                trial.runOnce(this::verifyWithTable, fallback::verify);
            }
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            log.warn("ES256 key table not built ({}); this key is verified by the plain provider", e.toString());
        } finally {
            built.complete(null);
        }
    }

    /**
     * The first time in the process, runs the table path a few thousand times on a well-formed signature
     * (the work does not depend on whether it is valid): interpreted, it is several times slower than
     * compiled, and on a busy host the JIT would otherwise take tens of thousands of requests to get there.
     */
    private void warmOnce() {
        if (!WARMED.compareAndSet(false, true)) {
            return;
        }
        byte[] message = new byte[512];
        byte[] signature = new byte[64];
        Arrays.fill(signature, (byte) 0x5a);
        for (int i = 0; i < JIT_WARMUP; i++) {
            verifyWithTable(message, message.length, signature);
        }
    }

    @Override
    public CompletableFuture<Void> ready() {
        return built;
    }

    @Override
    public boolean hasTable() {
        return true;
    }

    /** @return whether verifications take the table path (the table is built and wins the speed trial, if any) */
    @Override
    public boolean tableInUse() {
        return table != null && trial.tablesWin();
    }

    @Override
    public boolean verify(byte[] signed, int length, byte[] signature) {
        return trial.tablesWin() ? verifyWithTable(signed, length, signature) : fallback.verify(signed, length, signature);
    }

    /** The table path when the table is built, else the fallback. */
    private boolean verifyWithTable(byte[] signed, int length, byte[] signature) {
        FixedBaseTable keyTable = table;
        if (keyTable == null) {
            return fallback.verify(signed, length, signature);
        }
        try {
            return verify(Generator.TABLE, keyTable, signed, length, signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static boolean verify(FixedBaseTable generator, FixedBaseTable keyTable, byte[] signed, int length, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        BigInteger r = new BigInteger(1, signature, 0, 32);
        BigInteger s = new BigInteger(1, signature, 32, 32);
        if (!inRange(r) || !inRange(s)) {
            return false;
        }
        MessageDigest digest = SHA256.get();
        digest.update(signed, 0, length);
        BigInteger e = new BigInteger(1, digest.digest());
        BigInteger w = BigIntegers.modOddInverseVar(N, s);
        BigInteger u1 = e.multiply(w).mod(N);
        BigInteger u2 = r.multiply(w).mod(N);
        ECPoint sum = generator.addMultiple(CURVE.getInfinity(), Nat256.fromBigInteger(u1));
        sum = keyTable.addMultiple(sum, Nat256.fromBigInteger(u2));
        if (sum.isInfinity()) {
            return false;
        }
        // sum is Jacobian (X, Y, Z) with affine x = X / Z²: compare c·Z² with X for each c ≡ r (mod n) below p
        ECFieldElement zSquared = sum.getZCoord(0).square();
        ECFieldElement x = sum.getXCoord();
        for (BigInteger candidate = r; candidate.compareTo(P) < 0; candidate = candidate.add(N)) {
            if (CURVE.fromBigInteger(candidate).multiply(zSquared).equals(x)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inRange(BigInteger value) {
        return value.signum() > 0 && value.compareTo(N) < 0;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** The generator's table, built by the first table build of the process (on the builder thread). */
    private static final class Generator {
        static final FixedBaseTable TABLE = FixedBaseTable.of(P256.getG(), GENERATOR_WINDOW_BITS);
    }

    /** The shared builder thread: one daemon thread, started on demand, gone after 30 s idle. */
    private static final class Builds {
        static final Executor SHARED = shared();

        private static Executor shared() {
            ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    runnable -> {
                        Thread thread = new Thread(runnable, "caracal-es256-tables");
                        thread.setDaemon(true);
                        return thread;
                    });
            executor.allowCoreThreadTimeOut(true);
            return executor;
        }
    }
}
