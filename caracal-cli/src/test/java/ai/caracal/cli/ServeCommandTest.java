package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * devtools.md §3.7 and §3: what {@code caracal serve} rejects before it serves (exit 2, one line and a
 * pointer to --help), and a port it cannot bind (exit 1). Running servers: {@link ServeProcessTest}.
 */
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class ServeCommandTest {

    @Test
    @DisplayName("--help lists every flag of §3.7 and the endpoints")
    void help() {
        CliRun run = CliRun.run("serve", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--host", "--port", "--issuer", "--zone", "--audience", "--scope",
                "--[no-]require-agent", "--redis", "--consumer", "--consumer-group", "--stream-hmac-key", "--resource-url",
                "--no-www-authenticate", "--tool-checks", "in-tool", "documents:read", "Origin",
                "/.well-known/oauth-protected-resource/mcp", "/healthz");
        assertThat(CliRun.run("--help").out()).contains("serve");
    }

    @Test
    @DisplayName("no --issuer and no CARACAL_STS_URL: exit 2 naming both")
    void issuerRequired() {
        CliRun run = CliRun.run("serve", "--port", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("caracal: an issuer is required: pass --issuer or set CARACAL_STS_URL\n")
                .contains("--help");
    }

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                Arguments.of("a port out of range", new String[] {"--port", "70000"}, "port must be between 0 and 65535"),
                Arguments.of("an issuer that is not a URL", new String[] {"--issuer", "not a url"}, "issuer"),
                Arguments.of("a resource URL that is not http(s)", new String[] {"--resource-url", "resource://documents"},
                        "resource URL must be an absolute http(s) URL"),
                Arguments.of("a Redis URL that is not one", new String[] {"--redis", "not a url"}, "--redis is not a Redis URL"),
                Arguments.of("a stream key without Redis", new String[] {"--stream-hmac-key", "07".repeat(32)},
                        "--stream-hmac-key needs --redis"),
                Arguments.of("a stream key that is not hex", new String[] {"--redis", "redis://127.0.0.1:1", "--stream-hmac-key", "xyz"},
                        "--stream-hmac-key (or STREAMS_HMAC_KEY)"),
                Arguments.of("a stream key under 32 bytes", new String[] {"--redis", "redis://127.0.0.1:1", "--stream-hmac-key", "07".repeat(16)},
                        "at least 32"),
                Arguments.of("a blank consumer name", new String[] {"--consumer", " "}, "--consumer must not be blank"),
                Arguments.of("a consumer group without Redis", new String[] {"--consumer-group", "fleet"},
                        "--consumer-group needs --redis"),
                Arguments.of("a blank consumer group", new String[] {"--redis", "redis://127.0.0.1:1", "--consumer-group", " "},
                        "--consumer-group must not be blank"),
                Arguments.of("a second stream key that is not hex", new String[] {"--redis", "redis://127.0.0.1:1",
                        "--stream-hmac-key", "07".repeat(32), "--stream-hmac-key", "xyz"}, "--stream-hmac-key (or STREAMS_HMAC_KEY)"),
                Arguments.of("an unknown --tool-checks", new String[] {"--tool-checks", "tool"},
                        "--tool-checks must be boundary or in-tool, not 'tool'"),
                Arguments.of("an unknown flag", new String[] {"--no-such-flag"}, "Unknown option"));
    }

    @ParameterizedTest(name = "{0}: exit 2")
    @MethodSource("badConfigurations")
    void badConfigurationIsAUsageError(String name, String[] flags, String message, TestIssuer issuer) {
        Stream<String> port = flags[0].equals("--port") ? Stream.empty() : Stream.of("--port", "0");
        String[] args = Stream.of(Stream.of("serve"), port, Stream.of(flags)).flatMap(s -> s).toArray(String[]::new);

        CliRun run = CliRun.run(Map.of("CARACAL_STS_URL", issuer.url()), "", args);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("caracal: ").contains(message).doesNotContain("\tat ");
        assertThat(run.out()).doesNotContain("listening on");
    }

    @Test
    @DisplayName("STREAMS_HMAC_KEY from the environment is checked like the flag, when Redis is configured")
    void streamKeyFromEnvironment(TestIssuer issuer) {
        CliRun run = CliRun.run(Map.of("CARACAL_STS_URL", issuer.url(), "REDIS_URL", "redis://127.0.0.1:1",
                "STREAMS_HMAC_KEY", "not-hex"), "", "serve", "--port", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("caracal: --stream-hmac-key (or STREAMS_HMAC_KEY)");
    }

    @Test
    @DisplayName("STREAMS_HMAC_KEY is a comma-separated list: an empty element is a usage error, not a dropped key")
    void streamKeyListFromEnvironment(TestIssuer issuer) {
        CliRun run = CliRun.run(Map.of("CARACAL_STS_URL", issuer.url(), "REDIS_URL", "redis://127.0.0.1:1",
                "STREAMS_HMAC_KEY", "07".repeat(32) + ",," + "42".repeat(32)), "", "serve", "--port", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("caracal: --stream-hmac-key (or STREAMS_HMAC_KEY): the key list has an empty element");
    }

    @Test
    @DisplayName("a port that cannot be bound is a runtime failure: exit 1, one line naming the address")
    void portInUse(TestIssuer issuer) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.run(Map.of("CARACAL_STS_URL", issuer.url(), "CARACAL_ZONE_ID", "zone_dev"), "",
                    "serve", "--port", String.valueOf(taken.getLocalPort()));

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).startsWith("caracal: cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(run.out()).isEmpty();
        }
    }

    @ParameterizedTest(name = "serve {0} -> requireAgent {1}")
    @CsvSource({"'', true", "--require-agent, true", "--no-require-agent, false"})
    @DisplayName("--require-agent is on by default; --no-require-agent switches it off")
    void requireAgentFlag(String flag, boolean expected) {
        String[] args = flag.isEmpty() ? new String[] {"serve"} : new String[] {"serve", flag};
        CommandLine.ParseResult parsed = new CommandLine(new Caracal(Map.of(), System.in)).parseArgs(args);

        assertThat(parsed.subcommand().commandSpec().findOption("--require-agent").<Boolean>getValue()).isEqualTo(expected);
    }

    @Test
    @DisplayName("the default consumer name is <hostname>-<pid>")
    void defaultConsumerName() {
        assertThat(ai.caracal.revocation.redis.RedisRevocations.defaultConsumerName()).endsWith("-" + ProcessHandle.current().pid());
    }
}
