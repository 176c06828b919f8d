package ai.caracal.revocation;

/**
 * A bounded store refused to record a new anchor because it is full of live entries. Existing entries
 * are kept; re-revoking an anchor that is already stored is always allowed.
 */
public class RevocationStoreFullException extends RevocationStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * @param maxEntries the capacity that was reached
     */
    public RevocationStoreFullException(int maxEntries) {
        super("Revocation store capacity exceeded (" + maxEntries + " live entries)");
    }
}
