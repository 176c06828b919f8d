package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.devsts.DevSts;
import ai.caracal.examples.documents.DocumentsMcpServer;
import ai.caracal.mint.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * devtools.md §3.1 and §4: {@code caracal demo} run in-process with its embedded defaults (a dev STS,
 * the documents-mcp server and the in-memory store), its table and JSON output, a failing row, and
 * usage errors. Redis: {@link DemoWithRedisTest}; {@code --keep-running}: {@link DemoKeepRunningTest}.
 */
@Tag("integration")
class DemoCommandTest {

    static final String HEADER_PATTERN =
            "Caracal demo  sts http://127\\.0\\.0\\.1:\\d+  mcp http://127\\.0\\.0\\.1:\\d+/mcp  mcp-boundary http://127\\.0\\.0\\.1:\\d+/mcp"
            + "  zone %s  store %s";

    /** The rows of §4.3, exactly as printed when every row passes. */
    static final List<String> PASSING_TABLE = List.of(
            " #   case                                   expected             got                  at        http  result",
            " D1  valid agent mandate                    ok                   ok                   tool      200   PASS",
            " D2  missing bearer token                   missing_token        missing_token        boundary  401   PASS",
            " D3  non-bearer scheme                      missing_token        missing_token        boundary  401   PASS",
            " D4  wrong audience                         invalid_token        invalid_token        boundary  401   PASS",
            " D5  expired mandate                        invalid_token        invalid_token        boundary  401   PASS",
            " D6  tampered signature                     invalid_token        invalid_token        boundary  401   PASS",
            " D7  wrong zone claim                       invalid_zone         invalid_zone         boundary  401   PASS",
            " D8  missing scope                          insufficient_scope   insufficient_scope   boundary  403   PASS",
            " D9  revoked session                        session_revoked      session_revoked      boundary  401   PASS",
            " D10 non-agent token with requireAgent      agent_required       agent_required       boundary  403   PASS",
            " D11 delegated mandate                      ok                   ok                   tool      200   PASS",
            " D12 delegation missing                     delegation_required  delegation_required  tool      200   PASS",
            " D13 chain lacks app                        chain_mismatch       chain_mismatch       tool      200   PASS",
            " D14 too many hops                          hop_count_exceeded   hop_count_exceeded   tool      200   PASS",
            " D15 delegation graph changed               delegation_stale     delegation_stale     boundary  401   PASS",
            " D19 boundary form: delegated mandate       ok                   ok                   tool      200   PASS",
            " D20 boundary form: no documents:read       insufficient_scope   insufficient_scope   boundary  403   PASS",
            " D21 boundary form: delegation missing      delegation_required  delegation_required  boundary  403   PASS",
            " D22 boundary form: chain lacks app         chain_mismatch       chain_mismatch       boundary  403   PASS",
            " D23 boundary form: too many hops           hop_count_exceeded   hop_count_exceeded   boundary  403   PASS",
            " D24 wrong Origin                           rpc -32600           rpc -32600           boundary  403   PASS",
            " D25 Mcp-Name header mismatch               rpc -32020           rpc -32020           boundary  400   PASS",
            " D26 another principal's session ID         session_not_found    session_not_found    boundary  404   PASS",
            " D27 SSE stream closed by a revocation      stream_closed        stream_closed        stream    200   PASS",
            "24/24 passed");

    /** Every compact JWS starts with {@code eyJ}, the base64url of an opening brace and quote: no output may contain one. */
    static void assertNoToken(String output) {
        assertThat(output).doesNotContain("eyJ");
    }

