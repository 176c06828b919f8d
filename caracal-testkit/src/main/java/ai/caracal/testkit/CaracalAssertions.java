package ai.caracal.testkit;

import ai.caracal.verify.AuthResult;
import ai.caracal.verify.CaracalAuthException;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * AssertJ entry points for verification results. Needs {@code org.assertj:assertj-core} on the test
 * classpath.
 *
 * <pre>{@code
 * assertThat(verifier.authenticate(token)).failedWith(ErrorCode.SESSION_REVOKED).hasStatus(401);
 * assertThatAuthFailure(() -> auth.verify(token)).hasCode(ErrorCode.HOP_COUNT_EXCEEDED);
 * }</pre>
 */
public final class CaracalAssertions {

    private CaracalAssertions() {
    }

    /**
     * @param actual a verification result
     * @return assertions on it
     */
    public static AuthResultAssert assertThat(AuthResult actual) {
        return new AuthResultAssert(actual);
    }

    /**
     * @param call code expected to throw {@link CaracalAuthException}
     * @return assertions on the thrown exception
     */
    public static CaracalAuthExceptionAssert assertThatAuthFailure(ThrowingCallable call) {
        try {
            call.call();
        } catch (CaracalAuthException e) {
            return new CaracalAuthExceptionAssert(e);
        } catch (Throwable other) {
            throw new AssertionError("Expected a CaracalAuthException but " + other.getClass().getName() + " was thrown", other);
        }
        throw new AssertionError("Expected a CaracalAuthException but nothing was thrown");
    }

    /** Assertions on an {@link AuthResult}. */
    public static final class AuthResultAssert extends AbstractAssert<AuthResultAssert, AuthResult> {

        AuthResultAssert(AuthResult actual) {
            super(actual, AuthResultAssert.class);
        }

        /** @return this, after checking the result is ok */
        public AuthResultAssert isOk() {
            isNotNull();
            if (!actual.ok()) {
                failWithMessage("Expected an accepted mandate but it was rejected with <%s>", actual.error());
            }
            return this;
        }

        /**
         * @param code the expected error code
         * @return this, after checking the result failed with it
         */
        public AuthResultAssert failedWith(ErrorCode code) {
            isNotNull();
            if (actual.ok()) {
                failWithMessage("Expected rejection with <%s> but the mandate was accepted: <%s>", code, actual.principal());
            } else if (actual.error().code() != code) {
                failWithMessage("Expected rejection with <%s> but got <%s>", code, actual.error());
            }
            return this;
        }

        /**
         * @param status the expected HTTP status of the failure
         * @return this
         */
        public AuthResultAssert hasStatus(int status) {
            isNotNull();
            if (actual.ok()) {
                failWithMessage("Expected a rejection with status %s but the mandate was accepted", status);
            } else if (actual.error().httpStatus() != status) {
                failWithMessage("Expected status %s but <%s> maps to %s", status, actual.error(), actual.error().httpStatus());
            }
            return this;
        }

        /**
         * @param description the expected description
         * @return this
         */
        public AuthResultAssert hasDescription(String description) {
            isNotNull();
            if (actual.ok()) {
                failWithMessage("Expected a rejection described <%s> but the mandate was accepted", description);
            } else if (!actual.error().description().equals(description)) {
                failWithMessage("Expected description <%s> but was <%s>", description, actual.error().description());
            }
            return this;
        }

        /**
         * @param requirements checks on the verified claims
         * @return this, after checking the result is ok and running the checks
         */
        public AuthResultAssert principalSatisfies(Consumer<Claims> requirements) {
            isOk();
            requirements.accept(actual.principal());
            return this;
        }
    }

    /** Assertions on a {@link CaracalAuthException}. */
    public static final class CaracalAuthExceptionAssert
            extends AbstractAssert<CaracalAuthExceptionAssert, CaracalAuthException> {

        CaracalAuthExceptionAssert(CaracalAuthException actual) {
            super(actual, CaracalAuthExceptionAssert.class);
        }

        /**
         * @param code the expected error code
         * @return this
         */
        public CaracalAuthExceptionAssert hasCode(ErrorCode code) {
            if (actual.code() != code) {
                failWithMessage("Expected code <%s> but was <%s>", code, actual.code());
            }
            return this;
        }
    }
}
