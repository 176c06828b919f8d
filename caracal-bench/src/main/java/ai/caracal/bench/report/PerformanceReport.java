package ai.caracal.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns a JMH JSON result file into the results section of {@code docs/PERFORMANCE.md} (between the
 * {@code <!-- results:start -->} and {@code <!-- results:end -->} markers) and a PNG bar chart.
 *
 * <p>Usage: {@code java -cp caracal-bench.jar ai.caracal.bench.report.PerformanceReport <jmh.json>
 * <PERFORMANCE.md> <chart.png>}
 */
public final class PerformanceReport {

    static final String START = "<!-- results:start -->";
    static final String END = "<!-- results:end -->";

    private PerformanceReport() {
    }

    /**
     * @param args the JMH JSON file, the Markdown file to update, the PNG to write
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: PerformanceReport <jmh.json> <PERFORMANCE.md> <chart.png>");
            System.exit(2);
        }
        List<BenchmarkResult> rows = JmhResults.read(Path.of(args[0])).stream()
                .sorted(Comparator.comparingDouble(BenchmarkResult::microseconds))
                .collect(Collectors.toList());
        Path markdown = Path.of(args[1]);
        Path chart = Path.of(args[2]);
        BarChart.write(rows, "ES256 mandate verification on the JVM (µs/op, JMH)", chart);
        String document = Files.readString(markdown, StandardCharsets.UTF_8);
        Files.writeString(markdown, replaceSection(document, table(rows, markdown.getParent().relativize(chart))),
                StandardCharsets.UTF_8);
    }

    static String table(List<BenchmarkResult> rows, Path chart) {
        StringBuilder out = new StringBuilder();
        out.append("| Verifier | µs/op | ± (99.9 %) | bytes allocated/op |\n|---|---:|---:|---:|\n");
        for (BenchmarkResult row : rows) {
            out.append("| ").append(row.name())
                    .append(" | ").append(BarChart.format(row.microseconds()))
                    .append(" | ").append(BarChart.format(row.error()))
                    .append(" | ").append(row.bytesPerOp() < 0 ? "–" : String.format(Locale.ROOT, "%,.0f", row.bytesPerOp()))
                    .append(" |\n");
        }
        out.append("\n![ES256 verification time per provider and library](").append(chart.toString().replace('\\', '/'))
                .append(")\n");
        return out.toString();
    }

    static String replaceSection(String document, String section) {
        int start = document.indexOf(START);
        int end = document.indexOf(END);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("the Markdown file has no " + START + " … " + END + " section");
        }
        return document.substring(0, start + START.length()) + "\n" + section + document.substring(end);
    }
}
