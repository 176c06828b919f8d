package ai.caracal.revocation;

/**
 * A revocation store could not answer or could not record a write.
 *
 * <p>Lookups that fail inside a fail-closed store are answered as "revoked" and never throw; stores
 * that cannot decide throw this exception instead, and the verifier turns it into
 * {@code invalid_token} ("Revocation state unavailable"). Writes always throw it on failure: a
 * revocation is never silently dropped.
 */
public class RevocationStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be done; never contains a bearer token
     */
    public RevocationStoreException(String message) {
        super(message);
    }

    /**
     * @param message what could not be done; never contains a bearer token
     * @param cause   the underlying failure
     */
    public RevocationStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
