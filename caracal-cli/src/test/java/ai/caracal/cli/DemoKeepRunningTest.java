package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** devtools.md §3.1 {@code --keep-running}: after the table, both servers stay up until Ctrl-C (here, an interrupt). */
@Tag("integration")
class DemoKeepRunningTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern HEADER = Pattern.compile("Caracal demo  sts (\\S+)  mcp (\\S+)  mcp-boundary (\\S+)  zone zone_dev  store in-memory");

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("prints the table and the export lines, keeps the dev STS and the MCP server up, and stops on interrupt")
    void keepsRunningUntilStopped() throws Exception {
        URI sts;
        URI mcp;
        try (BackgroundCli demo = new BackgroundCli(Map.of(), "demo", "--keep-running")) {
            Matcher header = HEADER.matcher(demo.nextLine(120));
            assertThat(header.matches()).isTrue();
            sts = URI.create(header.group(1));
            mcp = URI.create(header.group(2));
            for (String row : DemoCommandTest.PASSING_TABLE) {
                assertThat(demo.nextLine(60)).isEqualTo(row);
            }
            assertThat(demo.nextLine(10)).isEqualTo("export CARACAL_STS_URL=" + sts);
            assertThat(demo.nextLine(10)).isEqualTo("export CARACAL_ZONE_ID=zone_dev");
            assertThat(demo.nextLine(10)).startsWith("# ").contains(mcp.toString(), "Ctrl-C");

            assertThat(get(sts.resolve("/health")).statusCode()).isEqualTo(200);
            assertThat(get(mcp.resolve("/healthz")).body()).isEqualTo("{\"status\":\"ok\"}");
            CliRun mint = CliRun.run(Map.of("CARACAL_STS_URL", sts.toString(), "CARACAL_ZONE_ID", "zone_dev"), "",
                    "mint", "--aud", "resource://documents", "--scope", "tool:call", "--agent-session", "new");
            assertThat(mint.exitCode()).isZero();
            CliRun verify = CliRun.run(Map.of("CARACAL_STS_URL", sts.toString(), "CARACAL_ZONE_ID", "zone_dev"), "",
                    "verify", "--aud", "resource://documents", "--require-agent", mint.out().strip());
            assertThat(verify.exitCode()).as(verify.out()).isZero();

            assertThat(demo.stop()).isZero();
        }
        assertThat(catchThrowable(() -> get(sts.resolve("/health")))).isInstanceOf(IOException.class);
        assertThat(catchThrowable(() -> get(mcp.resolve("/healthz")))).isInstanceOf(IOException.class);
    }
}
