package ai.caracal.verify;

import java.util.Objects;

/**
 * Why a mandate was not accepted.
 *
 * <p>Descriptions never contain token bytes or claim values taken from the token; they may name a
 * configured scope or application ID. Every error carries the hint of its code.
 *
 * @param code        the error code; never {@code null}
 * @param description human-readable explanation; never {@code null}
 * @param hint        what the caller can do about it; never {@code null}
 */
public record AuthError(ErrorCode code, String description, String hint) {

    /** Revocation state could not be read: {@code invalid_token} with this description. */
    static final String REVOCATION_UNAVAILABLE = "Revocation state unavailable";

    /**
     * @param code        the error code
     * @param description the description
     * @param hint        the hint
     */
    public AuthError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(hint, "hint");
    }

    /**
     * @param code an error code; never {@code null}
     * @return the error with the code's default description and hint
     */
    public static AuthError of(ErrorCode code) {
        return new AuthError(code, code.defaultDescription(), code.hint());
    }

    /**
     * @param scope the first missing configured scope
     * @return {@code insufficient_scope} naming the scope
     */
    static AuthError insufficientScope(String scope) {
        return naming(ErrorCode.INSUFFICIENT_SCOPE, scope);
    }

    /**
     * @param applicationId the first configured application ID missing from the chain
     * @return {@code chain_mismatch} naming the application
     */
    static AuthError chainMismatch(String applicationId) {
        return naming(ErrorCode.CHAIN_MISMATCH, applicationId);
    }

    private static AuthError naming(ErrorCode code, String configuredValue) {
        return new AuthError(code, code.defaultDescription() + ": " + configuredValue, code.hint());
    }

    /**
     * @return 401 or 403, from {@link AuthErrors#httpStatus(ErrorCode)}
     */
    public int httpStatus() {
        return AuthErrors.httpStatus(code);
    }

    /** @return {@code code: description} */
    @Override
    public String toString() {
        return code.wire() + ": " + description;
    }
}
