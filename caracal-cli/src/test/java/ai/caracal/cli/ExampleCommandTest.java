package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** devtools.md §3.8: caracal example runs a connector example from the environment. */
@CaracalTest(zone = "zone_dev", audience = "resource://examples")
class ExampleCommandTest {

    @ParameterizedTest(name = "caracal example {0} prints one listening line and protects the API")
    @ValueSource(strings = {"servlet", "jdkhttp", "jaxrs", "webflux", "spring-boot"})
    void examplesRunFromTheEnvironment(String name, TestIssuer issuer) throws Exception {
        issuer.clock().set(Instant.now());
        Map<String, String> env = Map.of("CARACAL_STS_URL", issuer.url(), "CARACAL_ZONE_ID", "zone_dev", "PORT", "0");
        try (BackgroundCli cli = new BackgroundCli(env, "example", name)) {
            String line = cli.nextLine(30);
            assertThat(line).matches("listening on http://127\\.0\\.0\\.1:\\d+");
            URI base = URI.create(line.substring("listening on ".length()));
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> open = http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> whoami = http.send(HttpRequest.newBuilder(base.resolve("/api/whoami"))
                    .header("Authorization", "Bearer " + issuer.mint().sub("user-7").sign()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(whoami.body()).startsWith("{\"sub\":\"user-7\"");
            assertThat(cli.stop()).isZero();
        }
    }

    @ParameterizedTest(name = "without CARACAL_STS_URL caracal example {0} refuses to start with a usage error naming the variable")
    @ValueSource(strings = {"servlet", "jdkhttp", "jaxrs", "webflux", "spring-boot"})
    void issuerIsRequired(String name) {
        CliRun run = CliRun.run(Map.of("PORT", "0"), "", "example", name);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("CARACAL_STS_URL");
    }

    @ParameterizedTest(name = "PORT={0}: a usage error in words, not a parser's exception text")
    @ValueSource(strings = {"abc", "70000", "-1", "80 80"})
    void malformedPortIsSaidInWords(String port) {
        CliRun run = CliRun.run(Map.of("CARACAL_STS_URL", "http://127.0.0.1:8787", "PORT", port), "", "example", "servlet");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("caracal: PORT must be a port number from 0 to 65535 (0 picks a free port), not '"
                + port + "'").doesNotContain("Exception", "For input string");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest(name = "REDIS_URL={0}: a usage error in words that never repeats the URL")
    @ValueSource(strings = {"nope", "http://user:secret@127.0.0.1:6379", "tcp://127.0.0.1:6379"})
    void malformedRedisUrlIsSaidInWords(String url) {
        CliRun run = CliRun.run(Map.of("CARACAL_STS_URL", "http://127.0.0.1:8787", "PORT", "0", "REDIS_URL", url), "",
                "example", "jdkhttp");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("caracal: REDIS_URL is not a Redis URL (expected redis://host:port")
                .doesNotContain(url, "Exception");
        assertThat(run.out()).isEmpty();
    }
}
