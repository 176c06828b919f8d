package ai.caracal.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.bench.load.ResourceSamples.Sample;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The soak's flatness rules, on hand-made samples (six after the warm-up, so thirds of two). */
class ResourceSamplesTest {

    @ParameterizedTest(name = "heap {0} -> flat {1}")
    @CsvSource(delimiter = '|', value = {
        "100 100 100 100 100 100 | true",
        "100 101 100 102 101 103 | true",
        "100 100 110 115 119 120 | true",   // last third median 119.5 <= 100 + 20 %
        "100 100 110 115 121 125 | false",  // 123 > 120
        "40 40 45 50 56 57       | false",  // 56.5 > 40 + 16 MB
        "40 40 45 50 55 56       | true"})
    void heapAfterGcIsFlatWhenTheLastThirdStaysWithinSlack(String heapMb, boolean flat) {
        ResourceSamples samples = new ResourceSamples(0, 0, 0);
        samples.add(new Sample(0, 500, 40, false));   // warm-up samples are ignored
        String[] values = heapMb.split(" +");
        for (int i = 0; i < values.length; i++) {
            samples.add(new Sample(i + 1, Double.parseDouble(values[i]), 40, true));
        }

        assertThat(samples.heapFlat()).isEqualTo(flat);
    }

    @ParameterizedTest(name = "threads {0}, {1} requests in flight -> flat {2}")
    @CsvSource(delimiter = '|', value = {
        "40 40 40 40 40 40 | 0 | true",
        "40 41 42 41 40 42 | 0 | true",
        "40 40 40 43 40 40 | 0 | false",
        "40 41 42 43 44 45 | 0 | false",
        "40 41 43 44 46 46 | 4 | true",
        "40 41 43 44 46 47 | 4 | false"})
    void threadCountIsFlatWhenNoSampleExceedsTheFirstAfterWarmUpByMoreThanTwoPlusTheRequestsInFlight(
            String threads, int requestsInFlight, boolean flat) {
        ResourceSamples samples = new ResourceSamples(0, 0, requestsInFlight);
        samples.add(new Sample(0, 20, 30, false));
        String[] values = threads.split(" ");
        for (int i = 0; i < values.length; i++) {
            samples.add(new Sample(i + 1, 20, Integer.parseInt(values[i]), true));
        }

        assertThat(samples.threadsFlat()).isEqualTo(flat);
    }
}
