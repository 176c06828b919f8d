package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * devtools.md D17 where a user meets it: the command in its own JVM at the highest verbosity there is
 * ({@code -v}, plus every JVM property that turns third-party logging up: slf4j-simple's, Spring Boot's,
 * {@code java.util.logging}'s, picocli's trace and the JDK HTTP client's), sent real requests carrying
 * a marker token and real mandates. Caracal's DEBUG lines appear; no token byte, no {@code Authorization}
 * header and no third-party DEBUG line does, on either stream.
 */
@Tag("integration")
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class LogSafetyProcessTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    /** Not a JWS: rejected before any key is looked at, and easy to find in a log. */
    private static final String MARKER = "caracal-log-marker-" + UUID.randomUUID();

    private static Path julConfig;
    private TestIssuer issuer;

    @BeforeAll
    static void julConfigAtAll() throws IOException {
        julConfig = Files.createTempFile("caracal-jul", ".properties");
        Files.writeString(julConfig, "handlers=java.util.logging.ConsoleHandler\n.level=ALL\n"
                + "java.util.logging.ConsoleHandler.level=ALL\n");
    }

    @AfterAll
    static void deleteJulConfig() throws IOException {
        Files.deleteIfExists(julConfig);
    }

    @BeforeEach
    void wallClock(TestIssuer issuer) {
        issuer.clock().set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        this.issuer = issuer;
    }

    private static List<String> loudestJvm() {
        return List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=trace", "-Dlogging.level.root=trace",
                "-Dlogging.level.org.apache.coyote=trace", "-Dspring.mvc.log-request-details=true",
                "-Djava.util.logging.config.file=" + julConfig, "-Dpicocli.trace=DEBUG",
                "-Djdk.httpclient.HttpClient.log=all", "-Djdk.internal.httpclient.debug=true");
    }

    private static int send(URI uri, String method, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The D17 promise on everything the process printed; {@code tokens} were sent to it or minted by it. */
    private static void assertNoTokenByte(ServeProcess process, List<String> tokens) {
        String output = String.join("\n", process.stdoutLines()) + "\n" + process.stderr();
        assertThat(output).doesNotContain(MARKER).doesNotContainIgnoringCase("authorization").doesNotContain("eyJ");
        for (String token : tokens) {
            for (String segment : token.split("\\.")) {
                assertThat(output).doesNotContain(segment);
            }
        }
        assertThat(output.lines().filter(line -> line.startsWith("DEBUG ") || line.startsWith("TRACE ")))
                .as("DEBUG lines come from Caracal's own loggers only")
                .allMatch(line -> line.matches("(DEBUG|TRACE) (MandateVerifier|KeySource|JwksDocument|SignatureProviders"
                        + "|CaracalWarmup|RedisLink|RedisRevocationConsumer|DelegationInvalidationConsumer|EvictionGuard|HttpBoundary|McpBoundary|LiveConnection) - .*"));
        assertThat(output).doesNotContain("[picocli").doesNotContain("FINE:").doesNotContain("FINEST:");
    }

    @Test
    @DisplayName("serve -v: the reason of each rejection at DEBUG; no token byte, header or third-party DEBUG line")
    void serveAtTheHighestVerbosity() throws Exception {
        String valid = issuer.mint().scope("tool:call").agentSession().sign();
        String wrongAudience = issuer.mint().audience("resource://other").scope("tool:call").agentSession().sign();
        try (ServeProcess serve = ServeProcess.command(loudestJvm(),
                Map.of("CARACAL_STS_URL", issuer.url(), "CARACAL_ZONE_ID", "zone_dev"), "-v", "serve", "--port", "0")) {
            URI mcp = serve.awaitListening();

            assertThat(send(mcp, "POST", MARKER, INITIALIZE)).isEqualTo(401);
            assertThat(send(mcp, "POST", wrongAudience, INITIALIZE)).isEqualTo(401);
            assertThat(send(mcp, "POST", valid, INITIALIZE)).isEqualTo(200);
            serve.terminate();

            assertNoTokenByte(serve, List.of(valid, wrongAudience));
            assertThat(serve.stderr()).contains("DEBUG MandateVerifier - Mandate rejected: invalid_token (cause malformed, not-compact-jws)")
                    .contains("DEBUG MandateVerifier - Mandate rejected: invalid_token (cause audience, aud)");
        }
    }

    @Test
    @DisplayName("demo -v: every row passes, Caracal's DEBUG lines appear, and none of its minted mandates is logged")
    void demoAtTheHighestVerbosity() throws Exception {
        try (ServeProcess demo = ServeProcess.command(loudestJvm(), Map.of(), "-v", "demo")) {
            assertThat(demo.awaitExit()).as(demo.stderr()).isZero();

            assertNoTokenByte(demo, List.of());
            assertThat(demo.stderr()).contains("DEBUG MandateVerifier - Mandate rejected: session_revoked (cause revoked, revoked)");
        }
    }

    @ParameterizedTest(name = "example {0} -v")
    @ValueSource(strings = {"servlet", "jdkhttp", "spring-boot"})
    @DisplayName("example -v: no token byte, header or third-party DEBUG line")
    void examplesAtTheHighestVerbosity(String example) throws Exception {
        String valid = issuer.mint().audience("resource://examples").scope("documents:read").sign();
        try (ServeProcess server = ServeProcess.command(loudestJvm(),
                Map.of("CARACAL_STS_URL", issuer.url(), "CARACAL_ZONE_ID", "zone_dev", "PORT", "0"), "-v", "example", example)) {
            URI base = server.awaitListening();

            assertThat(send(base.resolve("/api/whoami"), "GET", MARKER, null)).isEqualTo(401);
            assertThat(send(base.resolve("/api/documents"), "GET", valid, null)).isEqualTo(200);
            server.terminate();

            assertNoTokenByte(server, List.of(valid));
            assertThat(server.stderr()).contains("DEBUG MandateVerifier - Mandate rejected: invalid_token (cause malformed, not-compact-jws)");
        }
    }

    @Test
    @DisplayName("verify -v with picocli's trace asked for: the token argument is never echoed")
    void verifyAtTheHighestVerbosity() throws Exception {
        String valid = issuer.mint().scope("tool:call").sign();
        try (ServeProcess verify = ServeProcess.command(loudestJvm(), Map.of(), "-v", "verify", "--issuer", issuer.url(),
                "--aud", "resource://documents", "--zone", "zone_dev", valid)) {
            assertThat(verify.awaitExit()).as(verify.stderr()).isZero();

            assertNoTokenByte(verify, List.of(valid));
            assertThat(verify.stdoutLines()).first().asString().startsWith("ACCEPTED");
        }
    }

    @Test
    @DisplayName("dev-sts -v: a mint answered over HTTP leaves no token byte in its output")
    void devStsAtTheHighestVerbosity() throws Exception {
        try (ServeProcess sts = ServeProcess.command(loudestJvm(), Map.of(), "-v", "dev-sts", "--port", "0")) {
            String issuerLine = sts.awaitFirstLine();
            URI base = URI.create(issuerLine.substring("issuer".length()).strip());
            HttpResponse<String> minted = HTTP.send(HttpRequest.newBuilder(base.resolve("/dev/mint"))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"audience\":\"resource://documents\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(minted.statusCode()).isEqualTo(200);
            String token = minted.body().replaceFirst("(?s).*\"access_token\":\"([^\"]+)\".*", "$1");
            Eventually.waitUntil(Duration.ofSeconds(20), "the request line of the mint",
                    () -> sts.stdoutLines().contains("POST /dev/mint 200"));
            sts.terminate();

            assertNoTokenByte(sts, List.of(token));
        }
    }
}
