package ai.caracal.verify;

import java.util.Objects;

/**
 * The one canonical status function. Every connector maps verification failures through it and
 * never derives a status itself.
 *
 * <ul>
 *   <li><b>401</b>: the credential itself was not accepted ({@code missing_token},
 *       {@code invalid_token}, {@code invalid_zone}, {@code session_revoked},
 *       {@code delegation_stale}), and any unknown code.</li>
 *   <li><b>403</b>: the mandate verified but is not strong enough ({@code insufficient_scope},
 *       {@code agent_required}, {@code delegation_required}, {@code chain_mismatch},
 *       {@code hop_count_exceeded}).</li>
 * </ul>
 */
public final class AuthErrors {

    private AuthErrors() {
    }

    /**
     * @param code an error code; never {@code null}
     * @return 401 or 403
     */
    public static int httpStatus(ErrorCode code) {
        Objects.requireNonNull(code, "code");
        switch (code) {
            case INSUFFICIENT_SCOPE:
            case AGENT_REQUIRED:
            case DELEGATION_REQUIRED:
            case CHAIN_MISMATCH:
            case HOP_COUNT_EXCEEDED:
                return 403;
            default:
                return 401;
        }
    }

    /**
     * @param wireCode a wire string such as {@code agent_required}; may be {@code null}
     * @return 401 or 403; 401 for {@code null} and unknown codes
     */
    public static int httpStatus(String wireCode) {
        return ErrorCode.fromWire(wireCode).map(AuthErrors::httpStatus).orElse(401);
    }
}
