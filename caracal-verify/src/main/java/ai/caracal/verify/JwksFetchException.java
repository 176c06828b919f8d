package ai.caracal.verify;

/**
 * Internal: one JWKS fetch failed. The message names the reason, never key material. Stackless.
 * {@link #status()} is the HTTP status of a non-200 answer, 0 for every other failure.
 */
final class JwksFetchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    JwksFetchException(String reason) {
        this(0, reason);
    }

    private JwksFetchException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    /**
     * @param status the answer's status, not 200
     * @param detail the issuer's {@code error} and {@code error_description}, already made safe for one
     *               log line, or empty
     * @return {@code answered <status>[ <error>][: <description>]}
     */
    static JwksFetchException answered(int status, String detail) {
        return new JwksFetchException(status, "answered " + status + detail);
    }

    int status() {
        return status;
    }
}
