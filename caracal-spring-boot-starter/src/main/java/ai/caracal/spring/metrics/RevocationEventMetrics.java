package ai.caracal.spring.metrics;

import ai.caracal.revocation.redis.StreamEventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records the Redis stream consumers' outcomes in Micrometer (verification.md §11):
 * {@code caracal.revocation.events}, a counter with tags {@code stream} (the stream name) and
 * {@code result} = {@code applied}, {@code dead_lettered} or {@code retry}.
 *
 * <p>It is the consumers' half of the binder, kept apart from {@link CaracalMetrics} because
 * {@code caracal-revocation-redis} is optional: a class implementing its {@link StreamEventListener}
 * cannot even be loaded without it. The Spring Boot starter registers it by itself when both that module
 * and a {@link MeterRegistry} are present, and sets it on the consumers it configures. Without Spring:
 *
 * <pre>{@code
 * RedisRevocationConsumer.builder()...listener(new RevocationEventMetrics(registry)).build();
 * }</pre>
 *
 * <p>Counters are created on first use. Thread-safe. Called once per stream entry, off the verification path.
 */
public final class RevocationEventMetrics implements StreamEventListener {

    /** Counter of stream entries handled by the consumers. */
    public static final String REVOCATION_EVENTS = "caracal.revocation.events";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /**
     * @param registry where the counter goes; never {@code null}
     */
    public RevocationEventMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void entryHandled(String stream, Result result) {
        String tag = result.name().toLowerCase(Locale.ROOT);
        counters.computeIfAbsent(stream + ' ' + tag, key -> Counter.builder(REVOCATION_EVENTS)
                .description("Revocation stream entries handled by Caracal's consumers")
                .tag("stream", stream)
                .tag("result", tag)
                .register(registry)).increment();
    }
}