    @Test
    @DisplayName("§4.3: every row passes with the embedded defaults: exit 0, the header, 24 rows, 24/24 passed")
    void everyRowPasses() {
        CliRun run = CliRun.run("demo");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).matches(String.format(HEADER_PATTERN, "zone_dev", "in-memory"));
        assertThat(lines.subList(1, lines.size())).containsExactlyElementsOf(PASSING_TABLE);
        assertNoToken(run.out());
        assertNoToken(run.err());
    }

    @Test
    @DisplayName("§4.3 --output json: sts, mcp, mcp_boundary, zone, store, 24 rows with canonical_status for tool-level codes, passed 23, failed 0")
    @SuppressWarnings("unchecked")
    void jsonOutput() {
        CliRun run = CliRun.run("demo", "--output", "json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        Map<String, Object> report = Json.readObjectLastWins(run.out()).orElseThrow();
        assertThat(report.keySet()).containsExactly("sts", "mcp", "mcp_boundary", "zone", "store", "rows", "passed", "failed");
        assertThat(report).containsEntry("store", "in-memory");
        assertThat((String) report.get("mcp_boundary")).matches("http://127\\.0\\.0\\.1:\\d+/mcp");
        assertThat((String) report.get("sts")).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat((String) report.get("mcp")).matches("http://127\\.0\\.0\\.1:\\d+/mcp");
        assertThat(report).containsEntry("zone", "zone_dev").containsEntry("passed", 24L).containsEntry("failed", 0L);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("rows");
        assertThat(rows).hasSize(24).allSatisfy(row -> {
            assertThat(row.keySet()).containsExactly("id", "case", "expected", "got", "at", "http", "canonical_status", "pass");
            assertThat(row).containsEntry("pass", true);
        });
        assertThat(rows.get(0)).containsExactlyEntriesOf(row("D1", "valid agent mandate", "ok", "ok", "tool", 200L, null));
        assertThat(rows.get(7)).containsExactlyEntriesOf(
                row("D8", "missing scope", "insufficient_scope", "insufficient_scope", "boundary", 403L, null));
        assertThat(rows.get(11)).containsExactlyEntriesOf(
                row("D12", "delegation missing", "delegation_required", "delegation_required", "tool", 200L, 403L));
        assertThat(rows.get(14)).containsExactlyEntriesOf(
                row("D15", "delegation graph changed", "delegation_stale", "delegation_stale", "boundary", 401L, null));
        assertThat(rows.get(16)).containsExactlyEntriesOf(
                row("D20", "boundary form: no documents:read", "insufficient_scope", "insufficient_scope", "boundary", 403L, null));
        assertThat(rows.get(21)).containsExactlyEntriesOf(
                row("D25", "Mcp-Name header mismatch", "rpc -32020", "rpc -32020", "boundary", 400L, null));
        assertThat(rows.get(23)).containsExactlyEntriesOf(
                row("D27", "SSE stream closed by a revocation", "stream_closed", "stream_closed", "stream", 200L, null));
        assertThat(rows).extracting(row -> row.get("canonical_status"))
                .containsExactly(null, null, null, null, null, null, null, null, null, null, null, 403L, 403L, 403L, null,
                        null, null, null, null, null, null, null, null, null);
        assertNoToken(run.out());
    }

    private static Map<String, Object> row(String id, String name, String expected, String got, String at, long http, Long canonical) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("id", id);
        row.put("case", name);
        row.put("expected", expected);
        row.put("got", got);
        row.put("at", at);
        row.put("http", http);
        row.put("canonical_status", canonical);
        row.put("pass", true);
        return row;
    }

    /** Runs the demo against a server built differently from the one {@code caracal demo} builds. */
    private static CliRun runAgainst(UnaryOperator<DocumentsMcpServer.Builder> server, boolean json) throws InterruptedException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Demo.run(new Demo.Settings(DevSts.DEFAULT_ZONE, DocumentsMcpServer.DEFAULT_AUDIENCE, 0, 0, json, null, false, server),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    @Test
    @DisplayName("a row that does not get its expected outcome is FAIL, with the received body (no token) on the next line; exit 3")
    void failingRowIsReported() throws InterruptedException {
        CliRun run = runAgainst(server -> server.requireAgent(false), false);

        assertThat(run.exitCode()).isEqualTo(3);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(28);
        assertThat(lines.subList(1, 11)).containsExactlyElementsOf(PASSING_TABLE.subList(0, 10));
        assertThat(lines.get(11)).isEqualTo(
                " D10 non-agent token with requireAgent      agent_required       ok                   tool      200   FAIL");
        assertThat(lines.get(12)).startsWith("     received: {").contains("\"isError\":false", "Result for: quarterly report");
        assertThat(lines.subList(13, 27)).containsExactlyElementsOf(PASSING_TABLE.subList(11, 25));
        assertThat(lines.get(27)).isEqualTo("23/24 passed");
        assertNoToken(run.out());
    }

    @Test
    @DisplayName("a boundary rejection where a tool result was expected shows the rejection's JSON body")
    @SuppressWarnings("unchecked")
    void failingRowInJson() throws InterruptedException {
        CliRun run = runAgainst(server -> server.requiredScopes("tool:call", "documents:read"), true);

        assertThat(run.exitCode()).isEqualTo(3);
        Map<String, Object> report = Json.readObjectLastWins(run.out()).orElseThrow();
        List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("rows");
        Map<String, Object> d1 = rows.get(0);
        assertThat(d1).containsEntry("got", "insufficient_scope").containsEntry("at", "boundary").containsEntry("http", 403L)
                .containsEntry("pass", false);
        assertThat(Json.readObjectLastWins((String) d1.get("received")).orElseThrow())
                .containsEntry("error", "insufficient_scope")
                .containsEntry("error_description", "Mandate lacks scope: documents:read");
        assertThat(rows.get(1)).containsEntry("pass", true).doesNotContainKey("received");
        assertThat(report.get("passed")).isEqualTo(24L - (Long) report.get("failed"));
        assertNoToken(run.out());
    }

    @ParameterizedTest(name = "{0} {1}: exit 2")
    @CsvSource({
        "--output, xml, '--output must be table or json'",
        "--format, xml, '--output must be table or json'",
        "--sts-port, 70000, '--sts-port must be between 0 and 65535'",
        "--mcp-port, -1, '--mcp-port must be between 0 and 65535'",
        "--zone, '', '--zone must be 1 to 128 characters'",
        "--redis, not a url, '--redis is not a Redis URL'"})
    void badFlagsAreUsageErrors(String flag, String value, String message) {
        CliRun run = CliRun.run("demo", flag, value);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("caracal: " + message).contains("--help");
        assertThat(run.out()).isEmpty();
    }

    @Test
    @DisplayName("--help lists every flag of §3.1, and the root help lists demo")
    void help() {
        CliRun run = CliRun.run("demo", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--zone", "--audience", "--sts-port", "--mcp-port", "--output", "--format", "--redis",
                "--keep-running", "caracal.sessions.revoke", "caracal.delegations.invalidate");
        assertThat(CliRun.run("--help").out()).contains("demo");
    }
}
