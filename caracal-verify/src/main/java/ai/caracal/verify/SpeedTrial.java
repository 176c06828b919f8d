package ai.caracal.verify;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, once per engine, whether the precomputed tables or a native provider (ACCP, Conscrypt) verify
 * faster on this machine. The trial runs on the table builder thread right after the first key table is
 * built (never on a request thread): both verify the same well-formed signature (the work does not depend
 * on whether it is valid) for a warm-up, then in alternating rounds, and the best round of each counts.
 * Until it is decided, the provider verifies. Thread-safe.
 */
final class SpeedTrial {

    private static final Logger log = LoggerFactory.getLogger(SpeedTrial.class);

    private static final int WARMUP = 1_500;
    private static final int ROUNDS = 5;
    private static final int PER_ROUND = 100;

    /** No trial: the tables always verify (the alternative is BouncyCastle's plain provider, about twice as slow). */
    static final SpeedTrial NONE = new SpeedTrial(null, Outcome.TABLES);

    /** One way to verify, timed by the trial. */
    interface Check {
        boolean verify(byte[] signed, int length, byte[] signature);
    }

    /** The outcome. */
    enum Outcome {
        UNDECIDED, TABLES, PROVIDER
    }

    private final String providerName;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Outcome outcome;

    private SpeedTrial(String providerName, Outcome outcome) {
        this.providerName = providerName;
        this.outcome = outcome;
    }

    /**
     * @param providerName the native provider's name, for the log line
     * @return an undecided trial
     */
    static SpeedTrial against(String providerName) {
        return new SpeedTrial(providerName, Outcome.UNDECIDED);
    }

    /** @return whether verifications take the tables */
    boolean tablesWin() {
        return outcome == Outcome.TABLES;
    }

    /** @return whether the provider won, so that new keys need no table */
    boolean providerWins() {
        return outcome == Outcome.PROVIDER;
    }

    Outcome outcome() {
        return outcome;
    }

    /**
     * Runs the trial if it has not run yet (the first caller runs it; others return at once).
     *
     * @param tables   a key's verification through its built table
     * @param provider the same key's verification through the native provider
     */
    void runOnce(Check tables, Check provider) {
        if (outcome != Outcome.UNDECIDED || !started.compareAndSet(false, true)) {
            return;
        }
        try {
            byte[] message = new byte[512];
            byte[] signature = new byte[64];
            // r = s = 0x7f...f: in [1, n-1], so both do the whole computation (and reject)
            Arrays.fill(signature, (byte) 0x7f);
            signature[32] = 0x3f;
            run(tables, message, signature, WARMUP);
            run(provider, message, signature, WARMUP);
            long bestTables = Long.MAX_VALUE;
            long bestProvider = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                bestTables = Math.min(bestTables, run(tables, message, signature, PER_ROUND));
                bestProvider = Math.min(bestProvider, run(provider, message, signature, PER_ROUND));
            }
            outcome = bestTables <= bestProvider ? Outcome.TABLES : Outcome.PROVIDER;
            log.info("Caracal ES256: precomputed tables {} µs, {} {} µs per verification (best of {} rounds, measured in the"
                            + " background); verifying with the {}", micros(bestTables), providerName, micros(bestProvider), ROUNDS,
                    outcome == Outcome.TABLES ? "tables" : providerName);
        } catch (RuntimeException | LinkageError e) {
            outcome = Outcome.PROVIDER;
            log.warn("Caracal ES256: speed trial failed ({}); verifying with {}", e.toString(), providerName);
        }
    }

    /** @return nanoseconds for {@code count} verifications */
    private static long run(Check verifier, byte[] message, byte[] signature, int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            verifier.verify(message, message.length, signature);
        }
        return System.nanoTime() - start;
    }

    private static String micros(long nanosPerRound) {
        return String.format(Locale.ROOT, "%.1f", nanosPerRound / 1000.0 / PER_ROUND);
    }
}
