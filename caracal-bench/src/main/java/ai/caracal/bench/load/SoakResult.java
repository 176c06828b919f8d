package ai.caracal.bench.load;

import ai.caracal.bench.load.Probe.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link Soak} measured, its verdict and a readable report. The run passes when every one of
 * {@link #failures()} is absent: no unexpected answer (5xx and transport errors included), every kind of
 * request sent, no failed background task (revocation, rotation, sample), at least one revocation and one key rotation, every
 * revocation in Redis within the settings' bound after its {@code XADD}, a mandate signed with a rotated key accepted
 * (when the run lasts 5 s beyond the first rotation and the 30 s refetch cooldown), heap after GC flat and thread count
 * flat ({@link ResourceSamples}).
 */
public final class SoakResult {

    private final SoakSettings settings;
    private final Outcomes outcomes;
    private final ResourceSamples resources;
    private final int revocations;
    private final double latestAcceptanceMillis;
    private final double slowestApplyMillis;
    private final int rotations;
    private final long rotatedKeyAccepted;
    private final long rotatedKeyTolerated;
    private final double loadSeconds;
    private final int driverErrors;

    SoakResult(SoakSettings settings, Outcomes outcomes, ResourceSamples resources, RevocationDriver sessions,
               KeyRotations keys, TrafficMix mix, double loadSeconds, int driverErrors) {
        this.settings = settings;
        this.outcomes = outcomes;
        this.resources = resources;
        this.revocations = sessions.published();
        this.latestAcceptanceMillis = sessions.latestAcceptanceAfterXaddMillis();
        this.slowestApplyMillis = sessions.slowestApplyMillis(System.nanoTime());
        this.rotations = keys.count();
        this.rotatedKeyAccepted = mix.rotatedKeyAccepted();
        this.rotatedKeyTolerated = mix.rotatedKeyTolerated();
        this.loadSeconds = loadSeconds;
        this.driverErrors = driverErrors;
    }

    /** @return whether the soak passed */
    public boolean passed() {
        return failures().isEmpty();
    }

    /** @return one sentence per failed rule; empty when the soak passed */
    public List<String> failures() {
        List<String> failures = new ArrayList<>();
        long unexpected = outcomes.total(Outcome.UNEXPECTED);
        if (unexpected > 0) {
            failures.add(unexpected + " unexpected answers (" + outcomes.serverErrors() + " 5xx, "
                    + outcomes.transportErrors() + " transport errors)");
        }
        for (ProbeKind kind : ProbeKind.values()) {
            if (outcomes.sent(kind) == 0) {
                failures.add("no request of kind '" + kind.label() + "' was sent");
            }
        }
        if (driverErrors > 0) {
            failures.add(driverErrors + " background tasks (revocations, rotations, samples) failed");
        }
        if (revocations == 0) {
            failures.add("no revocation was published");
        }
        if (slowestApplyMillis > settings.revocationBound().toMillis()) {
            failures.add(String.format(Locale.ROOT, "a revocation took %.0f ms to reach Redis after its XADD (bound %d s)",
                    slowestApplyMillis, settings.revocationBound().toSeconds()));
        }
        if (rotations == 0) {
            failures.add("no key was rotated");
        }
        // The key set is first fetched before the run starts; the first rotated key can be fetched at
        // max(first rotation, refetch cooldown) into the run.
        Duration firstRefetch = settings.rotationEvery().compareTo(KeyRotations.REFETCH_COOLDOWN) > 0
                ? settings.rotationEvery() : KeyRotations.REFETCH_COOLDOWN;
        boolean refetchDue = settings.duration().compareTo(firstRefetch.plusSeconds(5)) > 0;
        if (refetchDue && rotatedKeyAccepted == 0) {
            failures.add("no mandate signed with a rotated key was accepted");
        }
        if (!resources.heapFlat()) {
            failures.add(String.format(Locale.ROOT, "heap after GC grew: last third median %.1f MB > limit %.1f MB",
                    resources.heapLastThirdMb(), resources.heapLimitMb()));
        }
        if (!resources.threadsFlat()) {
            failures.add("thread count grew: max " + resources.threadsMax() + " > limit " + resources.threadsLimit()
                    + " (after warm-up " + resources.threadsBaseline() + ")");
        }
        return failures;
    }

    /** @return requests sent */
    public long requests() {
        return outcomes.sent();
    }

    /** @return answers that broke the expectations */
    public long unexpected() {
        return outcomes.total(Outcome.UNEXPECTED);
    }

    /** @return the multi-line report */
    public String report() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Caracal soak: servlet example (Jetty 12, CaracalFilter) + Redis revocations%n"));
        out.append(String.format(Locale.ROOT, "  %d s (warm-up %d s), %d load threads, target %d req/s, achieved %.0f req/s, %d requests%n",
                settings.duration().toSeconds(), settings.warmUp().toSeconds(), settings.loadThreads(),
                settings.requestsPerSecond(), outcomes.sent() / loadSeconds, outcomes.sent()));
        out.append(String.format(Locale.ROOT, "%n  %-30s %9s %9s %9s %10s%n", "request", "sent", "expected", "tolerated", "unexpected"));
        for (ProbeKind kind : ProbeKind.values()) {
            out.append(String.format(Locale.ROOT, "  %-30s %9d %9d %9d %10d%n", kind.label(), outcomes.sent(kind),
                    outcomes.count(kind, Outcome.EXPECTED), outcomes.count(kind, Outcome.TOLERATED), outcomes.count(kind, Outcome.UNEXPECTED)));
        }
        out.append(String.format(Locale.ROOT, "  %-30s %9d %9d %9d %10d%n", "total", outcomes.sent(), outcomes.total(Outcome.EXPECTED),
                outcomes.total(Outcome.TOLERATED), outcomes.total(Outcome.UNEXPECTED)));
        out.append(String.format(Locale.ROOT, "  5xx: %d, transport errors: %d%n", outcomes.serverErrors(), outcomes.transportErrors()));
        out.append(String.format(Locale.ROOT, "%n  revocations XADDed: %d, one per %d ms, each in Redis at most %s after its XADD"
                        + " (bound %d s); a revoked session accepted before its revocation was in Redis is tolerated,"
                        + " latest such acceptance %s after the XADD%n",
                revocations, settings.revocationEvery().toMillis(),
                slowestApplyMillis < 0 ? "-" : String.format(Locale.ROOT, "%.0f ms", slowestApplyMillis),
                settings.revocationBound().toSeconds(),
                latestAcceptanceMillis < 0 ? "none" : String.format(Locale.ROOT, "%.0f ms", latestAcceptanceMillis)));
        out.append(String.format(Locale.ROOT, "  key rotations: %d, one per %d s; valid fresh mandates signed with a rotated key: %d accepted,"
                        + " %d rejected before the verifier could fetch the key (tolerated)%n",
                rotations, settings.rotationEvery().toSeconds(), rotatedKeyAccepted, rotatedKeyTolerated));
        out.append(String.format(Locale.ROOT, "%n  %8s %12s %8s%n", "t (s)", "heap MB", "threads"));
        for (ResourceSamples.Sample sample : resources.all()) {
            out.append(String.format(Locale.ROOT, "  %8.0f %12.1f %8d%s%n", sample.seconds(), sample.heapUsedMb(), sample.threads(),
                    sample.afterWarmUp() ? "" : "  (warm-up)"));
        }
        out.append(String.format(Locale.ROOT, "  heap after GC: first third median %.1f MB, last third median %.1f MB, limit %.1f MB: %s%n",
                resources.heapFirstThirdMb(), resources.heapLastThirdMb(), resources.heapLimitMb(), resources.heapFlat() ? "flat" : "GREW"));
        out.append(String.format(Locale.ROOT, "  threads: after warm-up %d, max %d, last %d, limit %d: %s%n", resources.threadsBaseline(),
                resources.threadsMax(), resources.threadsLast(), resources.threadsLimit(),
                resources.threadsFlat() ? "flat" : "GREW"));
        List<String> examples = outcomes.unexpectedExamples();
        if (!examples.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%n  first unexpected answers:%n"));
            examples.forEach(line -> out.append("    ").append(line).append(System.lineSeparator()));
        }
        List<String> failures = failures();
        out.append(System.lineSeparator()).append(failures.isEmpty() ? "VERDICT: PASS" : "VERDICT: FAIL").append(System.lineSeparator());
        failures.forEach(failure -> out.append("  - ").append(failure).append(System.lineSeparator()));
        return out.toString();
    }
}
