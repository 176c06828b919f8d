package ai.caracal.cli;

/**
 * The rows of the demo's validation table (devtools.md §4.2 and §5), in the order they run: what each
 * case is called and what it must produce. D1–D15 and D27 run against the server with in-tool checks,
 * D19–D26 against the one with boundary checks. How each row is set up is {@link DemoRows}.
 */
enum DemoCase {
    D1("valid agent mandate", "ok", DemoObservation.TOOL, 200),
    D2("missing bearer token", "missing_token", DemoObservation.BOUNDARY, 401),
    D3("non-bearer scheme", "missing_token", DemoObservation.BOUNDARY, 401),
    D4("wrong audience", "invalid_token", DemoObservation.BOUNDARY, 401),
    D5("expired mandate", "invalid_token", DemoObservation.BOUNDARY, 401),
    D6("tampered signature", "invalid_token", DemoObservation.BOUNDARY, 401),
    D7("wrong zone claim", "invalid_zone", DemoObservation.BOUNDARY, 401),
    D8("missing scope", "insufficient_scope", DemoObservation.BOUNDARY, 403),
    D9("revoked session", "session_revoked", DemoObservation.BOUNDARY, 401),
    D10("non-agent token with requireAgent", "agent_required", DemoObservation.BOUNDARY, 403),
    D11("delegated mandate", "ok", DemoObservation.TOOL, 200),
    D12("delegation missing", "delegation_required", DemoObservation.TOOL, 200),
    D13("chain lacks app", "chain_mismatch", DemoObservation.TOOL, 200),
    D14("too many hops", "hop_count_exceeded", DemoObservation.TOOL, 200),
    D15("delegation graph changed", "delegation_stale", DemoObservation.BOUNDARY, 401),
    D19("boundary form: delegated mandate", "ok", DemoObservation.TOOL, 200),
    D20("boundary form: no documents:read", "insufficient_scope", DemoObservation.BOUNDARY, 403),
    D21("boundary form: delegation missing", "delegation_required", DemoObservation.BOUNDARY, 403),
    D22("boundary form: chain lacks app", "chain_mismatch", DemoObservation.BOUNDARY, 403),
    D23("boundary form: too many hops", "hop_count_exceeded", DemoObservation.BOUNDARY, 403),
    D24("wrong Origin", "rpc -32600", DemoObservation.BOUNDARY, 403),
    D25("Mcp-Name header mismatch", "rpc -32020", DemoObservation.BOUNDARY, 400),
    D26("another principal's session ID", "session_not_found", DemoObservation.BOUNDARY, 404),
    D27("SSE stream closed by a revocation", "stream_closed", DemoObservation.STREAM, 200);

    private final String title;
    private final String expected;
    private final String at;
    private final int http;

    DemoCase(String title, String expected, String at, int http) {
        this.title = title;
        this.expected = expected;
        this.at = at;
        this.http = http;
    }

    String title() {
        return title;
    }

    /** @return {@code ok} or the expected error code */
    String expected() {
        return expected;
    }

    /** @return where the outcome must be seen: {@code boundary} or {@code tool} */
    String at() {
        return at;
    }

    /** @return the expected HTTP status of the last MCP request */
    int http() {
        return http;
    }

    /** @return whether {@code observed} is exactly this row's expected outcome, place and status */
    boolean matches(DemoObservation observed) {
        return expected.equals(observed.got()) && at.equals(observed.at())
                && observed.http().isPresent() && observed.http().getAsInt() == http;
    }
}
