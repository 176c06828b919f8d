package ai.caracal.bench.load;

import ai.caracal.bench.load.Probe.Outcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the soak's answers per {@link ProbeKind} and keeps the first {@value #KEPT} unexpected ones
 * (kind, path, status, error code and time; never the mandate). Thread-safe.
 */
final class Outcomes {

    private static final int KEPT = 20;

    private final Map<ProbeKind, LongAdder[]> counts = new EnumMap<>(ProbeKind.class);
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder transportErrors = new LongAdder();
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();
    private final long startNanos;

    Outcomes(long startNanos) {
        this.startNanos = startNanos;
        for (ProbeKind kind : ProbeKind.values()) {
            LongAdder[] adders = new LongAdder[Outcome.values().length];
            for (int i = 0; i < adders.length; i++) {
                adders[i] = new LongAdder();
            }
            counts.put(kind, adders);
        }
    }

    void record(Probe probe, Probe.Answer answer, Outcome outcome) {
        counts.get(probe.kind())[outcome.ordinal()].increment();
        if (answer.status() >= 500) {
            serverErrors.increment();
        }
        if (outcome == Outcome.UNEXPECTED) {
            keep(String.format("t=%.1fs %s %s -> %d %s", (answer.sentNanos() - startNanos) / 1e9, probe.kind().label(),
                    probe.path(), answer.status(), answer.error() == null ? "" : answer.error()));
        }
    }

    void transportError(Probe probe, long sentNanos, Exception error) {
        counts.get(probe.kind())[Outcome.UNEXPECTED.ordinal()].increment();
        transportErrors.increment();
        keep(String.format("t=%.1fs %s %s -> %s", (sentNanos - startNanos) / 1e9, probe.kind().label(), probe.path(),
                error.getClass().getSimpleName()));
    }

    long count(ProbeKind kind, Outcome outcome) {
        return counts.get(kind)[outcome.ordinal()].sum();
    }

    long sent(ProbeKind kind) {
        long sum = 0;
        for (Outcome outcome : Outcome.values()) {
            sum += count(kind, outcome);
        }
        return sum;
    }

    long total(Outcome outcome) {
        long sum = 0;
        for (ProbeKind kind : ProbeKind.values()) {
            sum += count(kind, outcome);
        }
        return sum;
    }

    long sent() {
        long sum = 0;
        for (ProbeKind kind : ProbeKind.values()) {
            sum += sent(kind);
        }
        return sum;
    }

    long serverErrors() {
        return serverErrors.sum();
    }

    long transportErrors() {
        return transportErrors.sum();
    }

    List<String> unexpectedExamples() {
        return new ArrayList<>(unexpected);
    }

    private void keep(String line) {
        if (kept.incrementAndGet() <= KEPT) {
            unexpected.add(line);
        }
    }
}
