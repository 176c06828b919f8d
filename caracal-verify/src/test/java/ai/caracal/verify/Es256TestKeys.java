package ai.caracal.verify;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.concurrent.Executor;

/** Builds {@link KeyVerifier}s for one P-256 point with each engine; tables are built before returning. */
final class Es256TestKeys {

    /** The engines compared: Caracal's tables, BouncyCastle's plain provider, the JDK's. */
    enum Engine {
        TABLES, BC, JDK
    }

    static final Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    private static final Executor INLINE = Runnable::run;

    private Es256TestKeys() {
    }

    /**
     * @param x the x coordinate, big-endian, any length up to 32 significant bytes
     * @param y the y coordinate
     * @return the verifier; for {@link Engine#TABLES} its table is built
     */
    static KeyVerifier verifier(Engine engine, byte[] x, byte[] y) {
        byte[] x32 = fixed(x);
        byte[] y32 = fixed(y);
        switch (engine) {
            case TABLES:
                TableKeyVerifier tables = TableKeyVerifier.of(x32, y32, new JcaKeyVerifier(publicKey(x32, y32), BC), SpeedTrial.NONE, INLINE);
                if (!tables.tableInUse()) {
                    throw new IllegalStateException("the table was not built");
                }
                return tables;
            case BC:
                return new JcaKeyVerifier(publicKey(x32, y32), BC);
            default:
                return new JcaKeyVerifier(publicKey(x32, y32), null);
        }
    }

    static ECPublicKey publicKey(byte[] x, byte[] y) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
                    new ECPublicKeySpec(new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), spec));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the value as exactly 32 big-endian bytes (Wycheproof writes a leading zero byte before a set top bit) */
    static byte[] fixed(byte[] value) {
        int start = 0;
        while (value.length - start > 32 && value[start] == 0) {
            start++;
        }
        if (value.length - start > 32) {
            throw new IllegalArgumentException("coordinate above 32 bytes");
        }
        byte[] fixed = new byte[32];
        System.arraycopy(value, start, fixed, 32 - (value.length - start), value.length - start);
        return fixed;
    }

    static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
