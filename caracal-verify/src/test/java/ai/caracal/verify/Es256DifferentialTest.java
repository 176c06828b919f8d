package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

/**
 * Differential test of Caracal's table verifier against the JDK's {@code SHA256withECDSAinP1363Format}
 * and BouncyCastle's {@code SHA256withPLAIN-ECDSA}: on random and mutated signatures, all three must give
 * the same answer, every time. Cases are derived from a seed and their index, so any disagreement is
 * reproducible from the two numbers it reports.
 *
 * <p>The build runs {@value #DEFAULT_COUNT} cases. The full run (at least 1,000,000 cases) is
 * <pre>
 * ./mvnw -B -pl caracal-verify -am verify -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest=Es256DifferentialTest -Dcaracal.es256.differential.count=1000000
 * </pre>
 * with {@code caracal.es256.differential.seed} and {@code caracal.es256.differential.threads} to vary
 * the seed and the thread count (default: one per processor).
 */
class Es256DifferentialTest {

    static final int DEFAULT_COUNT = 20_000;

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256);
    private static final BigInteger N = P256.getN();
    private static final BigInteger P = P256.getCurve().getField().getCharacteristic();
    private static final BigInteger[] EDGE_VALUES = {
        BigInteger.ZERO, BigInteger.ONE, N.subtract(BigInteger.ONE), N, N.add(BigInteger.ONE), P.subtract(BigInteger.ONE), P,
        BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(255), N.shiftRight(1),
    };

    /** How a case is made from a valid signature. */
    enum Kind {
        VALID, HIGH_S, MESSAGE_BIT_FLIPPED, SIGNATURE_BIT_FLIPPED, R_AND_S_SWAPPED, R_EDGE_VALUE, S_EDGE_VALUE,
        R_PLUS_N, S_PLUS_N, TRUNCATED, EXTENDED, RANDOM_BYTES, RANDOM_IN_RANGE, OTHER_KEY, SUM_AT_INFINITY,
        R_IS_S, BYTE_SHIFTED
    }

    /** One key: its private scalar (to sign), its public point, and a verifier per engine. */
    private record TestKey(BigInteger d, byte[] x, byte[] y, ECPublicKey publicKey, KeyVerifier tables) {
    }

    @Test
    void tablesAgreeWithTheJdkAndBouncyCastleOnRandomAndMutatedSignatures() throws Exception {
        int count = Integer.getInteger("caracal.es256.differential.count", DEFAULT_COUNT);
        long seed = Long.getLong("caracal.es256.differential.seed", 0x5eed_19L);
        int threads = Integer.getInteger("caracal.es256.differential.threads", Runtime.getRuntime().availableProcessors());
        List<TestKey> keys = keys(seed);

        AtomicLongArray accepted = new AtomicLongArray(Kind.values().length);
        AtomicLongArray total = new AtomicLongArray(Kind.values().length);
        ConcurrentLinkedQueue<String> disagreements = new ConcurrentLinkedQueue<>();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                workers.add(pool.submit(() -> {
                    Worker worker = new Worker(keys);
                    for (int i = first; i < count && disagreements.size() < 20; i += threads) {
                        worker.check(seed, i, accepted, total, disagreements);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        StringBuilder summary = new StringBuilder(String.format(
                "ES256 differential: %,d cases, seed %d, %d threads, %,d ms, JDK %s%n", count, seed, threads, millis,
                Runtime.version()));
        for (Kind kind : Kind.values()) {
            summary.append(String.format("  %-22s %,9d cases, %,9d accepted by all%n", kind, total.get(kind.ordinal()),
                    accepted.get(kind.ordinal())));
        }
        System.out.print(summary);

        assertThat(disagreements).as("cases where the engines disagree").isEmpty();
        assertThat(accepted.get(Kind.VALID.ordinal())).isEqualTo(total.get(Kind.VALID.ordinal()));
        assertThat(accepted.get(Kind.HIGH_S.ordinal())).isEqualTo(total.get(Kind.HIGH_S.ordinal()));
        assertThat(accepted.get(Kind.SUM_AT_INFINITY.ordinal())).isZero();
    }

    /** Random keys, and the special ones whose sums meet table points: d = 1, 2, n-1, n-2, (n-1)/2. */
    private static List<TestKey> keys(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<BigInteger> scalars = new ArrayList<>(List.of(BigInteger.ONE, BigInteger.TWO, N.subtract(BigInteger.ONE),
                N.subtract(BigInteger.TWO), N.subtract(BigInteger.ONE).shiftRight(1)));
        for (int i = 0; i < 6; i++) {
            scalars.add(randomScalar(random));
        }
        List<TestKey> keys = new ArrayList<>();
        for (BigInteger d : scalars) {
            ECPoint q = P256.getG().multiply(d).normalize();
            byte[] x = BigIntegers.asUnsignedByteArray(32, q.getAffineXCoord().toBigInteger());
            byte[] y = BigIntegers.asUnsignedByteArray(32, q.getAffineYCoord().toBigInteger());
            keys.add(new TestKey(d, x, y, Es256TestKeys.publicKey(x, y), Es256TestKeys.verifier(Es256TestKeys.Engine.TABLES, x, y)));
        }
        return keys;
    }

    private static BigInteger randomScalar(SplittableRandom random) {
        while (true) {
            BigInteger candidate = new BigInteger(1, bytes(random, 32));
            if (candidate.signum() > 0 && candidate.compareTo(N) < 0) {
                return candidate;
            }
        }
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Per-thread reference verifiers. */
    private static final class Worker {
        private final List<TestKey> keys;
        private final Map<TestKey, Map<Es256TestKeys.Engine, Signature>> references = new java.util.HashMap<>();
        private final MessageDigest sha256;

        Worker(List<TestKey> keys) throws GeneralSecurityException {
            this.keys = keys;
            this.sha256 = MessageDigest.getInstance("SHA-256");
            for (TestKey key : keys) {
                Map<Es256TestKeys.Engine, Signature> byEngine = new EnumMap<>(Es256TestKeys.Engine.class);
                Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC");
                jdk.initVerify(key.publicKey());
                byEngine.put(Es256TestKeys.Engine.JDK, jdk);
                Signature bc = Signature.getInstance("SHA256withPLAIN-ECDSA", Es256TestKeys.BC);
                bc.initVerify(key.publicKey());
                byEngine.put(Es256TestKeys.Engine.BC, bc);
                references.put(key, byEngine);
            }
        }

        void check(long seed, int index, AtomicLongArray accepted, AtomicLongArray total, ConcurrentLinkedQueue<String> disagreements) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            TestKey key = keys.get(random.nextInt(keys.size()));
            byte[] message = bytes(random, 1 + random.nextInt(700));
            byte[] hash = sha256.digest(message);
            BigInteger[] rs = sign(key.d(), hash);
            byte[] signature = mutate(kind, random, key, message, hash, rs);

            boolean tables = key.tables().verify(Es256TestKeys.concat(message, new byte[] {'.'}), message.length, signature);
            boolean jdk = reference(key, Es256TestKeys.Engine.JDK, message, signature);
            boolean bc = reference(key, Es256TestKeys.Engine.BC, message, signature);
            total.incrementAndGet(kind.ordinal());
            if (tables != jdk || tables != bc) {
                disagreements.add(String.format("seed %d index %d kind %s: tables %s, JDK %s, BC %s, signature %s", seed, index,
                        kind, tables, jdk, bc, HexFormat.of().formatHex(signature)));
            } else if (tables) {
                accepted.incrementAndGet(kind.ordinal());
            }
        }

        private boolean reference(TestKey key, Es256TestKeys.Engine engine, byte[] message, byte[] signature) {
            Signature verifier = references.get(key).get(engine);
            try {
                verifier.update(message);
                return verifier.verify(signature);
            } catch (GeneralSecurityException | RuntimeException e) {
                try {
                    verifier.initVerify(key.publicKey());
                } catch (GeneralSecurityException again) {
                    throw new IllegalStateException(again);
                }
                return false;
            }
        }

        /** A message, mutated or signed, as the case's kind says; only the signature or the message change. */
        private byte[] mutate(Kind kind, SplittableRandom random, TestKey key, byte[] message, byte[] hash, BigInteger[] rs) {
            BigInteger r = rs[0];
            BigInteger s = rs[1];
            switch (kind) {
                case VALID:
                    return raw(r, s);
                case HIGH_S:
                    return raw(r, N.subtract(s));
                case MESSAGE_BIT_FLIPPED:
                    message[random.nextInt(message.length)] ^= (byte) (1 << random.nextInt(8));
                    return raw(r, s);
                case SIGNATURE_BIT_FLIPPED: {
                    byte[] signature = raw(r, s);
                    signature[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
                    return signature;
                }
                case R_AND_S_SWAPPED:
                    return raw(s, r);
                case R_EDGE_VALUE:
                    return raw(EDGE_VALUES[random.nextInt(EDGE_VALUES.length)], s);
                case S_EDGE_VALUE:
                    return raw(r, EDGE_VALUES[random.nextInt(EDGE_VALUES.length)]);
                case R_PLUS_N:
                    return raw(r.add(N).mod(BigInteger.ONE.shiftLeft(256)), s);
                case S_PLUS_N:
                    return raw(r, s.add(N).mod(BigInteger.ONE.shiftLeft(256)));
                case TRUNCATED:
                    return Arrays.copyOf(raw(r, s), random.nextInt(64));
                case EXTENDED: {
                    byte[] signature = raw(r, s);
                    return random.nextBoolean() ? Es256TestKeys.concat(new byte[1 + random.nextInt(2)], signature)
                            : Es256TestKeys.concat(signature, new byte[1 + random.nextInt(2)]);
                }
                case RANDOM_BYTES:
                    return bytes(random, 64);
                case RANDOM_IN_RANGE:
                    return raw(randomScalar(random), randomScalar(random));
                case OTHER_KEY: {
                    TestKey other = keys.get(random.nextInt(keys.size()));
                    BigInteger[] signed = sign(other.d(), hash);
                    return raw(signed[0], signed[1]);
                }
                case SUM_AT_INFINITY: {
                    // u1·G + u2·Q = (e + r·d)·w·G is the point at infinity when r = -e/d (mod n), whatever s is
                    BigInteger e = new BigInteger(1, hash).mod(N);
                    BigInteger forced = e.negate().multiply(key.d().modInverse(N)).mod(N);
                    return raw(forced.signum() == 0 ? BigInteger.ONE : forced, randomScalar(random));
                }
                case R_IS_S:
                    return raw(r, r);
                case BYTE_SHIFTED: {
                    byte[] signature = raw(r, s);
                    byte[] shifted = new byte[64];
                    System.arraycopy(signature, 0, shifted, 1, 63);
                    return shifted;
                }
                default:
                    throw new IllegalStateException(kind.toString());
            }
        }

        private static BigInteger[] sign(BigInteger d, byte[] hash) {
            ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
            signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
            return signer.generateSignature(hash);
        }

        /** @return r‖s, each as 32 bytes (values are below 2^256) */
        private static byte[] raw(BigInteger r, BigInteger s) {
            return Es256TestKeys.concat(BigIntegers.asUnsignedByteArray(32, r), BigIntegers.asUnsignedByteArray(32, s));
        }
    }
}
