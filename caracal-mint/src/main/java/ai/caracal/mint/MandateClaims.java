package ai.caracal.mint;

import ai.caracal.verify.ClaimNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The payload of one mandate while it is being built, written out in one stable order: the registered
 * mandate claims in {@link #ORDER} (the order of the dev STS's claim table, devtools.md §1.5), then any
 * other claim in the order it was first set. So the dev STS and the test kit write the same claims as the
 * same bytes, whichever order their setters ran in.
 *
 * <p>Setters store values as given and check nothing: a {@code null} is written as JSON {@code null}
 * (use {@link #remove(String)} to leave a claim out), and a test may set any JSON value under any name to
 * build a deliberately broken mandate. Values are plain Java JSON values ({@link Json#write(Object)}).
 * Not thread-safe.
 */
public final class MandateClaims {

    /** The registered claims, in the order they are written. */
    public static final List<String> ORDER = List.of(
            ClaimNames.ISS, ClaimNames.SUB, ClaimNames.AUD, ClaimNames.IAT, ClaimNames.NBF, ClaimNames.EXP,
            ClaimNames.JTI, ClaimNames.CLIENT_ID, ClaimNames.SUB_TYPE, ClaimNames.USE, ClaimNames.ZONE_ID,
            ClaimNames.SID, ClaimNames.ROOT_SID, ClaimNames.SCOPE, ClaimNames.TARGET, ClaimNames.AGENT_SESSION_ID,
            ClaimNames.DELEGATION_EDGE_ID, ClaimNames.SOURCE_SESSION_ID, ClaimNames.TARGET_SESSION_ID,
            ClaimNames.DELEGATION_PATH, ClaimNames.DELEGATION_CHAIN, ClaimNames.HOP_COUNT,
            ClaimNames.DELEGATION_GRAPH_EPOCH);

    private final Map<String, Object> claims = new LinkedHashMap<>();

    /** Creates an empty claim set. */
    public MandateClaims() {
    }

    /**
     * @param name      the claim; not null
     * @param jsonValue any JSON value as plain Java, {@code null} for JSON {@code null}
     * @return this claim set
     */
    public MandateClaims put(String name, Object jsonValue) {
        claims.put(Objects.requireNonNull(name, "name"), jsonValue);
        return this;
    }

    /**
     * @param name a claim to leave out
     * @return this claim set
     */
    public MandateClaims remove(String name) {
        claims.remove(name);
        return this;
    }

    /**
     * @param name a claim
     * @return its value, or {@code null} when it is absent or JSON {@code null}
     */
    public Object get(String name) {
        return claims.get(name);
    }

    /** @return a new modifiable map of the claims in the written order */
    public Map<String, Object> toMap() {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String name : ORDER) {
            if (claims.containsKey(name)) {
                ordered.put(name, claims.get(name));
            }
        }
        claims.forEach(ordered::putIfAbsent);
        return ordered;
    }

    /**
     * @return the compact JSON payload
     * @throws IllegalArgumentException when a value has no JSON form
     */
    public String toJson() {
        return Json.write(toMap());
    }

    /**
     * @param iss the {@code iss}
     * @return this claim set
     */
    public MandateClaims issuer(String iss) {
        return put(ClaimNames.ISS, iss);
    }

    /**
     * @param sub the {@code sub}
     * @return this claim set
     */
    public MandateClaims subject(String sub) {
        return put(ClaimNames.SUB, sub);
    }

    /**
     * @param aud the {@code aud} array
     * @return this claim set
     */
    public MandateClaims audience(List<String> aud) {
        return put(ClaimNames.AUD, aud);
    }

    /**
     * @param iat the {@code iat}, epoch seconds
     * @return this claim set
     */
    public MandateClaims issuedAt(long iat) {
        return put(ClaimNames.IAT, iat);
    }

    /**
     * @param nbf the {@code nbf}, epoch seconds
     * @return this claim set
     */
    public MandateClaims notBefore(long nbf) {
        return put(ClaimNames.NBF, nbf);
    }

    /**
     * @param exp the {@code exp}, epoch seconds
     * @return this claim set
     */
    public MandateClaims expiresAt(long exp) {
        return put(ClaimNames.EXP, exp);
    }

    /**
     * @param jti the {@code jti}
     * @return this claim set
     */
    public MandateClaims jti(String jti) {
        return put(ClaimNames.JTI, jti);
    }

    /**
     * @param clientId the {@code client_id}
     * @return this claim set
     */
    public MandateClaims clientId(String clientId) {
        return put(ClaimNames.CLIENT_ID, clientId);
    }

    /**
     * @param subType the {@code sub_type}
     * @return this claim set
     */
    public MandateClaims subType(String subType) {
        return put(ClaimNames.SUB_TYPE, subType);
    }

    /**
     * @param use the {@code use}
     * @return this claim set
     */
    public MandateClaims use(String use) {
        return put(ClaimNames.USE, use);
    }

    /**
     * @param zoneId the {@code zone_id}
     * @return this claim set
     */
    public MandateClaims zoneId(String zoneId) {
        return put(ClaimNames.ZONE_ID, zoneId);
    }

    /**
     * @param sid the {@code sid}
     * @return this claim set
     */
    public MandateClaims sid(String sid) {
        return put(ClaimNames.SID, sid);
    }

    /**
     * @param rootSid the {@code root_sid}
     * @return this claim set
     */
    public MandateClaims rootSid(String rootSid) {
        return put(ClaimNames.ROOT_SID, rootSid);
    }

    /**
     * @param scope the space-delimited {@code scope}
     * @return this claim set
     */
    public MandateClaims scope(String scope) {
        return put(ClaimNames.SCOPE, scope);
    }

    /**
     * @param target the {@code target} array
     * @return this claim set
     */
    public MandateClaims target(List<String> target) {
        return put(ClaimNames.TARGET, target);
    }

    /**
     * @param id the {@code agent_session_id}
     * @return this claim set
     */
    public MandateClaims agentSessionId(String id) {
        return put(ClaimNames.AGENT_SESSION_ID, id);
    }

    /**
     * @param id the {@code delegation_edge_id}
     * @return this claim set
     */
    public MandateClaims delegationEdgeId(String id) {
        return put(ClaimNames.DELEGATION_EDGE_ID, id);
    }

    /**
     * @param id the {@code source_session_id}
     * @return this claim set
     */
    public MandateClaims sourceSessionId(String id) {
        return put(ClaimNames.SOURCE_SESSION_ID, id);
    }

    /**
     * @param id the {@code target_session_id}
     * @return this claim set
     */
    public MandateClaims targetSessionId(String id) {
        return put(ClaimNames.TARGET_SESSION_ID, id);
    }

    /**
     * @param edgeIds the {@code delegation_path} array
     * @return this claim set
     */
    public MandateClaims delegationPath(List<String> edgeIds) {
        return put(ClaimNames.DELEGATION_PATH, edgeIds);
    }

    /**
     * @param hops the {@code delegation_chain}: one object per hop with {@code application_id} and, when
     *             set, {@code agent_session_id} and {@code delegation_edge_id}
     * @return this claim set
     */
    public MandateClaims delegationChain(List<? extends Map<String, ?>> hops) {
        return put(ClaimNames.DELEGATION_CHAIN, hops);
    }

    /**
     * @param hops the {@code hop_count}
     * @return this claim set
     */
    public MandateClaims hopCount(long hops) {
        return put(ClaimNames.HOP_COUNT, hops);
    }

    /**
     * @param epoch the {@code delegation_graph_epoch}
     * @return this claim set
     */
    public MandateClaims delegationGraphEpoch(long epoch) {
        return put(ClaimNames.DELEGATION_GRAPH_EPOCH, epoch);
    }
}
