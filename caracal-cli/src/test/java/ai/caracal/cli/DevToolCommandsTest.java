package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.devsts.DevSts;
import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.redis.RedisForTests;
import ai.caracal.revocation.redis.StreamSignature;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** devtools.md §3.2, §3.3, §3.5: dev-sts, mint and revoke against a real dev STS and a real Redis. */
class DevToolCommandsTest {

    private final InMemoryRevocationStore store = new InMemoryRevocationStore();
    private DevSts sts;

    @BeforeEach
    void startDevSts() {
        sts = DevSts.builder().port(0).revocations(store).start();
    }

    @AfterEach
    void stopDevSts() {
        sts.close();
    }

    @Test
    @DisplayName("mint prints only the token, which verifies against the dev STS")
    void mintPrintsAVerifiableToken() {
        CliRun mint = CliRun.run("mint", "--sts", sts.url(), "--aud", "resource://documents", "--scope", "tool:call",
                "--agent-session", "new");

        assertThat(mint.exitCode()).isZero();
        String token = mint.out().strip();
        assertThat(token.split("\\.")).hasSize(3);
        CliRun verify = CliRun.run("verify", "--issuer", sts.issuer(), "--zone", "zone_dev", "--aud", "resource://documents",
                "--scope", "tool:call", "--require-agent", token);
        assertThat(verify.exitCode()).isZero();
        assertThat(verify.out()).startsWith("ACCEPTED sub=app_dev zone=zone_dev client_id=app_dev use=resource scope=\"tool:call\"");
    }

    @Test
    @DisplayName("mint --claim overrides claims with JSON values and --output json prints the whole response")
    void mintWithOverridesAndJson() {
        CliRun mint = CliRun.run("mint", "--sts", sts.url(), "--aud", "resource://documents", "--claim", "zone_id=\"zone_other\"",
                "--chain", "app_orchestrator", "--chain", "app_dev:s1:e1", "--path", "e0,e1", "--output", "json");

        assertThat(mint.exitCode()).isZero();
        assertThat(mint.out()).startsWith("{\"access_token\":\"").contains("\"token_type\":\"Bearer\"")
                .contains("\"zone_id\":\"zone_other\"").contains("\"hop_count\":2")
                .contains("\"delegation_chain\":[{\"application_id\":\"app_orchestrator\"},"
                        + "{\"application_id\":\"app_dev\",\"agent_session_id\":\"s1\",\"delegation_edge_id\":\"e1\"}]");
    }

    @Test
    @DisplayName("mint with a bad --claim or --chain is a usage error; an unreachable STS is a one-line runtime error")
    void mintErrors() throws Exception {
        CliRun badClaim = CliRun.run("mint", "--sts", sts.url(), "--aud", "a", "--claim", "zone_id=other");
        int unused;
        try (ServerSocket socket = new ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        CliRun unreachable = CliRun.run("mint", "--sts", "http://127.0.0.1:" + unused, "--aud", "a");
        CliRun refused = CliRun.run("mint", "--sts", sts.url(), "--aud", "a", "--ttl", "901");

        assertThat(badClaim.exitCode()).isEqualTo(2);
        assertThat(badClaim.err()).contains("not JSON");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err().strip()).startsWith("caracal: cannot reach the STS").doesNotContain("\n");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("refused").contains("ttl_seconds");
    }

    @Test
    @DisplayName("revoke through the dev STS applies the anchor to its store")
    void revokeThroughSts() {
        CliRun run = CliRun.run("revoke", "--sts", sts.url(), "--zone", "zone_dev", "--agent-session", "agent-7");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo("revoked agent-7 (zone_dev) -> dev STS store");
        assertThat(store.isRevoked("agent-7")).isTrue();
    }

    @Test
    @DisplayName("revoke --delegations through the dev STS raises the zone epoch")
    void invalidateThroughSts() {
        CliRun run = CliRun.run("revoke", "--sts", sts.url(), "--zone", "zone_dev", "--delegations", "--epoch", "4");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo("delegation epoch zone_dev -> 4 (dev STS store)");
        assertThat(store.currentDelegationEpoch("zone_dev")).isEqualTo(4);
    }

