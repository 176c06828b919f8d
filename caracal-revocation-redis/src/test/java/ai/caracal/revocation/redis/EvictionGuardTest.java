package ai.caracal.revocation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.logging.LogCapture;
import ch.qos.logback.classic.Level;
import io.lettuce.core.RedisClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The eviction guard (state.md §4.6) against servers configured for each case, and its reply rule for
 * replies a real server never sends (it canonicalises the policy to lowercase without spaces).
 */
class EvictionGuardTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "maxmemory-policy allkeys-lru | true",
        "maxmemory-policy noeviction  | false",
        "maxmemory-policy NoEviction  | false",
        "rename-command CONFIG \"\"   | false",
    })
    @DisplayName("S30 allkeys-lru warns; noeviction and CONFIG disabled are silent; construction succeeds")
    void warnsOnlyForAnEvictingPolicy(String setting, boolean warns) throws Exception {
        CommandLog commands = new CommandLog();
        try (RedisForTests.OwnedRedis redis = RedisForTests.startOwned(setting);
             RedisClient client = RedisForTests.client(redis.uri());
             LogCapture logs = LogCapture.of(RedisRevocationStore.class, Level.DEBUG)) {
            client.addListener(commands);
            try (RedisRevocationStore store = RedisRevocationStore.builder().client(client).build()) {
                store.evictionChecked().get(10, TimeUnit.SECONDS);
                RedisForTests.awaitUsable(store);
                store.revoke("sid-1");
                assertThat(store.isRevoked("sid-1")).isTrue();
            }
            if (warns) {
                assertThat(logs.at(Level.WARN)).singleElement().asString()
                        .contains("allkeys-lru").contains("set maxmemory-policy noeviction");
            } else {
                assertThat(logs.at(Level.WARN)).isEmpty();
            }
            if (setting.startsWith("rename-command")) {
                assertThat(logs.at(Level.DEBUG)).anyMatch(message -> message.contains("eviction guard skipped"));
            }
            assertThat(commands.sent()).filteredOn(command -> command.startsWith("CONFIG"))
                    .containsExactly("CONFIG GET maxmemory-policy");
        }
    }

    @ParameterizedTest(name = "\"{0}\" -> safe: {1}")
    @CsvSource(delimiter = '|', value = {
        "'  NoEviction  ' | true",
        "noeviction       | true",
        "NOEVICTION       | true",
        "''               | true",
        "'   '            | true",
        "allkeys-lru      | false",
        "' volatile-ttl ' | false",
    })
    @DisplayName("S30 replies are compared trimmed and ignoring case; empty is safe")
    void replyRule(String reply, boolean safe) {
        assertThat(EvictionGuard.isSafe(reply)).isEqualTo(safe);
    }

    @Test
    @DisplayName("S30 an empty CONFIG GET reply is safe")
    void missingReplyIsSafe() {
        assertThat(EvictionGuard.isSafe(null)).isTrue();
    }

    @Test
    @DisplayName("warnOnUnsafeEviction(false) sends no CONFIG GET")
    void guardCanBeTurnedOff() throws Exception {
        CommandLog commands = new CommandLog();
        try (RedisForTests.OwnedRedis redis = RedisForTests.startOwned("maxmemory-policy allkeys-lru");
             RedisClient client = RedisForTests.client(redis.uri());
             LogCapture logs = LogCapture.of(RedisRevocationStore.class, Level.DEBUG)) {
            client.addListener(commands);
            try (RedisRevocationStore store = RedisRevocationStore.builder().client(client)
                    .warnOnUnsafeEviction(false).build()) {
                RedisForTests.awaitUsable(store);
                assertThat(store.evictionChecked()).isDone();
            }
            assertThat(logs.at(Level.WARN)).isEmpty();
            assertThat(commands.sent()).noneMatch(command -> command.startsWith("CONFIG"));
        }
    }
}
