package ai.caracal.testkit.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RealTracingTest {

    @Test
    void observationsBecomeExportedSpansWithTheirAttributes() {
        List<String> seen = new ArrayList<>();
        try (RealTracing tracing = new RealTracing().with(new ObservationHandler<Observation.Context>() {
            @Override
            public void onStop(Observation.Context context) {
                seen.add(context.getName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        })) {
            Observation.createNotStarted("sample", tracing.registry())
                    .contextualName("sample span").lowCardinalityKeyValue("caracal.outcome", "ok")
                    .observe(() -> { });

            assertThat(tracing.spans("sample span")).hasSize(1);
            assertThat(RealTracing.attribute(tracing.span("sample span").orElseThrow(), "caracal.outcome"))
                    .isEqualTo("ok");
            assertThat(tracing.span("absent")).isEmpty();
            assertThat(seen).containsExactly("sample");

            tracing.otel().spanBuilder("by hand").startSpan().end();
            assertThat(tracing.span("by hand")).isPresent();
            tracing.exporter().reset();
            assertThat(tracing.spans("sample span")).isEmpty();
        }
    }
}
