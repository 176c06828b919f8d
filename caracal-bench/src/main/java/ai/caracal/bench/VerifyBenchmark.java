package ai.caracal.bench;

import ai.caracal.testkit.TestIssuer;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code MandateVerifier.authenticate} on one valid agent mandate (in-memory revocation store, JWKS
 * already cached), with and without the verified-token cache.
 *
 * <ul>
 *   <li>{@code firstSeen}: the token cache is off, so every call parses, checks the ES256 signature and
 *       the claims: the cost of a mandate the server has not seen before.</li>
 *   <li>{@code repeat}: the token cache is on, so calls after the first skip parsing and the signature:
 *       the common case of an agent reusing its mandate.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VerifyBenchmark {

    private TestIssuer issuer;
    private MandateVerifier cached;
    private MandateVerifier uncached;
    private String token;

    /** Starts the issuer, mints the mandate and warms both verifiers' key caches. */
    @Setup(Level.Trial)
    public void setUp() {
        issuer = TestIssuer.start("zone_bench", "resource://documents");
        token = issuer.mint().scope("tool:call").agentSession().sign();
        cached = issuer.verifier().requiredScopes("tool:call").requireAgent(true).build();
        uncached = issuer.verifier().requiredScopes("tool:call").requireAgent(true).verifiedTokenCache(false).build();
        cached.warmup();
        uncached.warmup();
        requireOk(cached.authenticate(token));
        requireOk(uncached.authenticate(token));
    }

    /** Stops the issuer. */
    @TearDown(Level.Trial)
    public void tearDown() {
        issuer.close();
    }

    /** @return the result of a full verification (no token cache) */
    @Benchmark
    public AuthResult firstSeen() {
        return uncached.authenticate(token);
    }

    /** @return the result of a verification served by the verified-token cache */
    @Benchmark
    public AuthResult repeat() {
        return cached.authenticate(token);
    }

    static AuthResult requireOk(AuthResult result) {
        if (!result.ok()) {
            throw new IllegalStateException("benchmark mandate rejected: " + result.error());
        }
        return result;
    }
}
