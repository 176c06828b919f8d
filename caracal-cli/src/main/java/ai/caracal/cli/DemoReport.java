package ai.caracal.cli;

import ai.caracal.mint.Json;
import ai.caracal.verify.AuthErrors;
import ai.caracal.verify.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's output (devtools.md §4.3): the table, or the same content as one JSON object. Neither
 * holds a token: bodies are stripped of the row's token before they get here.
 */
final class DemoReport {

    /** One row as run. */
    record Result(DemoCase row, DemoObservation observed) {
        boolean passed() {
            return row.matches(observed);
        }
    }

    private final String sts;
    private final String mcp;
    private final String mcpBoundary;
    private final String zone;
    private final String store;
    private final List<Result> results;

    DemoReport(String sts, String mcp, String mcpBoundary, String zone, String store, List<Result> results) {
        this.sts = sts;
        this.mcp = mcp;
        this.mcpBoundary = mcpBoundary;
        this.zone = zone;
        this.store = store;
        this.results = List.copyOf(results);
    }

    long passed() {
        return results.stream().filter(Result::passed).count();
    }

    boolean allPassed() {
        return passed() == results.size();
    }

    /** @return the table, one line per row, a failed row's received body on the line after it */
    String table() {
        StringBuilder out = new StringBuilder();
        out.append("Caracal demo  sts ").append(sts).append("  mcp ").append(mcp).append("  mcp-boundary ").append(mcpBoundary)
                .append("  zone ").append(zone)
                .append("  store ").append(store).append('\n');
        out.append(line("#", "case", "expected", "got", "at", "http", "result"));
        for (Result result : results) {
            DemoObservation observed = result.observed();
            out.append(line(result.row().name(), result.row().title(), result.row().expected(), observed.got(), observed.at(),
                    observed.http().isPresent() ? Integer.toString(observed.http().getAsInt()) : "-",
                    result.passed() ? "PASS" : "FAIL"));
            if (!result.passed()) {
                out.append("     received: ").append(oneLine(observed.body())).append('\n');
            }
        }
        out.append(passed()).append('/').append(results.size()).append(" passed\n");
        return out.toString();
    }

    /**
     * @return {@code {"sts","mcp","mcp_boundary","zone","store","rows":[…],"passed","failed"}}: everything the
     *         table shows (its header line included), plus each tool row's canonical status; a failed row also carries
     *         {@code received}, the body it got
     */
    String json() {
        List<Object> rows = new ArrayList<>();
        for (Result result : results) {
            DemoObservation observed = result.observed();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", result.row().name());
            row.put("case", result.row().title());
            row.put("expected", result.row().expected());
            row.put("got", observed.got());
            row.put("at", observed.at());
            row.put("http", observed.http().isPresent() ? (Object) observed.http().getAsInt() : null);
            row.put("canonical_status", canonicalStatus(observed));
            row.put("pass", result.passed());
            if (!result.passed()) {
                row.put("received", observed.body());
            }
            rows.add(row);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("sts", sts);
        report.put("mcp", mcp);
        report.put("mcp_boundary", mcpBoundary);
        report.put("zone", zone);
        report.put("store", store);
        report.put("rows", rows);
        report.put("passed", passed());
        report.put("failed", results.size() - passed());
        return Json.write(report) + "\n";
    }

    /** A tool-level error's canonical status (the HTTP status stays 200); null for every other row. */
    private static Integer canonicalStatus(DemoObservation observed) {
        if (!DemoObservation.TOOL.equals(observed.at())) {
            return null;
        }
        return ErrorCode.fromWire(observed.got()).map(AuthErrors::httpStatus).orElse(null);
    }

    private static String line(String id, String title, String expected, String got, String at, String http, String result) {
        return " " + pad(id, 4) + pad(title, 39) + pad(expected, 21) + pad(got, 21) + pad(at, 10) + pad(http, 6) + result + "\n";
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }

    private static String oneLine(String body) {
        return body.isEmpty() ? "(empty)" : body.replace("\r", "\\r").replace("\n", "\\n");
    }
}
