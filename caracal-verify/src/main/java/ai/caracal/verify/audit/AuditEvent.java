package ai.caracal.verify.audit;

import ai.caracal.verify.Cause;
import java.time.Instant;
import java.util.Objects;

/**
 * One action-result event: what a boundary decided for one request (connectors.md §11). Never holds a
 * token or any value of a rejected token: on a denial, the subject, client and agent session are
 * {@code null} and the zone is the configured one.
 *
 * @param time         when the decision was made; never {@code null}
 * @param allowed      {@code true} when the request went on to the application
 * @param code         the wire error code of a denial ({@code invalid_token}, ...), {@code null} when allowed
 * @param cause        why, finer than the code ({@link Cause#NONE} when allowed); never {@code null}
 * @param zone         the verified mandate's zone when allowed, else the configured zone; may be {@code null}
 * @param subject      the verified {@code sub}; {@code null} on a denial
 * @param clientId     the verified {@code client_id}; {@code null} on a denial
 * @param agentSession the verified {@code agent_session_id}; {@code null} on a denial or when absent
 * @param action       what was asked for: {@code <METHOD> <path>} for an HTTP request (the path cut at
 *                     {@value #MAX_ACTION_CHARS} characters); never {@code null}
 * @param traceId      the W3C trace ID (32 lower-case hex) of the request, or {@code null} when none
 */
public record AuditEvent(Instant time, boolean allowed, String code, Cause cause, String zone, String subject,
                         String clientId, String agentSession, String action, String traceId) {

    /** Longest {@link #action()} kept; longer ones are cut. */
    public static final int MAX_ACTION_CHARS = 512;

    /** Checks the non-null components and cuts a long action. */
    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(action, "action");
        if (action.length() > MAX_ACTION_CHARS) {
            action = action.substring(0, MAX_ACTION_CHARS);
        }
    }

    /** @return {@code allow} or {@code deny} */
    public String result() {
        return allowed ? "allow" : "deny";
    }
}
