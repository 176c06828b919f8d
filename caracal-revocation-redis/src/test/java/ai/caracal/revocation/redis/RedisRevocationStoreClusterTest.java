package ai.caracal.revocation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationCheck;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The store on a real three-node Redis Cluster started by this class. Anchors are chosen so that their
 * keys hash to slots served by different nodes; each node is then asked directly what it holds.
 */
@Tag("slow")
class RedisRevocationStoreClusterTest {

    private static final String PREFIX = RedisRevocationStore.DEFAULT_KEY_PREFIX;

    private static RedisForTests.OwnedCluster cluster;
    private static RedisClusterClient clusterClient;
    private static RedisClient nodeClient;
    private static final List<StatefulRedisConnection<String, String>> nodes = new ArrayList<>();
    private static final CommandLog commands = new CommandLog();
    /** {@code anchorOnNode[i]} is an anchor whose key lives on node i. */
    private static final String[] anchorOnNode = new String[3];
    private static String zone;
    private static int zoneNode;

    @BeforeAll
    static void startCluster() {
        cluster = RedisForTests.startCluster();
        clusterClient = RedisClusterClient.create(RedisForTests.resources(), cluster.uris());
        clusterClient.addListener(commands);
        nodeClient = RedisForTests.client(cluster.uris().get(0));
        for (RedisURI uri : cluster.uris()) {
            nodes.add(nodeClient.connect(uri));
        }
        for (int i = 0; anchorOnNode[0] == null || anchorOnNode[1] == null || anchorOnNode[2] == null; i++) {
            String anchor = "anchor-" + i;
            int node = nodeOf(PREFIX + anchor);
            if (anchorOnNode[node] == null) {
                anchorOnNode[node] = anchor;
            }
        }
        zone = "zone1";
        zoneNode = nodeOf(PREFIX + "delegation-epoch:" + zone);
    }

    @AfterAll
    static void stopCluster() {
        if (clusterClient != null) {
            clusterClient.shutdown();
            nodeClient.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void empty() {
        nodes.forEach(node -> node.sync().flushall());
        commands.clear();
    }

    private static int nodeOf(String key) {
        return RedisForTests.OwnedCluster.nodeOf(SlotHash.getSlot(key));
    }

    @Test
    @DisplayName("cluster: revoke, isRevoked, advance and check with anchors on three different nodes")
    void storeWorksAcrossNodes() {
        try (RedisRevocationStore store = RedisRevocationStore.builder().client(clusterClient)
                .commandTimeout(Duration.ofSeconds(2)).build()) {
            RedisForTests.awaitUsable(store);
            store.revoke(anchorOnNode[1]);
            store.revoke(anchorOnNode[2], Duration.ofMinutes(5));
            assertThat(store.advanceDelegationEpoch(zone, 5)).isTrue();
            assertThat(store.advanceDelegationEpoch(zone, 4)).isFalse();

            for (int i = 0; i < 3; i++) {
                assertThat(nodes.get(i).sync().keys("*")).as("keys on node %d", i).containsExactlyInAnyOrderElementsOf(
                        expectedKeysOn(i));
            }
            assertThat(store.isRevoked(anchorOnNode[0])).isFalse();
            assertThat(store.isRevoked(anchorOnNode[1])).isTrue();
            assertThat(store.isRevoked(anchorOnNode[2])).isTrue();
            assertThat(store.currentDelegationEpoch(zone)).isEqualTo(5);

            assertThat(store.check(List.of(anchorOnNode[0]), zone)).isEqualTo(new RevocationCheck(false, 5));
            assertThat(store.check(List.of(anchorOnNode[0], anchorOnNode[2]), zone)).isEqualTo(new RevocationCheck(true, 5));
            assertThat(store.check(List.of(anchorOnNode[0], anchorOnNode[1]), "")).isEqualTo(new RevocationCheck(true, 0));
        }
    }

    @Test
    @DisplayName("cluster: one check is one logical MGET, split by slot, each key asked once")
    void checkIsOneMgetSplitBySlot() {
        try (RedisRevocationStore store = RedisRevocationStore.builder().client(clusterClient)
                .commandTimeout(Duration.ofSeconds(2)).warnOnUnsafeEviction(false).build()) {
            RedisForTests.awaitUsable(store);
            store.revoke(anchorOnNode[2]);
            store.advanceDelegationEpoch(zone, 9);
            commands.clear();

            RevocationCheck result = store.check(List.of(anchorOnNode[0], anchorOnNode[1], anchorOnNode[2]), zone);

            assertThat(result).isEqualTo(new RevocationCheck(true, 9));
            List<String> sent = commands.sent();
            assertThat(sent).allMatch(command -> command.startsWith("MGET "));
            List<String> keysAsked = new ArrayList<>();
            for (String command : sent) {
                keysAsked.addAll(Arrays.asList(command.substring("MGET ".length()).split(" ")));
            }
            assertThat(keysAsked).containsExactlyInAnyOrder(PREFIX + anchorOnNode[0], PREFIX + anchorOnNode[1],
                    PREFIX + anchorOnNode[2], PREFIX + "delegation-epoch:" + zone);
            Set<Integer> nodesAsked = new TreeSet<>();
            keysAsked.forEach(key -> nodesAsked.add(nodeOf(key)));
            assertThat(nodesAsked).containsExactly(0, 1, 2);
        }
    }

    @Test
    @DisplayName("cluster: a store on the caller's cluster connection works and leaves it open")
    void callerClusterConnection() {
        try (StatefulRedisClusterConnection<String, String> connection = clusterClient.connect()) {
            try (RedisRevocationStore store = RedisRevocationStore.builder().connection(connection)
                    .commandTimeout(Duration.ofSeconds(2)).build()) {
                store.revoke(anchorOnNode[0]);
                assertThat(store.check(List.of(anchorOnNode[0], anchorOnNode[1]), zone))
                        .isEqualTo(new RevocationCheck(true, 0));
            }
            assertThat(connection.isOpen()).isTrue();
            assertThat(connection.sync().get(PREFIX + anchorOnNode[0])).isEqualTo("1");
        }
    }

    private static List<String> expectedKeysOn(int node) {
        List<String> keys = new ArrayList<>();
        if (node == 1 || node == 2) {
            keys.add(PREFIX + anchorOnNode[node]);
        }
        if (node == zoneNode) {
            keys.add(PREFIX + "delegation-epoch:" + zone);
        }
        return keys;
    }
}
