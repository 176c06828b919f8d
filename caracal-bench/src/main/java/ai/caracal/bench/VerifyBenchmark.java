package ai.caracal.bench;

import ai.caracal.verify.AuthResult;
import ai.caracal.verify.MandateVerifier;
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

/**
 * {@code MandateVerifier.authenticate} on one valid agent mandate (in-memory revocation store, key set
 * already cached), for each ES256 provider.
 *
 * <ul>
 *   <li>{@code firstSeen}: the verified-token cache is off, so every call parses, checks the signature
 *       and every claim: the cost of a mandate the server has not seen before.</li>
 *   <li>{@code repeat}: the cache is on, so calls after the first skip parsing and the signature: the
 *       common case of an agent reusing its mandate for many calls.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VerifyBenchmark {

    /**
     * How signatures are checked: {@code tables} (Caracal's precomputed tables on BouncyCastle's P-256
     * arithmetic, the default with the default dependencies), or a plain provider: {@code bc},
     * {@code accp}, {@code conscrypt}, {@code jdk}.
     */
    @Param({"tables", "bc", "accp", "conscrypt", "jdk"})
    public String provider;

    private BenchmarkMandate mandate;
    private MandateVerifier cached;
    private MandateVerifier uncached;

    /** Starts the issuer, mints the mandate and warms both verifiers' key caches. */
    @Setup(Level.Trial)
    public void setUp() {
        mandate = new BenchmarkMandate();
        cached = verifier(true);
        uncached = verifier(false);
        requireOk(cached.authenticate(mandate.token));
        requireOk(uncached.authenticate(mandate.token));
    }

    private MandateVerifier verifier(boolean tokenCache) {
        MandateVerifier verifier = Providers.verifier(mandate, provider)
                .requiredScopes("tool:call").requireAgent(true)
                .verifiedTokenCache(tokenCache)
                .build();
        // for tables: returns once the key's table is built
        verifier.warmup();
        return verifier;
    }

    /** Stops the issuer. */
    @TearDown(Level.Trial)
    public void tearDown() {
        mandate.close();
    }

    /** @return the result of a full verification (no token cache) */
    @Benchmark
    public AuthResult firstSeen() {
        return uncached.authenticate(mandate.token);
    }

    /** @return the result of a verification served by the verified-token cache */
    @Benchmark
    public AuthResult repeat() {
        return cached.authenticate(mandate.token);
    }

    static AuthResult requireOk(AuthResult result) {
        if (!result.ok()) {
            throw new IllegalStateException("benchmark mandate rejected: " + result.error());
        }
        return result;
    }

}
