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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The non-blocking path against the blocking one, side by side, on the same verifier and mandate (default
 * provider, in-memory store, key set held): {@code authenticateAsync} completes at once here, so the
 * difference is the cost of the stages themselves (issue 14's goal: at most 10 % and 256 B/op over the
 * blocking path on a cache hit).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AsyncVerifyBenchmark {

    private BenchmarkMandate mandate;
    private MandateVerifier cached;
    private MandateVerifier uncached;

    /** Starts the issuer, mints the mandate and warms both verifiers' key caches. */
    @Setup(Level.Trial)
    public void setUp() {
        mandate = new BenchmarkMandate();
        cached = verifier(true);
        uncached = verifier(false);
        VerifyBenchmark.requireOk(cached.authenticateAsync(mandate.token).toCompletableFuture().join());
        VerifyBenchmark.requireOk(uncached.authenticateAsync(mandate.token).toCompletableFuture().join());
    }

    private MandateVerifier verifier(boolean tokenCache) {
        MandateVerifier verifier = mandate.issuer.verifier()
                .clock(java.time.Clock.systemUTC())
                .requiredScopes("tool:call").requireAgent(true)
                .verifiedTokenCache(tokenCache)
                .build();
        verifier.warmup();
        return verifier;
    }

    /** Stops the issuer. */
    @TearDown(Level.Trial)
    public void tearDown() {
        mandate.close();
    }

    /** @return a verified-token cache hit, blocking form */
    @Benchmark
    public AuthResult repeatBlocking() {
        return cached.authenticate(mandate.token);
    }

    /** @return a verified-token cache hit, asynchronous form (already complete) */
    @Benchmark
    public AuthResult repeatAsync() {
        return cached.authenticateAsync(mandate.token).toCompletableFuture().join();
    }

    /** @return a full verification, blocking form */
    @Benchmark
    public AuthResult firstSeenBlocking() {
        return uncached.authenticate(mandate.token);
    }

    /** @return a full verification, asynchronous form (already complete) */
    @Benchmark
    public AuthResult firstSeenAsync() {
        return uncached.authenticateAsync(mandate.token).toCompletableFuture().join();
    }
}
