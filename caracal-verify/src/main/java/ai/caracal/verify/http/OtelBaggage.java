package ai.caracal.verify.http;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Makes the request's baggage current in the OpenTelemetry context (interop.md §1): the {@code caracal.*}
 * entries derived from the verified claims first, then the incoming entries outside that namespace, within
 * {@link CaracalBaggage#MAX_MEMBERS} members and {@link CaracalBaggage#MAX_BYTES} bytes (members beyond are
 * dropped). Incoming {@code caracal.*} entries are dropped. Loaded only through {@link OtelContext}.
 */
final class OtelBaggage {

    private OtelBaggage() {
    }

    /** @return the current OpenTelemetry context, to enter later with {@link #enter(Map, Object)} */
    static Object capture() {
        return Context.current();
    }

    /**
     * @param caracal the {@code caracal.*} entries
     * @param parent  a context of {@link #capture()}, or {@code null} for the current one
     */
    static BoundaryScope enter(Map<String, String> caracal, Object parent) {
        Context base = parent == null ? Context.current() : (Context) parent;
        BaggageBuilder builder = Baggage.builder();
        Budget budget = new Budget();
        caracal.forEach((name, value) -> {
            if (budget.admits(name, value, "")) {
                builder.put(name, value);
            }
        });
        Baggage.fromContext(base).forEach((name, entry) -> {
            if (!CaracalBaggage.reserved(name) && budget.admits(name, entry.getValue(), metadata(entry))) {
                builder.put(name, entry.getValue(), entry.getMetadata());
            }
        });
        Scope scope = base.with(builder.build()).makeCurrent();
        return () -> {
            try {
                scope.close();
            } catch (RuntimeException e) {
                OtelContext.failed(e);
            }
        };
    }

    private static String metadata(BaggageEntry entry) {
        String value = entry.getMetadata().getValue();
        return value == null ? "" : value;
    }

    /** Counts members and their UTF-8 bytes ({@code name=value;metadata} plus the separating comma). */
    private static final class Budget {
        int members;
        int bytes;

        boolean admits(String name, String value, String metadata) {
            int size = utf8(name) + 1 + utf8(value) + (metadata.isEmpty() ? 0 : 1 + utf8(metadata))
                    + (members == 0 ? 0 : 1);
            if (members + 1 > CaracalBaggage.MAX_MEMBERS || bytes + size > CaracalBaggage.MAX_BYTES) {
                return false;
            }
            members++;
            bytes += size;
            return true;
        }

        private static int utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
    }
}
