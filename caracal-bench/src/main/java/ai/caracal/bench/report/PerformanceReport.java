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
 * <PERFORMANCE.md> <chart.png> [<jmh-second-jdk.json>]}: the optional second file (the same benchmarks on
 * another JDK) fills the section between {@code <!-- results-second-jdk:start -->} and
 * {@code <!-- results-second-jdk:end -->} with its table (no chart).
 */
public final class PerformanceReport {

    static final String START = "<!-- results:start -->";
    static final String END = "<!-- results:end -->";
    static final String SECOND_START = "<!-- results-second-jdk:start -->";
    static final String SECOND_END = "<!-- results-second-jdk:end -->";

    private PerformanceReport() {
    }

    /**
     * @param args the JMH JSON file, the Markdown file to update, the PNG to write
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: PerformanceReport <jmh.json> <PERFORMANCE.md> <chart.png> [<jmh-second-jdk.json>]");
            System.exit(2);
        }
        List<BenchmarkResult> rows = sorted(Path.of(args[0]));
        Path markdown = Path.of(args[1]);
        Path chart = Path.of(args[2]);
        BarChart.write(rows, "ES256 mandate verification on the JVM (µs/op, JMH)", chart);
        String document = Files.readString(markdown, StandardCharsets.UTF_8);
        document = replaceSection(document, START, END, table(rows, markdown.getParent().relativize(chart)));
        if (args.length == 4) {
            String second = table(sorted(Path.of(args[3])), null);
            document = replaceSection(document, SECOND_START, SECOND_END, second);
        }
        Files.writeString(markdown, document, StandardCharsets.UTF_8);
    }

    private static List<BenchmarkResult> sorted(Path json) throws IOException {
        return JmhResults.read(json).stream()
                .sorted(Comparator.comparingDouble(BenchmarkResult::microseconds))
                .collect(Collectors.toList());
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
        if (chart != null) {
            out.append("\n![ES256 verification time per provider and library](").append(chart.toString().replace('\\', '/'))
                    .append(")\n");
        }
        return out.toString();
    }

    static String replaceSection(String document, String startMarker, String endMarker, String section) {
        int start = document.indexOf(startMarker);
        int end = document.indexOf(endMarker);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("the Markdown file has no " + startMarker + " … " + endMarker + " section");
        }
        return document.substring(0, start + startMarker.length()) + "\n" + section + document.substring(end);
    }
}
