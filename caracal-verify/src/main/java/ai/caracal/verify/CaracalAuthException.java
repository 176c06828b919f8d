package ai.caracal.verify;

import java.util.Objects;

/**
 * A mandate was not accepted by {@link CaracalAuth}. Unchecked. {@link #getMessage()} is the
 * description; the exception never carries a cause, so no token bytes can ride along.
 */
public class CaracalAuthException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String hint;

    /**
     * @param error the verification error; never {@code null}
     */
    public CaracalAuthException(AuthError error) {
        super(Objects.requireNonNull(error, "error").description());
        this.code = error.code();
        this.hint = error.hint();
    }

    /** @return the error code, for example {@link ErrorCode#INSUFFICIENT_SCOPE} */
    public ErrorCode code() {
        return code;
    }

    /** @return the human-readable description (the same as {@link #getMessage()}) */
    public String description() {
        return getMessage();
    }

    /** @return what the caller can do about it */
    public String hint() {
        return hint;
    }

    /** @return 401 or 403, from the canonical status function */
    public int httpStatus() {
        return AuthErrors.httpStatus(code);
    }

    /** @return the error as a value */
    public AuthError toAuthError() {
        return new AuthError(code, getMessage(), hint);
    }
}
