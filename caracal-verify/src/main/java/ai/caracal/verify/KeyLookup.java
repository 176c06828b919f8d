package ai.caracal.verify;

/**
 * The answer of a {@link KeySource} for one {@code kid}, in one value: the key itself
 * ({@link VerificationKey}), or why there is none. Allocation-free: keys answer for themselves and the
 * two misses are constants.
 */
sealed interface KeyLookup permits VerificationKey, KeyLookup.Missing {

    /** Why no key was found. */
    enum Missing implements KeyLookup {
        /** A usable key set is held, and the {@code kid} is not in it (nor in a refetch, if one ran). */
        UNKNOWN_KID,
        /** No usable key set: never fetched, expired, failing, or held back by the failure back-off. */
        UNAVAILABLE
    }
}
