package ai.caracal.verify;

import java.time.Clock;

/**
 * For the benchmarks only (this module is never published): Caracal's precomputed-table engine exactly
 * as a class path with the default dependencies chooses it (BouncyCastle, no native provider, so no speed
 * trial), whatever else the benchmark class path holds.
 */
public final class BenchmarkEngines {

    /** One key's ES256 check. */
    public interface Verifier {
        /**
         * @param signed    bytes whose first {@code length} bytes are the signing input
         * @param length    the signing input's length
         * @param signature the R‖S signature
         * @return whether the signature is valid
         */
        boolean verify(byte[] signed, int length, byte[] signature);
    }

    private BenchmarkEngines() {
    }

    /**
     * @param clock the cache's clock
     * @return a key cache whose keys verify through precomputed tables (BouncyCastle while they build)
     */
    public static JwksCache tablesCache(Clock clock) {
        return JwksCache.builder().clock(clock)
                .engine(SignatureEngine.tables(new org.bouncycastle.jce.provider.BouncyCastleProvider()))
                .build();
    }

    /**
     * @param x the key's 32-byte x coordinate
     * @param y the key's 32-byte y coordinate
     * @return the key's table verifier, its table built
     */
    public static Verifier tables(byte[] x, byte[] y) {
        java.security.Provider bc = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        java.security.interfaces.ECPublicKey publicKey;
        try {
            publicKey = new com.nimbusds.jose.jwk.ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256,
                    com.nimbusds.jose.util.Base64URL.encode(x), com.nimbusds.jose.util.Base64URL.encode(y)).build().toECPublicKey(bc);
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        TableKeyVerifier verifier = TableKeyVerifier.of(x, y, new JcaKeyVerifier(publicKey, bc), SpeedTrial.NONE, Runnable::run);
        if (!verifier.tableInUse()) {
            throw new IllegalStateException("the key's table was not built");
        }
        return verifier::verify;
    }
}
