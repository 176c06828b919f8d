package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;
import java.util.ArrayList;
import java.util.List;

/**
 * One test's lane through the shared Redis, the set-up every consumer test repeats: a unique stream (with its
 * dead-letter stream), a unique consumer group, unique key prefixes, and consumer builders wired to them.
 * {@link #close()} deletes the streams, the groups' policy records and every key under the prefixes handed
 * out, then closes the connections (a shared server is never flushed).
 *
 * <pre>{@code
 * private final StreamLane lane = StreamLane.shared("caracal.sessions.revoke.poison");
 *
 * @AfterEach
 * void tearDown() {
 *     lane.close();
 * }
 * }</pre>
 */
final class StreamLane implements AutoCloseable {

    /** The connections to the server: a client for consumers and a producer connection. */
    final TestStreams streams;
    /** The lane's stream. */
    final String stream;
    /** The lane's consumer group. */
    final String group;
    private final List<String> prefixes = new ArrayList<>();

    private StreamLane(TestStreams streams, String streamBase) {
        this.streams = streams;
        this.stream = streams.newStream(streamBase);
        this.group = TestStreams.newGroup();
    }

    /**
     * @param streamBase the start of the stream's name, for example {@code caracal.sessions.revoke.poison}
     * @return a lane on the server shared by the tests ({@link RedisForTests#sharedUri()})
     */
    static StreamLane shared(String streamBase) {
        return new StreamLane(TestStreams.shared(), streamBase);
    }

    /**
     * @param base the start of the prefix, for example {@code poison}
     * @return a new unique key prefix ending in {@code :}; every key under it is deleted on close
     */
    String keyPrefix(String base) {
        String prefix = RedisForTests.unique(base) + ":";
        prefixes.add(prefix);
        return prefix;
    }

    /**
     * @param store where applied entries go
     * @return a revocation consumer {@code c1} of the lane's stream and group; block, pending idle time, keys
     *     and the rest are the caller's
     */
    RedisRevocationConsumer.Builder revocationConsumer(RevocationStore store) {
        return RedisRevocationConsumer.builder().client(streams.client).store(store).consumer("c1")
                .stream(stream).group(group);
    }

    /**
     * @param store where applied entries go
     * @return a delegation-invalidation consumer {@code c1} of the lane's stream and group
     */
    DelegationInvalidationConsumer.Builder delegationConsumer(RevocationStore store) {
        return DelegationInvalidationConsumer.builder().client(streams.client).store(store).consumer("c1")
                .stream(stream).group(group);
    }

    @Override
    public void close() {
        try {
            for (String prefix : prefixes) {
                List<String> keys = streams.keysMatching(prefix + "*");
                if (!keys.isEmpty()) {
                    streams.redis.del(keys.toArray(String[]::new));
                }
            }
        } finally {
            streams.close();
        }
    }
}
