package ai.caracal.verify;

/**
 * The wire names of the claims of a Caracal mandate (verification.md §4), one constant per name, in
 * the order of the spec's claim table. Every main-code reference to a mandate claim by name uses these
 * constants; the values are the exact JSON member names, so {@code Claims.raw().get(ClaimNames.ZONE_ID)}
 * reads the raw claim.
 *
 * <p>Only claim names live here. Where another format names a field after the claim it carries (a
 * revocation stream entry's {@code zone_id} and anchors, state.md §5; a dev STS mint or revoke request's
 * fields, devtools.md §1), Caracal's code spells it with these constants too, so one spelling serves both;
 * the formats' own fields ({@code session_id}, {@code epoch}, {@code reason}) and audit record fields are
 * not here.
 */
public final class ClaimNames {

    /** {@code iss}: the issuer; must equal the configured issuer exactly (§4, RFC 7519 §4.1.1). */
    public static final String ISS = "iss";

    /** {@code aud}: the audience, a string or an array of strings (§4, RFC 7519 §4.1.3). */
    public static final String AUD = "aud";

    /** {@code sub}: the subject, a non-empty string (§4, RFC 7519 §4.1.2). */
    public static final String SUB = "sub";

    /** {@code exp}: expiry, integral seconds since the epoch, strict with no leeway (§4, RFC 7519 §4.1.4). */
    public static final String EXP = "exp";

    /** {@code iat}: issued-at, integral seconds since the epoch (§4, RFC 7519 §4.1.6). */
    public static final String IAT = "iat";

    /** {@code nbf}: not-before, optional, any JSON number (§4, RFC 7519 §4.1.5). */
    public static final String NBF = "nbf";

    /** {@code jti}: the token ID, non-empty, never checked for replay (§4, RFC 7519 §4.1.7). */
    public static final String JTI = "jti";

    /** {@code zone_id}: the Caracal zone; any problem with it is {@code invalid_zone} (§4, §6 step 14). */
    public static final String ZONE_ID = "zone_id";

    /** {@code client_id}: the acting application (§4, RFC 8693 §4.3). */
    public static final String CLIENT_ID = "client_id";

    /** {@code sid}: the session ID; a revocation anchor (§4). */
    public static final String SID = "sid";

    /** {@code root_sid}: the root session ID; a revocation anchor (§4). */
    public static final String ROOT_SID = "root_sid";

    /** {@code use}: {@code resource} or {@code session}, matched against the required use (§4). */
    public static final String USE = "use";

    /** {@code sub_type}: {@code user} or {@code application} (§4). */
    public static final String SUB_TYPE = "sub_type";

    /** {@code scope}: optional space-delimited scopes (§4, RFC 6749 §3.3). */
    public static final String SCOPE = "scope";

    /** {@code target}: optional array of target resources (§4). */
    public static final String TARGET = "target";

    /**
     * {@code agent_session_id}: optional agent session; a revocation anchor (§4). Also a member of each
     * {@link #DELEGATION_CHAIN} element.
     */
    public static final String AGENT_SESSION_ID = "agent_session_id";

    /**
     * {@code delegation_edge_id}: optional delegation edge; a revocation anchor (§4). Also a member of each
     * {@link #DELEGATION_CHAIN} element.
     */
    public static final String DELEGATION_EDGE_ID = "delegation_edge_id";

    /** {@code source_session_id}: optional source session of a delegation (§4). */
    public static final String SOURCE_SESSION_ID = "source_session_id";

    /** {@code target_session_id}: optional target session of a delegation (§4). */
    public static final String TARGET_SESSION_ID = "target_session_id";

    /** {@code delegation_path}: optional array of delegation edge IDs (§4). */
    public static final String DELEGATION_PATH = "delegation_path";

    /** {@code delegation_chain}: optional array of hop objects, read as {@link ChainHop}s (§4). */
    public static final String DELEGATION_CHAIN = "delegation_chain";

    /** {@code application_id}: the required member of each {@link #DELEGATION_CHAIN} element (§4). */
    public static final String APPLICATION_ID = "application_id";

    /** {@code hop_count}: optional integral hop count, absent means 0 (§4). */
    public static final String HOP_COUNT = "hop_count";

    /** {@code delegation_graph_epoch}: optional epoch compared with the store's zone epoch (§4, §6 step 22). */
    public static final String DELEGATION_GRAPH_EPOCH = "delegation_graph_epoch";

    /** {@code graph_epoch}: the legacy epoch name, ignored by verification and never read as the epoch (§4). */
    public static final String GRAPH_EPOCH = "graph_epoch";

    private ClaimNames() {
    }
}
