package ai.caracal.testkit.parity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One HTTP response as the parity rows see it: status, headers by case-insensitive name, body text. */
final class ParityResponse {

    private final int status;
    private final Map<String, List<String>> headers;
    private final String body;

    ParityResponse(int status, Map<String, List<String>> headers, String body) {
        this.status = status;
        this.headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (name != null) {
                this.headers.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values);
            }
        });
        this.body = body;
    }

    int status() {
        return status;
    }

    /** @return every value of the header, in order; empty when absent */
    List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    String body() {
        return body;
    }

    @Override
    public String toString() {
        return status + " " + headers + " " + body;
    }
}
