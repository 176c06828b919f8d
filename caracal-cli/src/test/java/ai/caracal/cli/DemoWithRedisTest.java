package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.redis.RedisForTests;
import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * devtools.md §3.1 {@code --redis}: the same table with a Redis store and stream consumers; the dev STS
 * only publishes onto the real streams. Each run uses its own zone, so that the zone's delegation
 * epoch and the events it publishes are its own on a shared Redis; the run beside a production fleet has
 * a Redis of its own, so that every key and group on it can be accounted for.
 */
@Tag("integration")
@Tag("redis")
class DemoWithRedisTest {

    private static final String REVOKE = "caracal.sessions.revoke";
    private static final String INVALIDATE = "caracal.delegations.invalidate";

    private static String redisUrl() {
        RedisURI uri = RedisForTests.sharedUri();
        return "redis://" + uri.getHost() + ":" + uri.getPort();
    }

    @Test
    @DisplayName("--redis: 24/24 passed with store redis; both revocations (D9, D27) and both invalidations went over the real streams")
    void everyRowPassesOverRedis() {
        String zone = "zone_demo_" + RedisForTests.unique("z").substring(2);

        CliRun run = CliRun.run("demo", "--redis", redisUrl(), "--zone", zone);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).matches(String.format(DemoCommandTest.HEADER_PATTERN, zone, "redis"));
        assertThat(lines.subList(1, lines.size())).containsExactlyElementsOf(DemoCommandTest.PASSING_TABLE);
        DemoCommandTest.assertNoToken(run.out());
        DemoCommandTest.assertNoToken(run.err());

        RedisClient client = RedisClient.create(RedisForTests.sharedUri());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            List<StreamMessage<String, String>> revocations = ofZone(redis.sync().xrange("caracal.sessions.revoke", Range.create("-", "+")), zone);
            List<StreamMessage<String, String>> invalidations =
                    ofZone(redis.sync().xrange("caracal.delegations.invalidate", Range.create("-", "+")), zone);
            assertThat(revocations).as("D9 and D27").hasSize(2)
                    .allSatisfy(event -> assertThat(event.getBody()).containsKey("agent_session_id"));
            assertThat(invalidations).extracting(event -> event.getBody().get("epoch")).containsExactly("1", "2");
        } finally {
            client.shutdown();
        }
    }

    @Test
    @DisplayName("S70 --redis beside a production fleet: the demo never joins the default groups, which still hold its"
            + " four events for their consumers, and it leaves no group, consumer or key behind")
    void demoKeepsToItsOwnGroupAndLeavesNothingBehind() throws Exception {
        try (RedisForTests.OwnedRedis owned = RedisForTests.startOwned()) {
            RedisClient client = RedisClient.create(owned.uri());
            try (StatefulRedisConnection<String, String> redis = client.connect()) {
                RedisCommands<String, String> commands = redis.sync();
                commands.xgroupCreate(StreamOffset.latest(REVOKE), "resource-revocation", XGroupCreateArgs.Builder.mkstream());
                commands.xgroupCreate(StreamOffset.latest(INVALIDATE), "resource-delegation-invalidation",
                        XGroupCreateArgs.Builder.mkstream());

                CliRun run = CliRun.run("demo", "--redis", owned.uri().toURI().toString(), "--zone", "zone_demo");

                assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
                assertThat(commands.xinfoConsumers(REVOKE, "resource-revocation")).isEmpty();
                assertThat(commands.xinfoConsumers(INVALIDATE, "resource-delegation-invalidation")).isEmpty();
                assertThat(commands.xinfoGroups(REVOKE)).singleElement().asString().contains("resource-revocation");
                assertThat(commands.xinfoGroups(INVALIDATE)).singleElement().asString().contains("resource-delegation-invalidation");
                assertThat(commands.keys("*")).containsExactlyInAnyOrder(REVOKE, INVALIDATE);

                assertThat(commands.xreadgroup(Consumer.from("resource-revocation", "production-1"), StreamOffset.lastConsumed(REVOKE)))
                        .as("D9 and D27").hasSize(2).allSatisfy(event -> assertThat(event.getBody()).containsKey("agent_session_id"));
                assertThat(commands.xreadgroup(Consumer.from("resource-delegation-invalidation", "production-1"),
                        StreamOffset.lastConsumed(INVALIDATE))).extracting(event -> event.getBody().get("epoch"))
                        .containsExactly("1", "2");
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    @DisplayName("--redis on a zone a previous run left at epoch 2: the dev STS starts there, so the second run passes too")
    void aZoneReusedOnTheSameRedisPassesAgain() {
        try (RedisForTests.OwnedRedis owned = RedisForTests.startOwned()) {
            String url = "redis://" + owned.uri().getHost() + ":" + owned.uri().getPort();
            RedisClient warm = RedisClient.create(owned.uri());
            try (StatefulRedisConnection<String, String> redis = warm.connect()) {
                // The demo waits 5 s for Redis: connect once first, so a cold, loaded JVM is not what fails.
                redis.sync().ping();
            } finally {
                warm.shutdown();
            }

            CliRun first = CliRun.run("demo", "--redis", url);
            CliRun second = CliRun.run("demo", "--redis", url);

            assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
            assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        }
    }

    private static List<StreamMessage<String, String>> ofZone(List<StreamMessage<String, String>> events, String zone) {
        return events.stream().filter(event -> zone.equals(event.getBody().get("zone_id"))).toList();
    }

    @Test
    @DisplayName("--redis with nothing listening: exit 1, 'cannot reach Redis', no table")
    void unreachableRedisIsARuntimeFailure() throws Exception {
        int unusedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            unusedPort = socket.getLocalPort();
        }

        CliRun run = CliRun.run("demo", "--redis", "redis://127.0.0.1:" + unusedPort);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("caracal: cannot reach Redis at 127.0.0.1:" + unusedPort + " within 5 s");
        assertThat(run.out()).isEmpty();
    }
}
