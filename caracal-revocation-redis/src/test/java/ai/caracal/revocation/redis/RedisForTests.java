package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
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
 *   <li>{@link #startCluster()}: a real three-node Redis Cluster (embedded {@code redis-server}s with
 *       {@code cluster-enabled yes}, slots split in three, wired with {@code CLUSTER ADDSLOTS} and
 *       {@code CLUSTER MEET}), ready once every node reports {@code cluster_state:ok}.</li>
 * </ul>
 */
public final class RedisForTests {

    public static final String ENV = "CARACAL_TEST_REDIS_URL";

    private static RedisURI shared;
    private static ClientResources resources;

    private RedisForTests() {
    }

    public static synchronized RedisURI sharedUri() {
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
     * @param uri a server
     * @return a new client on event loops shared by every test client (cheaper than a client's own);
     *         shut it down when done
     */
    static RedisClient client(RedisURI uri) {
        return RedisClient.create(resources(), uri);
    }

    /** @return event loops shared by test clients, released when the test JVM exits */
    static synchronized ClientResources resources() {
        if (resources == null) {
            ClientResources created = DefaultClientResources.create();
            Runtime.getRuntime().addShutdownHook(new Thread(created::shutdown, "lettuce-resources-stop"));
            resources = created;
        }
        return resources;
    }

    /**
     * @param settings extra {@code redis.conf} lines, for example {@code "requirepass secret"}
     * @return a running server on a free loopback port
     */
    public static OwnedRedis startOwned(String... settings) {
        for (int attempt = 1; ; attempt++) {
            OwnedRedis redis = new OwnedRedis(freePort(), List.of(settings));
            try {
                redis.start();
                return redis;
            } catch (UncheckedIOException e) {
                // Another process may bind the free port between the probe and redis-server's bind.
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * @param settings extra {@code redis.conf} lines
     * @return a server on a free loopback port that is not started yet (for "Redis comes up later")
     */
    static OwnedRedis unstarted(String... settings) {
        return new OwnedRedis(freePort(), List.of(settings));
    }

    /** @return {@code base} plus a random suffix, for keys and streams on a shared server */
    public static String unique(String base) {
        return base + "-" + UUID.randomUUID();
    }

    /**
     * Waits until the store answers Redis (a store built from a client connects in the background). The
     * probe is an epoch advance to 0, which never writes but throws while Redis is unreachable, in
     * either failure mode.
     *
     * @param store a Redis-backed store
     */
    public static void awaitUsable(RevocationStore store) {
        String zone = unique("readiness");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                store.advanceDelegationEpoch(zone, 0);
                return;
            } catch (RevocationStoreException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("the store did not reach Redis within 15 s", e);
                }
                pause(20);
            }
        }
    }

    /**
     * Starts three cluster-enabled servers and splits the 16384 slots between them in order: node 0
     * serves 0–5460, node 1 5461–10922, node 2 10923–16383.
     *
     * @return a ready cluster; close it to stop every node and delete its files
     */
    static OwnedCluster startCluster() {
        Path dir;
        try {
            dir = Files.createTempDirectory("caracal-redis-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OwnedCluster cluster = new OwnedCluster(dir);
        try {
            for (int i = 0; i < 3; i++) {
                int port = freeClusterPort(cluster.nodes);
                OwnedRedis node = new OwnedRedis(port, List.of("cluster-enabled yes",
                        "cluster-config-file nodes-" + port + ".conf", "cluster-node-timeout 5000", "dir " + dir));
                cluster.nodes.add(node);
                node.start();
            }
            cluster.wire();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port whose cluster bus port (port + 10000) is also free, and not used by {@code taken}. */
    private static int freeClusterPort(List<OwnedRedis> taken) {
        for (int tries = 0; tries < 200; tries++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 45_000);
            if (taken.stream().noneMatch(node -> node.port == port || node.port + 10_000 == port
                    || node.port == port + 10_000) && bindable(port) && bindable(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair for a cluster node");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Three cluster nodes owned by a test. Not thread-safe. */
    static final class OwnedCluster implements AutoCloseable {
        static final int[][] SLOT_RANGES = {{0, 5460}, {5461, 10922}, {10923, 16383}};

        private final Path dir;
        private final List<OwnedRedis> nodes = new ArrayList<>();

        private OwnedCluster(Path dir) {
            this.dir = dir;
        }

        /** @return the nodes' URIs, node 0 first */
        List<RedisURI> uris() {
            return nodes.stream().map(OwnedRedis::uri).toList();
        }

        /**
         * @param slot a hash slot
         * @return the index of the node serving it
         */
        static int nodeOf(int slot) {
            for (int i = 0; i < SLOT_RANGES.length; i++) {
                if (slot <= SLOT_RANGES[i][1]) {
                    return i;
                }
            }
            throw new IllegalArgumentException("slot " + slot);
        }

        private void wire() {
            RedisClient admin = RedisClient.create(resources());
            try {
                List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
                for (int i = 0; i < nodes.size(); i++) {
                    StatefulRedisConnection<String, String> connection = admin.connect(nodes.get(i).uri());
                    connections.add(connection);
                    connection.sync().clusterAddSlots(IntStream.rangeClosed(SLOT_RANGES[i][0], SLOT_RANGES[i][1]).toArray());
                }
                for (int i = 1; i < nodes.size(); i++) {
                    connections.get(0).sync().clusterMeet("127.0.0.1", nodes.get(i).port);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                for (StatefulRedisConnection<String, String> connection : connections) {
                    while (!isReady(connection.sync().clusterInfo())) {
                        if (System.nanoTime() - deadline > 0) {
                            throw new IllegalStateException("the cluster did not reach cluster_state:ok within 30 s");
                        }
                        pause(50);
                    }
                }
            } finally {
                admin.shutdown();
            }
        }

        private static boolean isReady(String clusterInfo) {
            return clusterInfo.contains("cluster_state:ok") && clusterInfo.contains("cluster_known_nodes:3");
        }

        @Override
        public void close() {
            nodes.forEach(OwnedRedis::close);
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A {@code redis-server} process owned by a test. Not thread-safe. */
    public static final class OwnedRedis implements AutoCloseable {
        private final int port;
        private final List<String> settings;
        private RedisServer server;

        private OwnedRedis(int port, List<String> settings) {
            this.port = port;
            this.settings = settings;
        }

        public RedisURI uri() {
            return RedisURI.create("redis://127.0.0.1:" + port);
        }

        public int port() {
            return port;
        }

        /** Starts (or restarts) the server on its port, keeping nothing on disk. */
        public void start() {
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
        public void stop() {
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
