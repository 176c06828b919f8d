package ai.caracal.verify;

/**
 * A token that passed the cheap checks and waits for its key (step 3): either a verified-token cache hit
 * ({@link VerifiedTokenCache.Entry}) or the parsed token ({@link CompactJws}). Both are objects the
 * verifier already holds, so a repeat mandate's way through the verifier allocates no wrapper for it.
 */
sealed interface Candidate permits VerifiedTokenCache.Entry, CompactJws {

    /** @return the {@code kid} to look up */
    String kid();
}
