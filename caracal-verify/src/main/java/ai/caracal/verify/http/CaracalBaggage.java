package ai.caracal.verify.http;

import ai.caracal.verify.Claims;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code caracal.*} W3C Baggage entries of a verified request (interop.md §1), derived from the
 * verified claims only. {@link HttpBoundary#enter(BoundaryDecision)} puts them in the OpenTelemetry
 * context for the handler; hosts without an HTTP boundary can use {@link #entries(Claims)} themselves.
 *
 * <p>Baggage is unsigned routing metadata: a downstream service may route or log by it, never authorise
 * by it. An incoming entry whose name starts with {@code caracal.} (in any case) is never trusted.
 */
public final class CaracalBaggage {

    /** The mandate's {@code sid} (the authority record). */
    public static final String SESSION = "caracal.session";
    /** The mandate's {@code agent_session_id}. */
    public static final String AGENT_SESSION = "caracal.agent_session";
    /** The mandate's {@code delegation_edge_id}. */
    public static final String DELEGATION_EDGE = "caracal.delegation_edge";
    /** The delegation edge before {@code delegation_edge_id} in {@code delegation_path}. */
    public static final String PARENT_EDGE = "caracal.parent_edge";
    /** The mandate's {@code hop_count}, in decimal ({@code 0} when absent). */
    public static final String HOP = "caracal.hop";

    /** At most this many members in the baggage a boundary makes current (interop.md §1). */
    public static final int MAX_MEMBERS = 64;
    /** At most this many bytes of {@code name=value} members, commas included (interop.md §1). */
    public static final int MAX_BYTES = 8_192;

    private static final String PREFIX = "caracal.";

    private CaracalBaggage() {
    }

    /**
     * @param claims verified claims; never {@code null}
     * @return the entries in the order {@code session}, {@code agent_session}, {@code delegation_edge},
     *         {@code parent_edge}, {@code hop}; a claim that is absent leaves its entry out (the hop is
     *         always there). Unmodifiable.
     */
    public static Map<String, String> entries(Claims claims) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (claims.sid() != null) {
            entries.put(SESSION, claims.sid());
        }
        claims.agentSessionId().ifPresent(id -> entries.put(AGENT_SESSION, id));
        claims.delegationEdgeId().ifPresent(edge -> {
            entries.put(DELEGATION_EDGE, edge);
            List<String> path = claims.delegationPath();
            int at = path.lastIndexOf(edge);
            if (at > 0) {
                entries.put(PARENT_EDGE, path.get(at - 1));
            }
        });
        entries.put(HOP, Integer.toString(claims.hopCount()));
        return Collections.unmodifiableMap(entries);
    }

    /**
     * @return how many OpenTelemetry context calls of the boundaries in this process failed (each left the
     *         context as it was; logged at WARN at most once a minute)
     */
    public static long failures() {
        return OtelContext.failures();
    }

    /**
     * @param name a baggage member name
     * @return whether it is in the reserved {@code caracal.} namespace (compared without case, so
     *         {@code Caracal.Session} is reserved too)
     */
    public static boolean reserved(String name) {
        return name.length() >= PREFIX.length() && name.substring(0, PREFIX.length()).toLowerCase(Locale.ROOT).equals(PREFIX);
    }
}
