package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.devsts.DevSts;
import ai.caracal.devsts.MintRequest;
import ai.caracal.testkit.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * devtools.md D18 where a user meets it, at the default log level: {@code caracal serve} and the
 * examples in their own JVM, started against a real dev STS (which, like a Caracal STS, refuses the
 * zone-less JWKS URL) with a configuration mistake. What is wrong is said on stderr at start, in one
 * line naming the URL and the answer, and the server still starts (and fails closed).
 */
@Tag("integration")
class StartupDiagnosticsProcessTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

    private DevSts sts;

    @BeforeEach
    void startDevSts() {
        sts = DevSts.builder().start();
    }

    @AfterEach
    void stopDevSts() {
        sts.close();
    }

    private String missingZoneLine() {
        return "JWKS " + sts.url() + "/.well-known/jwks.json answered 400 invalid_request: zone_id query parameter is required;"
                + " no zone is configured: set CARACAL_ZONE_ID";
    }

    private static int initialize(URI mcp, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(mcp).timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String agentMandate() {
        return sts.mint(MintRequest.builder().audience("resource://documents").scope("tool:call")
                .agentSessionId(MintRequest.NEW).build()).accessToken();
    }

    @Test
    @DisplayName("serve without CARACAL_ZONE_ID: one line at start names the JWKS URL and the STS's answer; it still listens")
    void serveSaysTheZoneIsMissing() throws Exception {
        try (ServeProcess serve = ServeProcess.start(Map.of("CARACAL_STS_URL", sts.url()), "--port", "0")) {
            URI mcp = serve.awaitListening();

            assertThat(serve.stderr().lines()).anySatisfy(line -> assertThat(line).endsWith(missingZoneLine()));
            assertThat(initialize(mcp, agentMandate())).as("fail closed").isEqualTo(401);
            serve.terminate();
        }
    }

    @Test
    @DisplayName("serve with the right zone: nothing to say at start, and the mandate is accepted")
    void serveWithTheZoneSaysNothing() throws Exception {
        try (ServeProcess serve = ServeProcess.start(Map.of("CARACAL_STS_URL", sts.url(), "CARACAL_ZONE_ID", "zone_dev"),
                "--port", "0")) {
            URI mcp = serve.awaitListening();

            assertThat(initialize(mcp, agentMandate())).isEqualTo(200);
            serve.terminate();
            assertThat(serve.stderr()).doesNotContain("JWKS").doesNotContain("iss");
        }
    }

    @Test
    @DisplayName("serve --issuer with a trailing slash is the issuer CARACAL_STS_URL names: the mandate is accepted")
    void serveIssuerFlagIsSpelledLikeTheVariable() throws Exception {
        try (ServeProcess serve = ServeProcess.start(Map.of("CARACAL_ZONE_ID", "zone_dev"),
                "--port", "0", "--issuer", sts.url() + "/")) {
            URI mcp = serve.awaitListening();

            assertThat(initialize(mcp, agentMandate())).isEqualTo(200);
            serve.terminate();
        }
    }

    @Test
    @DisplayName("serve with localhost for the STS's 127.0.0.1: the first rejected mandate logs a WARN naming the issuer setting")
    void serveSaysTheIssuerIsMisspelt() throws Exception {
        String misspelt = sts.url().replace("127.0.0.1", "localhost");
        try (ServeProcess serve = ServeProcess.start(Map.of("CARACAL_STS_URL", misspelt, "CARACAL_ZONE_ID", "zone_dev"),
                "--port", "0")) {
            URI mcp = serve.awaitListening();

            assertThat(initialize(mcp, agentMandate())).isEqualTo(401);
            Eventually.waitUntil(Duration.ofSeconds(20), "the WARN about the issuer's spelling",
                    () -> serve.stderr().contains("WARN IssuerSpelling - Mandates signed with the keys of issuer " + misspelt
                            + " name another iss"));
            serve.terminate();
        }
    }

    @ParameterizedTest(name = "example {0}")
    @ValueSource(strings = {"servlet", "jdkhttp", "spring-boot"})
    @DisplayName("an example without CARACAL_ZONE_ID: the same line at start; it still listens")
    void examplesSayTheZoneIsMissing(String example) throws Exception {
        try (ServeProcess server = ServeProcess.command(List.of(), Map.of("CARACAL_STS_URL", sts.url(), "PORT", "0"),
                "example", example)) {
            server.awaitListening();

            assertThat(server.stderr().lines()).anySatisfy(line -> assertThat(line).endsWith(missingZoneLine()));
            server.terminate();
        }
    }
}
