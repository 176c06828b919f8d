package ai.caracal.revocation.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns once when Redis may evict revocation keys (state.md §4.6): {@code CONFIG GET maxmemory-policy},
 * asynchronously, so it never blocks or fails the store's construction.
 */
final class EvictionGuard {

    private static final Logger log = LoggerFactory.getLogger(RedisRevocationStore.class);
    static final String PARAMETER = "maxmemory-policy";

    private EvictionGuard() {
    }

    /**
     * @param policy the reply for {@code maxmemory-policy}; {@code null} when the reply was empty
     * @return {@code true} for {@code noeviction} or an empty reply, compared trimmed and ignoring case
     */
    static boolean isSafe(String policy) {
        if (policy == null) {
            return true;
        }
        String trimmed = policy.trim();
        return trimmed.isEmpty() || trimmed.toLowerCase(Locale.ROOT).equals("noeviction");
    }

    /**
     * Sends the query and logs the outcome when the reply arrives: WARN for an unsafe policy, DEBUG when
     * the command fails (for example CONFIG disabled on managed Redis), nothing otherwise.
     *
     * @param commands the store's connection
     * @param done     completed once the outcome is known (or the command could not be sent)
     */
    static void check(RedisClusterAsyncCommands<String, String> commands, CompletableFuture<Void> done) {
        try {
            commands.configGet(PARAMETER).whenComplete((reply, error) -> {
                try {
                    if (error != null) {
                        log.debug("Could not read {} (CONFIG may be disabled); eviction guard skipped: {}", PARAMETER,
                                error.getMessage());
                    } else {
                        report(reply);
                    }
                } finally {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            log.debug("Could not send CONFIG GET {}; eviction guard skipped: {}", PARAMETER, e.getMessage());
            done.complete(null);
        }
    }

    private static void report(Map<String, String> reply) {
        String policy = reply == null ? null : reply.get(PARAMETER);
        if (!isSafe(policy)) {
            log.warn("Redis maxmemory-policy is '{}': the eviction policy can silently drop revocation entries and "
                    + "stream data; set maxmemory-policy noeviction", policy.trim());
        }
    }
}
