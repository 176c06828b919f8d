package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** §8: the status function's edges, {@link AuthError} values and {@link CaracalAuthException}. */
class AuthErrorsTest {

    @ParameterizedTest(name = "httpStatus({0}) = 401")
    @NullSource
    @ValueSource(strings = {"", "INSUFFICIENT_SCOPE", "Agent_Required", "forbidden", "403"})
    @DisplayName("httpStatus(String) gives 401 for null and for every string that is not an exact wire code")
    void unknownWireCodesAre401(String wire) {
        assertThat(AuthErrors.httpStatus(wire)).isEqualTo(401);
    }

    @Test
    @DisplayName("httpStatus(ErrorCode) rejects null")
    void nullCodeIsRejected() {
        assertThatThrownBy(() -> AuthErrors.httpStatus((ErrorCode) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("code");
    }

    @Test
    @DisplayName("an insufficient_scope error names the configured scope after the default description")
    void insufficientScopeNamesTheScope() {
        assertThat(AuthError.insufficientScope("admin"))
                .isEqualTo(new AuthError(ErrorCode.INSUFFICIENT_SCOPE, "Mandate lacks scope: admin", ErrorCode.INSUFFICIENT_SCOPE.hint()));
    }

    @Test
    @DisplayName("a chain_mismatch error names the configured application after the default description")
    void chainMismatchNamesTheApplication() {
        assertThat(AuthError.chainMismatch("app-parent")).isEqualTo(new AuthError(ErrorCode.CHAIN_MISMATCH,
                "Delegation chain lacks application: app-parent", ErrorCode.CHAIN_MISMATCH.hint()));
    }

    @Test
    @DisplayName("AuthError rejects null code, description and hint")
    void authErrorRejectsNulls() {
        assertThatThrownBy(() -> new AuthError(null, "d", "h")).isInstanceOf(NullPointerException.class).hasMessage("code");
        assertThatThrownBy(() -> new AuthError(ErrorCode.INVALID_TOKEN, null, "h"))
                .isInstanceOf(NullPointerException.class).hasMessage("description");
        assertThatThrownBy(() -> new AuthError(ErrorCode.INVALID_TOKEN, "d", null))
                .isInstanceOf(NullPointerException.class).hasMessage("hint");
    }

    @Test
    @DisplayName("CaracalAuthException carries the error's code, description, hint and status, and no cause")
    void caracalAuthExceptionCarriesTheError() {
        AuthError error = AuthError.chainMismatch("app-parent");
        CaracalAuthException e = new CaracalAuthException(error);
        assertThat(e.code()).isEqualTo(ErrorCode.CHAIN_MISMATCH);
        assertThat(e.getMessage()).isEqualTo(e.description()).isEqualTo("Delegation chain lacks application: app-parent");
        assertThat(e.hint()).isEqualTo(ErrorCode.CHAIN_MISMATCH.hint());
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.getCause()).isNull();
        assertThat(e.toAuthError()).isEqualTo(error);
    }
}
