package ai.caracal.bench;

import ai.caracal.verify.BenchmarkEngines;
import com.nimbusds.jose.crypto.impl.ECDSA;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.bouncycastle.util.BigIntegers;

/**
 * The floor: one raw P-256 {@code SHA256withECDSA} verification of the benchmark mandate's signature
 * with a prepared {@link Signature} and key, for each provider (and the same through Caracal's
 * precomputed tables). No parsing, no claims, no JOSE.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RawVerifyBenchmark {

    /** The ES256 provider, or {@code tables} for Caracal's precomputed tables (R‖S, no DER). */
    @Param({"tables", "bc", "accp", "conscrypt", "jdk"})
    public String provider;

    private BenchmarkMandate mandate;
    private Signature signature;
    private ECPublicKey key;
    private byte[] input;
    private byte[] der;
    private byte[] raw;
    private BenchmarkEngines.Verifier tables;

    /** Prepares the key, the input and the DER signature (or the table and the R‖S signature). */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        mandate = new BenchmarkMandate();
        input = mandate.signingInput();
        raw = mandate.rawSignature();
        if ("tables".equals(provider)) {
            java.security.interfaces.ECPublicKey publicKey = mandate.publicKey(null);
            tables = BenchmarkEngines.tables(BigIntegers.asUnsignedByteArray(32, publicKey.getW().getAffineX()),
                    BigIntegers.asUnsignedByteArray(32, publicKey.getW().getAffineY()));
        } else {
            java.security.Provider p = Providers.named(provider);
            signature = Signature.getInstance("SHA256withECDSA", p);
            key = mandate.publicKey(p);
            der = ECDSA.transcodeSignatureToDER(raw);
        }
        if (!verify()) {
            throw new IllegalStateException("the benchmark signature does not verify");
        }
    }

    /** Stops the issuer. */
    @TearDown(Level.Trial)
    public void tearDown() {
        mandate.close();
    }

    /**
     * @return whether the signature verified
     * @throws GeneralSecurityException never for the prepared input
     */
    @Benchmark
    public boolean verify() throws GeneralSecurityException {
        if (tables != null) {
            return tables.verify(input, input.length, raw);
        }
        signature.initVerify(key);
        signature.update(input);
        return signature.verify(der);
    }
}
