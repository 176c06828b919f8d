package ai.caracal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.bench.report.PerformanceReport;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report generator turns JMH JSON into the Markdown section and a readable PNG. */
class PerformanceReportTest {

    private static final String JMH_JSON = "[{\"benchmark\":\"ai.caracal.bench.VerifyBenchmark.repeat\",\"params\":{\"provider\":\"bc\"},"
            + "\"primaryMetric\":{\"score\":0.9,\"scoreError\":0.05,\"scoreUnit\":\"us/op\"},"
            + "\"secondaryMetrics\":{\"·gc.alloc.rate.norm\":{\"score\":48.0,\"scoreError\":0.1}}},"
            + "{\"benchmark\":\"ai.caracal.bench.AlternativesBenchmark.springNimbusJwtDecoder\",\"params\":{},"
            + "\"primaryMetric\":{\"score\":950.5,\"scoreError\":20.0,\"scoreUnit\":\"us/op\"},\"secondaryMetrics\":{}}]";

    @Test
    void writesTheResultsSectionAndTheChart(@TempDir Path dir) throws Exception {
        Path json = Files.writeString(dir.resolve("jmh.json"), JMH_JSON);
        Path markdown = Files.writeString(dir.resolve("PERFORMANCE.md"),
                "# Performance\nintro\n<!-- results:start -->\nold\n<!-- results:end -->\noutro\n");
        Path png = dir.resolve("chart.png");

        PerformanceReport.main(new String[] {json.toString(), markdown.toString(), png.toString()});

        assertThat(Files.readString(markdown)).isEqualTo("# Performance\nintro\n<!-- results:start -->\n"
                + "| Verifier | µs/op | ± (99.9 %) | bytes allocated/op |\n|---|---:|---:|---:|\n"
                + "| Caracal repeat (bc) | 0.90 | 0.05 | 48 |\n"
                + "| Spring Security NimbusJwtDecoder (JDK) | 951 | 20.0 | – |\n"
                + "\n![ES256 verification time per provider and library](chart.png)\n"
                + "<!-- results:end -->\noutro\n");
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1100);
        assertThat(image.getHeight()).isGreaterThan(100);
    }

    @Test
    void aSecondJdksRunFillsItsOwnSection(@TempDir Path dir) throws Exception {
        Path json = Files.writeString(dir.resolve("jmh.json"), JMH_JSON);
        Path second = Files.writeString(dir.resolve("jmh-25.json"), JMH_JSON.replace("0.9,", "0.8,"));
        Path markdown = Files.writeString(dir.resolve("PERFORMANCE.md"),
                "<!-- results:start -->\n<!-- results:end -->\nJDK 25:\n<!-- results-second-jdk:start -->\nold\n"
                        + "<!-- results-second-jdk:end -->\n");

        PerformanceReport.main(new String[] {json.toString(), markdown.toString(), dir.resolve("chart.png").toString(),
            second.toString()});

        assertThat(Files.readString(markdown)).endsWith("JDK 25:\n<!-- results-second-jdk:start -->\n"
                + "| Verifier | µs/op | ± (99.9 %) | bytes allocated/op |\n|---|---:|---:|---:|\n"
                + "| Caracal repeat (bc) | 0.80 | 0.05 | 48 |\n"
                + "| Spring Security NimbusJwtDecoder (JDK) | 951 | 20.0 | – |\n"
                + "<!-- results-second-jdk:end -->\n");
    }
}
