package ai.caracal.revocation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.revocation.RevocationStoreFullException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** State.md S68: which failures to apply an entry leave the poll aborted (transient) and which only that entry. */
class ApplyFailureTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("no connection", store(null), true),
                Arguments.of("a timeout", store(new RedisCommandTimeoutException("timeout")), true),
                Arguments.of("a dropped connection", store(new RedisConnectionException("reset")), true),
                Arguments.of("a full in-memory store", new RevocationStoreFullException(2), true),
                Arguments.of("OOM", store(reply("OOM command not allowed when used memory > 'maxmemory'.")), true),
                Arguments.of("OOM inside the script", store(reply("ERR Error running script (call to f_x): @user_script:17:"
                        + " OOM command not allowed when used memory > 'maxmemory'.")), true),
                Arguments.of("LOADING", store(reply("LOADING Redis is loading the dataset in memory")), true),
                Arguments.of("READONLY", store(reply("READONLY You can't write against a read only replica.")), true),
                Arguments.of("CLUSTERDOWN", store(reply("CLUSTERDOWN The cluster is down")), true),
                Arguments.of("MISCONF", store(reply("MISCONF Redis is configured to save RDB snapshots")), true),
                Arguments.of("WRONGTYPE", store(reply("WRONGTYPE Operation against a key holding the wrong kind of value")), false),
                Arguments.of("WRONGTYPE inside the script", store(reply("ERR Error running script (call to f_x): @user_script:15:"
                        + " WRONGTYPE Operation against a key holding the wrong kind of value")), false),
                Arguments.of("another error reply", store(reply("ERR value is not an integer or out of range")), false),
                Arguments.of("a store that breaks its contract", new IllegalStateException("bug"), false));
    }

    @ParameterizedTest(name = "{0}: transient {2}")
    @MethodSource("failures")
    void classifiesFailures(String what, RuntimeException failure, boolean isTransient) {
        assertThat(ApplyFailure.isTransient(failure)).isEqualTo(isTransient);
    }

    private static RedisCommandExecutionException reply(String message) {
        return new RedisCommandExecutionException(message);
    }

    /** As {@link RedisRevocationStore} wraps a failed write. */
    private static RevocationStoreException store(Throwable cause) {
        return cause == null ? new RevocationStoreException("not connected to Redis")
                : new RevocationStoreException("Cannot record the delegation epoch in Redis: " + cause.getMessage(), cause);
    }
}
