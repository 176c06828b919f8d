package ai.caracal.revocation.redis;

import io.lettuce.core.Consumer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis server seen from a test: a client for consumers, a producer connection, and unique stream and
 * group names that are deleted again on {@link #close()}, with the groups' policy records under any key
 * prefix (a shared server is never flushed).
 */
final class TestStreams implements AutoCloseable {

    final RedisClient client;
    final CommandLog recorded = new CommandLog();
    private final StatefulRedisConnection<String, String> connection;
    final RedisCommands<String, String> redis;
    private final List<String> created = new ArrayList<>();

    TestStreams(RedisURI uri) {
        this.client = RedisClient.create(uri);
        client.addListener(recorded);
        this.connection = client.connect();
        this.redis = connection.sync();
    }

    /** A server shared with other tests (never flushed). */
    static TestStreams shared() {
        return new TestStreams(RedisForTests.sharedUri());
    }

    /** @return a new unique stream name; it and its dead-letter stream are deleted on close */
    String newStream(String base) {
        String stream = RedisForTests.unique(base);
        created.add(stream);
        created.add(stream + ".dead");
        return stream;
    }

    /** Registers a fixed stream name (on an owned server) for deletion on close. */
    String useStream(String stream) {
        created.add(stream);
        created.add(stream + ".dead");
        return stream;
    }

    static String newGroup() {
        return RedisForTests.unique("group");
    }

    long pending(String stream, String group) {
        return redis.xpending(stream, group).getCount();
    }

    List<StreamMessage<String, String>> deadLetters(String stream) {
        String dead = stream + ".dead";
        if (redis.exists(dead) == 0) {
            return List.of();
        }
        return redis.xrange(dead, Range.create("-", "+"));
    }

    /** Delivers up to {@code count} new entries to consumer {@code name} and never acks them, as a crashed consumer would. */
    List<StreamMessage<String, String>> deliverWithoutAck(String stream, String group, String name, int count) {
        return redis.xreadgroup(Consumer.from(group, name), XReadArgs.Builder.count(count),
                StreamOffset.lastConsumed(stream));
    }

    /** @return every key matching the glob pattern, found with {@code SCAN} */
    List<String> keysMatching(String pattern) {
        List<String> keys = new ArrayList<>();
        KeyScanCursor<String> cursor = redis.scan(ScanArgs.Builder.matches(pattern).limit(1000));
        keys.addAll(cursor.getKeys());
        while (!cursor.isFinished()) {
            cursor = redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
            keys.addAll(cursor.getKeys());
        }
        return keys;
    }

    @Override
    public void close() {
        try {
            if (!created.isEmpty() && connection.isOpen()) {
                List<String> keys = new ArrayList<>(created);
                for (String stream : created) {
                    keys.addAll(keysMatching("*consumer-policy:" + stream + ":*"));
                }
                redis.del(keys.toArray(String[]::new));
            }
        } catch (RuntimeException e) {
            // the server may already be gone (an owned server stopped by the test); nothing to clean then
        } finally {
            connection.close();
            client.shutdown();
        }
    }
}
