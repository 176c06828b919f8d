package ai.caracal.revocation.redis;

import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.embedded.RedisServer;

/**
 * Real Redis servers for tests, never mocks.
 *
 * <ul>
 *   <li>{@link #sharedUri()}: the server named by {@code CARACAL_TEST_REDIS_URL} (CI points it at the
 *       machine's Redis), otherwise one embedded {@code redis-server} (6.2, from Maven Central) started
 *       once per test JVM. Tests sharing it isolate themselves with {@link #unique(String)} names and
 *       never flush it.</li>
 *   <li>{@link #startOwned(String...)}: a server owned by one test, which may stop and restart it on the
 *       same port (fault tests).</li>
 * </ul>
 */
final class RedisForTests {

    static final String ENV = "CARACAL_TEST_REDIS_URL";

    private static RedisURI shared;

    private RedisForTests() {
    }

    static synchronized RedisURI sharedUri() {
        if (shared == null) {
            String configured = System.getenv(ENV);
            if (configured != null && !configured.isBlank()) {
                shared = RedisURI.create(configured);
            } else {
                OwnedRedis embedded = startOwned();
                Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "embedded-redis-stop"));
                shared = embedded.uri();
            }
        }
        return shared;
    }

    /**
     * @param settings extra {@code redis.conf} lines, for example {@code "requirepass secret"}
     * @return a running server on a free loopback port
     */
    static OwnedRedis startOwned(String... settings) {
        OwnedRedis redis = new OwnedRedis(freePort(), List.of(settings));
        redis.start();
        return redis;
    }

    /** @return {@code base} plus a random suffix, for keys and streams on a shared server */
    static String unique(String base) {
        return base + "-" + UUID.randomUUID();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code redis-server} process owned by a test. Not thread-safe. */
    static final class OwnedRedis implements AutoCloseable {
        private final int port;
        private final List<String> settings;
        private RedisServer server;

        private OwnedRedis(int port, List<String> settings) {
            this.port = port;
            this.settings = settings;
        }

        RedisURI uri() {
            return RedisURI.create("redis://127.0.0.1:" + port);
        }

        int port() {
            return port;
        }

        /** Starts (or restarts) the server on its port, keeping nothing on disk. */
        void start() {
            try {
                var builder = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                        .setting("save \"\"").setting("appendonly no");
                for (String setting : new ArrayList<>(settings)) {
                    builder.setting(setting);
                }
                server = builder.build();
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start redis-server on port " + port, e);
            }
        }

        /** Stops the server (its data is lost). */
        void stop() {
            if (server != null) {
                try {
                    server.stop();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    server = null;
                }
            }
        }

        @Override
        public void close() {
            stop();
        }
    }
}
