package ai.caracal.bench.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the rows of a JMH {@code -rf json} result file that the report needs. */
final class JmhResults {

    private JmhResults() {
    }

    static List<BenchmarkResult> read(Path file) throws IOException {
        List<BenchmarkResult> results = new ArrayList<>();
        try (JsonParser json = new JsonFactory().createParser(Files.readAllBytes(file))) {
            expect(json.nextToken(), JsonToken.START_ARRAY);
            while (json.nextToken() == JsonToken.START_OBJECT) {
                results.add(row(json));
            }
        }
        return results;
    }

    private static BenchmarkResult row(JsonParser json) throws IOException {
        String benchmark = null;
        Map<String, String> params = new LinkedHashMap<>();
        double score = Double.NaN;
        double error = Double.NaN;
        double bytes = -1;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "benchmark":
                    benchmark = json.getText();
                    break;
                case "params":
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String name = json.currentName();
                        json.nextToken();
                        params.put(name, json.getText());
                    }
                    break;
                case "primaryMetric":
                    double[] primary = metric(json);
                    score = primary[0];
                    error = primary[1];
                    break;
                case "secondaryMetrics":
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String name = json.currentName();
                        json.nextToken();
                        double[] secondary = metric(json);
                        if (name.endsWith("gc.alloc.rate.norm")) {
                            bytes = secondary[0];
                        }
                    }
                    break;
                default:
                    json.skipChildren();
            }
        }
        return new BenchmarkResult(label(benchmark, params), benchmark, score, error, bytes);
    }

    /** @return {score, scoreError} of a metric object; other members skipped */
    private static double[] metric(JsonParser json) throws IOException {
        double[] values = {Double.NaN, Double.NaN};
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            if (name.equals("score") && value.isNumeric()) {
                values[0] = json.getDoubleValue();
            } else if (name.equals("scoreError") && value.isNumeric()) {
                values[1] = json.getDoubleValue();
            } else {
                json.skipChildren();
            }
        }
        return values;
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

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("not a JMH JSON result file: expected " + expected + " but found " + actual);
        }
    }
}
