package ai.caracal.bench.report;

import ai.caracal.mint.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the rows of a JMH {@code -rf json} result file that the report needs, with the dev tools' JSON
 * reader ({@link Json}).
 */
final class JmhResults {

    private JmhResults() {
    }

    static List<BenchmarkResult> read(Path file) throws IOException {
        Object document;
        try {
            document = Json.readLastWins(Files.readString(file));
        } catch (Json.SyntaxException e) {
            throw new IOException("not a JMH JSON result file: " + e.getMessage(), e);
        }
        if (!(document instanceof List<?> rows)) {
            throw new IOException("not a JMH JSON result file: expected an array of results");
        }
        List<BenchmarkResult> results = new ArrayList<>();
        for (Object row : rows) {
            if (row instanceof Map<?, ?> result) {
                results.add(row(result));
            }
        }
        return results;
    }

    private static BenchmarkResult row(Map<?, ?> result) {
        String benchmark = String.valueOf(result.get("benchmark"));
        Map<String, String> params = new LinkedHashMap<>();
        if (result.get("params") instanceof Map<?, ?> given) {
            given.forEach((name, value) -> params.put(String.valueOf(name), String.valueOf(value)));
        }
        Map<?, ?> primary = result.get("primaryMetric") instanceof Map<?, ?> metric ? metric : Map.of();
        double bytes = -1;
        if (result.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
            for (Map.Entry<?, ?> metric : secondary.entrySet()) {
                if (String.valueOf(metric.getKey()).endsWith("gc.alloc.rate.norm") && metric.getValue() instanceof Map<?, ?> norm) {
                    bytes = number(norm.get("score"));
                }
            }
        }
        return new BenchmarkResult(label(benchmark, params), benchmark, number(primary.get("score")),
                number(primary.get("scoreError")), bytes);
    }

    /** @return the number, or NaN for anything else (JMH writes {@code "NaN"} as a string) */
    private static double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }

    static String label(String benchmark, Map<String, String> params) {
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        String provider = params.getOrDefault("provider", "");
        if (provider.equals("tables")) {
            provider = "tables, default";
        }
        switch (method) {
            case "firstSeen":
                return "Caracal first-seen (" + provider + ")";
            case "repeat":
                return "Caracal repeat (" + provider + ")";
            case "verify":
                return "raw P-256 verify (" + provider + ")";
            case "springNimbusJwtDecoder":
                return "Spring Security NimbusJwtDecoder (JDK)";
            case "jose4jJwtConsumer":
                return "jose4j JwtConsumer (JDK)";
            default:
                return method + (provider.isEmpty() ? "" : " (" + provider + ")");
        }
    }
}
