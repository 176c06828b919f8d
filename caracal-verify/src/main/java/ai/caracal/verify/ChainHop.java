package ai.caracal.verify;

import java.util.Objects;
import java.util.Optional;

/**
 * One element of a mandate's {@code delegation_chain}.
 *
 * @param applicationId    the application at this hop; never {@code null} or empty
 * @param agentSessionId   the hop's agent session, if any (an empty string in the token counts as absent)
 * @param delegationEdgeId the hop's delegation edge, if any (an empty string in the token counts as absent)
 */
public record ChainHop(String applicationId, Optional<String> agentSessionId, Optional<String> delegationEdgeId) {

    /**
     * @param applicationId    the application ID
     * @param agentSessionId   the agent session, or empty
     * @param delegationEdgeId the delegation edge, or empty
     */
    public ChainHop {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(agentSessionId, "agentSessionId");
        Objects.requireNonNull(delegationEdgeId, "delegationEdgeId");
    }

    /**
     * @param applicationId the application ID
     * @return a hop with no session and no edge
     */
    public static ChainHop of(String applicationId) {
        return new ChainHop(applicationId, Optional.empty(), Optional.empty());
    }
}