    @Test
    @DisplayName("revoke --redis publishes a signed producer-format entry onto caracal.sessions.revoke")
    void revokeStraightToRedis() {
        String url = "redis://" + RedisForTests.sharedUri().getHost() + ":" + RedisForTests.sharedUri().getPort();
        String key = "07".repeat(32);
        String anchor = RedisForTests.unique("agent");

        CliRun run = CliRun.run("revoke", "--redis", url, "--stream-hmac-key", key, "--zone", "zone_dev",
                "--agent-session", anchor, "--reason", "requested");

        assertThat(run.exitCode()).isZero();
        Matcher printed = Pattern.compile("revoked " + Pattern.quote(anchor)
                + " \\(zone_dev\\) -> caracal\\.sessions\\.revoke (\\d+-\\d+) signed").matcher(run.out().strip());
        assertThat(printed.matches()).as(run.out()).isTrue();
        RedisClient client = RedisClient.create(RedisForTests.sharedUri());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            List<StreamMessage<String, String>> entries = redis.sync().xrange("caracal.sessions.revoke",
                    io.lettuce.core.Range.create(printed.group(1), printed.group(1)));
            Map<String, String> fields = entries.get(0).getBody();
            assertThat(fields).containsEntry("zone_id", "zone_dev").containsEntry("agent_session_id", anchor)
                    .containsEntry("reason", "requested").containsKey("outbox_id");
            assertThat(StreamSignature.verify(RedisForTestsKey.bytes(key), "caracal.sessions.revoke", fields)).isTrue();
            redis.sync().xdel("caracal.sessions.revoke", printed.group(1));
        } finally {
            client.shutdown();
        }
    }

    @Test
    @DisplayName("S69 revoke --redis with STREAMS_HMAC_KEY=<new>,<old> signs with the new key")
    void revokeSignsWithTheFirstOfSeveralKeys() {
        String url = "redis://" + RedisForTests.sharedUri().getHost() + ":" + RedisForTests.sharedUri().getPort();
        String newKey = "42".repeat(32);
        String anchor = RedisForTests.unique("agent");

        CliRun run = CliRun.run(Map.of("STREAMS_HMAC_KEY", newKey + "," + "07".repeat(32)), "", "revoke", "--redis", url,
                "--zone", "zone_dev", "--agent-session", anchor);

        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher printed = Pattern.compile(".* caracal\\.sessions\\.revoke (\\d+-\\d+) signed").matcher(run.out().strip());
        assertThat(printed.matches()).as(run.out()).isTrue();
        RedisClient client = RedisClient.create(RedisForTests.sharedUri());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            Map<String, String> fields = redis.sync().xrange("caracal.sessions.revoke",
                    io.lettuce.core.Range.create(printed.group(1), printed.group(1))).get(0).getBody();
            assertThat(StreamSignature.verify(RedisForTestsKey.bytes(newKey), "caracal.sessions.revoke", fields)).isTrue();
            redis.sync().xdel("caracal.sessions.revoke", printed.group(1));
        } finally {
            client.shutdown();
        }
    }

    @ParameterizedTest(name = "S66/S67 revoke {0}: exit 2, nothing published")
    @CsvSource(delimiter = '|', value = {
            "--session-id|delegation-epoch:zone_dev|session_id must not start with delegation-epoch:",
            "--root-sid|consumer-policy:caracal.sessions.revoke:resource-revocation|root_sid must not start with",
            "--reason|requested\\nroot_sid=victim|ambiguous"})
    void reservedOrAmbiguousValuesAreRefused(String flag, String value, String message) {
        String url = "redis://" + RedisForTests.sharedUri().getHost() + ":" + RedisForTests.sharedUri().getPort();
        List<String> args = new java.util.ArrayList<>(List.of("revoke", "--redis", url, "--stream-hmac-key", "07".repeat(32),
                "--zone", "zone_dev", flag, value.replace("\\n", "\n")));
        if (!flag.equals("--session-id") && !flag.equals("--root-sid")) {
            args.addAll(List.of("--sid", RedisForTests.unique("sid")));
        }

        CliRun run = CliRun.run(args.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(message);
        assertThat(run.out()).isEmpty();
    }

    @Test
    @DisplayName("revoke without an anchor, or --redis without --zone or --epoch, is a usage error")
    void revokeUsageErrors() {
        assertThat(CliRun.run("revoke", "--sts", sts.url()).exitCode()).isEqualTo(2);
        assertThat(CliRun.run("revoke", "--redis", "redis://127.0.0.1:6379", "--sid", "x").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("revoke", "--redis", "redis://127.0.0.1:6379", "--zone", "z", "--delegations").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("revoke", "--sts", sts.url(), "--sid", "x", "--epoch", "3").exitCode()).isEqualTo(2);
    }

    @Test
    @DisplayName("dev-sts prints its endpoints, logs one line per request, and serves the JWKS until interrupted")
    void devStsCommandRunsUntilInterrupted() throws Exception {
        try (BackgroundCli cli = new BackgroundCli(Map.of(), "dev-sts", "--port", "0", "--zone", "zone_a")) {
            String issuerLine = cli.nextLine(20);
            assertThat(issuerLine).startsWith("issuer   http://127.0.0.1:");
            URI issuer = URI.create(issuerLine.substring("issuer   ".length()));
            assertThat(cli.nextLine(5)).startsWith("zone     zone_a  jwks " + issuer + "/.well-known/jwks.json?zone_id=zone_a  kid ");
            assertThat(cli.nextLine(5)).isEqualTo("mint     POST " + issuer + "/dev/mint");
            assertThat(cli.nextLine(5)).startsWith("revoke   POST " + issuer + "/dev/revoke");

            HttpResponse<String> jwks = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(issuer.resolve("/.well-known/jwks.json?zone_id=zone_a")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(jwks.statusCode()).isEqualTo(200);
            assertThat(cli.nextLine(5)).startsWith("GET /.well-known/jwks.json 200");
            assertThat(cli.stop()).isZero();
        }
    }

    /** Hex to bytes for the test vector key. */
    private static final class RedisForTestsKey {
        static byte[] bytes(String hex) {
            byte[] key = new byte[hex.length() / 2];
            for (int i = 0; i < key.length; i++) {
                key[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            }
            return key;
        }
    }
}
