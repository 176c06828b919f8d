package ai.caracal.verify;

import java.security.Provider;
import java.security.interfaces.ECPublicKey;

/**
 * How a key cache checks ES256 signatures: through a plain JCA provider, or through Caracal's
 * precomputed tables on BouncyCastle's P-256 arithmetic ({@link TableKeyVerifier}), which fall back to a
 * plain provider while a key's table is being built. Immutable.
 */
final class SignatureEngine {

    private final Provider provider;
    private final boolean tables;
    private final SpeedTrial trial;

    private SignatureEngine(Provider provider, boolean tables, SpeedTrial trial) {
        this.provider = provider;
        this.tables = tables;
        this.trial = trial;
    }

    /**
     * @param provider the JCA provider; {@code null} for the JDK default
     * @return an engine that verifies every signature through {@code provider}
     */
    static SignatureEngine plain(Provider provider) {
        return new SignatureEngine(provider, false, SpeedTrial.NONE);
    }

    /**
     * @param fallback the provider that verifies while a key's table is built (BouncyCastle's, as loaded
     *                 by {@link SignatureProviders}); never {@code null}
     * @return an engine that gives keys precomputed tables and always uses them once built
     */
    static SignatureEngine tables(Provider fallback) {
        return new SignatureEngine(fallback, true, SpeedTrial.NONE);
    }

    /**
     * @param nativeProvider a native provider (ACCP, Conscrypt); never {@code null}
     * @return an engine that gives keys precomputed tables, times them against {@code nativeProvider}
     *         once (in the background, after the first table is built) and keeps the faster
     */
    static SignatureEngine racing(Provider nativeProvider) {
        return new SignatureEngine(nativeProvider, true, SpeedTrial.against(nativeProvider.getName()));
    }

    /** @return whether keys get precomputed tables */
    boolean usesTables() {
        return tables && !trial.providerWins();
    }

    /** @return the trial between the tables and the provider ({@link SpeedTrial#NONE} when there is none) */
    SpeedTrial trial() {
        return trial;
    }

    /**
     * @param publicKey the key, already checked to lie on P-256
     * @param x         its 32-byte x coordinate
     * @param y         its 32-byte y coordinate
     * @param table     whether this key may have a table (the key set's table budget is not spent)
     * @return a verifier for the key
     * @throws IllegalStateException    when the provider cannot verify with the key
     * @throws IllegalArgumentException when BouncyCastle finds the point not on P-256
     */
    KeyVerifier verifier(ECPublicKey publicKey, byte[] x, byte[] y, boolean table) {
        JcaKeyVerifier plain = new JcaKeyVerifier(publicKey, provider);
        return usesTables() && table ? TableKeyVerifier.of(x, y, plain, trial) : plain;
    }

    /** @return a name for logs: the provider's, or the table engine's */
    String describe() {
        String name = provider == null ? "JDK default" : provider.getName();
        if (!tables) {
            return name;
        }
        return trial == SpeedTrial.NONE
                ? "precomputed tables on BouncyCastle's P-256 arithmetic (" + name + " while a key's table is built)"
                : "precomputed tables on BouncyCastle's P-256 arithmetic or " + name + ", whichever a background trial finds"
                        + " faster (" + name + " until then)";
    }

    /** @return the provider; {@code null} for the JDK default */
    Provider provider() {
        return provider;
    }
}
