package ai.caracal.verify;

import java.util.Objects;

/**
 * The outcome of one verification: exactly one of {@link #principal()} and {@link #error()} is
 * non-null. Immutable.
 */
public final class AuthResult {

    private final Claims principal;
    private final AuthError error;

    private AuthResult(Claims principal, AuthError error) {
        this.principal = principal;
        this.error = error;
    }

    /**
     * @param claims the verified claims; never {@code null}
     * @return a successful result
     */
    public static AuthResult ok(Claims claims) {
        return new AuthResult(Objects.requireNonNull(claims, "claims"), null);
    }

    /**
     * @param error why verification failed; never {@code null}
     * @return a failed result
     */
    public static AuthResult failure(AuthError error) {
        return new AuthResult(null, Objects.requireNonNull(error, "error"));
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

    @Override
    public String toString() {
        return ok() ? "AuthResult[ok " + principal + "]" : "AuthResult[" + error + "]";
    }
}
