package ai.caracal.verify;

import java.util.Objects;

/**
 * The outcome of one verification: exactly one of {@link #principal()} and {@link #error()} is
 * non-null, and a {@link #cause()} that says why (never sent on the wire). Immutable.
 */
public final class AuthResult {

    private final Claims principal;
    private final AuthError error;
    private final Cause cause;

    private AuthResult(Claims principal, AuthError error, Cause cause) {
        this.principal = principal;
        this.error = error;
        this.cause = cause;
    }

    /**
     * @param claims the verified claims; never {@code null}
     * @return a successful result
     */
    public static AuthResult ok(Claims claims) {
        return new AuthResult(Objects.requireNonNull(claims, "claims"), null, Cause.NONE);
    }

    /**
     * @param error why verification failed; never {@code null}
     * @return a failed result
     */
    public static AuthResult failure(AuthError error) {
        return new AuthResult(null, Objects.requireNonNull(error, "error"), Cause.of(error.code()));
    }

    /**
     * @param error why verification failed; never {@code null}
     * @param cause the finer reason, for operators; never {@link Cause#NONE}
     * @return a failed result
     */
    public static AuthResult failure(AuthError error, Cause cause) {
        Objects.requireNonNull(error, "error");
        if (Objects.requireNonNull(cause, "cause") == Cause.NONE) {
            throw new IllegalArgumentException("a failure needs a cause other than NONE");
        }
        return new AuthResult(null, error, cause);
    }

    /**
     * @return {@code true} when the mandate was accepted
     */
    public boolean ok() {
        return principal != null;
    }

    /**
     * @return the verified claims, or {@code null} when {@link #ok()} is {@code false}
     */
    public Claims principal() {
        return principal;
    }

    /**
     * @return the error, or {@code null} when {@link #ok()} is {@code true}
     */
    public AuthError error() {
        return error;
    }

    /**
     * @return why it ended this way: {@link Cause#NONE} when accepted; otherwise finer than the error
     *         code, for metrics, logs and audit (for example {@link Cause#KEYS_UNAVAILABLE} behind
     *         {@code invalid_token})
     */
    public Cause cause() {
        return cause;
    }

    @Override
    public String toString() {
        return ok() ? "AuthResult[ok " + principal + "]" : "AuthResult[" + error + ", cause " + cause.wire() + "]";
    }
}
