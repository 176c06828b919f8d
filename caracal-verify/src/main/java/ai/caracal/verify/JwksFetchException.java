package ai.caracal.verify;

/** Internal: one JWKS fetch failed. The message names the reason, never key material. Stackless. */
final class JwksFetchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    JwksFetchException(String reason) {
        super(reason, null, false, false);
    }
}
