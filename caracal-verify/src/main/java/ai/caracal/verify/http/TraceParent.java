package ai.caracal.verify.http;

import java.util.List;

/**
 * The trace ID of a request for its audit event: the current OpenTelemetry span's when the API is present
 * and a span is current (the server's instrumentation extracted {@code traceparent}), otherwise the
 * incoming {@code traceparent} header's, when it is one valid version-{@code 00} header (interop.md §1:
 * exactly four fields, lower-case hex, trace and span IDs not all zero). Anything else gives {@code null}.
 */
final class TraceParent {

    private TraceParent() {
    }

    static String traceId(BoundaryRequest request) {
        if (OtelContext.PRESENT) {
            String current = OtelContext.traceId();
            if (current != null) {
                return current;
            }
        }
        List<String> headers = request.headers("traceparent");
        return headers.size() == 1 ? parse(headers.get(0)) : null;
    }

    /** @return the trace ID of a valid version-00 {@code traceparent}, else {@code null} */
    static String parse(String header) {
        String value = header.strip();
        if (value.length() != 55 || !value.startsWith("00-") || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return null;
        }
        String traceId = value.substring(3, 35);
        String spanId = value.substring(36, 52);
        if (!hex(traceId) || !hex(spanId) || !hex(value.substring(53)) || zero(traceId) || zero(spanId)) {
            return null;
        }
        return traceId;
    }

    private static boolean hex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zero(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
