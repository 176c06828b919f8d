package ai.caracal.verify;

import java.util.concurrent.CompletableFuture;

/**
 * Checks ES256 signatures under one P-256 public key: through a JCA provider ({@link JcaKeyVerifier}) or
 * through precomputed tables on BouncyCastle's curve arithmetic ({@link TableKeyVerifier}). Thread-safe.
 */
sealed interface KeyVerifier permits JcaKeyVerifier, TableKeyVerifier {

    /**
     * @param signed    the bytes whose first {@code length} bytes are the signing input
     * @param length    how many bytes of {@code signed} were signed
     * @param signature the JOSE R‖S signature
     * @return whether the signature is valid; a signature that is not exactly 64 bytes, or whose
     *         {@code r} or {@code s} is outside {@code [1, n-1]}, is invalid. Never throws.
     */
    boolean verify(byte[] signed, int length, byte[] signature);

    /** @return completes (never exceptionally) when this verifier runs at its full speed */
    CompletableFuture<Void> ready();

    /** @return whether this verifier holds (or is building) a precomputed table */
    boolean hasTable();

    /** @return whether verifications take the precomputed table now */
    boolean tableInUse();
}
