package ai.caracal.devsts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** devtools.md §1.6 and §1.7 with an attached in-process store and no Redis. */
class RevokeAndInvalidateTest {

    private final InMemoryRevocationStore store = new InMemoryRevocationStore();
    private DevSts sts;
    private Http http;

    @BeforeEach
    void start() {
        sts = DevSts.builder().zones("zone_dev", "zone_two").revocations(store).start();
        http = new Http(sts);
    }

    @AfterEach
    void stop() {
        sts.close();
    }

    @Test
    void revokeWritesEveryDistinctAnchorToTheStore() {
        Http.Answer answer = http.postJson("/dev/revoke", Map.of("session_id", "rec-1", "sid", "rec-1",
                "root_sid", "root-1", "agent_session_id", "agent-1", "delegation_edge_id", "edge-1"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.object().get("revoked")).isEqualTo(List.of("rec-1", "root-1", "agent-1", "edge-1"));
        assertThat(List.of("rec-1", "root-1", "agent-1", "edge-1")).allMatch(store::isRevoked);
    }

    @Test
    void revokeAnswersTheSpecShape() {
        Http.Answer answer = http.postJson("/dev/revoke", Map.of("agent_session_id", "agent-7"));

        assertThat(List.copyOf(answer.object().keySet()))
                .containsExactly("revoked", "applied_to_store", "published", "stream", "stream_id");
        assertThat(answer.object()).containsEntry("revoked", List.of("agent-7")).containsEntry("applied_to_store", true)
                .containsEntry("published", false).containsEntry("stream", "caracal.sessions.revoke")
                .containsEntry("stream_id", null);
    }

    @Test
    void revokeWithoutAnAnchorIsInvalidRequest() {
        Http.Answer answer = http.postJson("/dev/revoke", Map.of("zone_id", "zone_dev", "reason", "x"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.description()).contains("at least one anchor");
    }

    @Test
    void revokeWithNeitherStoreNorRedisHasNothingToRevokeInto() {
        try (DevSts bare = DevSts.builder().start()) {
            Http.Answer answer = new Http(bare).postJson("/dev/revoke", Map.of("sid", "s-1"));

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.error()).isEqualTo("invalid_request");
            assertThat(answer.description()).startsWith("nothing to revoke into");
            assertThatThrownBy(() -> bare.revoke(RevokeRequest.builder().sid("s-1").build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("nothing to revoke into");
        }
    }

    @Test
    void javaRevokeMatchesTheEndpoint() {
        RevokeResult result = sts.revoke(RevokeRequest.builder().rootSid("root-9").reason("testing").build());

        assertThat(result.revoked()).containsExactly("root-9");
        assertThat(result.appliedToStore()).isTrue();
        assertThat(result.published()).isFalse();
        assertThat(result.streamId()).isEmpty();
        assertThat(store.isRevoked("root-9")).isTrue();
    }

    @Test
    void invalidateRaisesTheEpochByOne() {
        Http.Answer first = http.postJson("/dev/delegations/invalidate", Map.of("zone_id", "zone_dev"));
        Http.Answer second = http.postJson("/dev/delegations/invalidate", Map.of());

        assertThat(first.object()).containsEntry("epoch", 1L);
        assertThat(second.object()).containsEntry("epoch", 2L).containsEntry("zone_id", "zone_dev");
        assertThat(store.currentDelegationEpoch("zone_dev")).isEqualTo(2);
    }

    @Test
    void invalidateAnswersTheSpecShape() {
        Http.Answer answer = http.postJson("/dev/delegations/invalidate", Map.of("zone_id", "zone_two"));

        assertThat(List.copyOf(answer.object().keySet()))
                .containsExactly("zone_id", "epoch", "applied_to_store", "published", "stream_id");
        assertThat(answer.object()).containsEntry("zone_id", "zone_two").containsEntry("epoch", 1L)
                .containsEntry("applied_to_store", true).containsEntry("published", false).containsEntry("stream_id", null);
    }

    @Test
    void invalidateTakesTheLargerOfNextAndRequested() {
        assertThat(sts.invalidateDelegations("zone_dev", 7).epoch()).isEqualTo(7);
        assertThat(sts.invalidateDelegations("zone_dev", 3).epoch()).isEqualTo(8);
        assertThat(http.postJson("/dev/delegations/invalidate", Map.of("epoch", 20)).object()).containsEntry("epoch", 20L);
        assertThat(store.currentDelegationEpoch("zone_dev")).isEqualTo(20);
    }

    @Test
    void invalidateWithoutAStoreOnlyRaisesTheOwnEpoch() {
        try (DevSts bare = DevSts.builder().start()) {
            InvalidateResult result = bare.invalidateDelegations("zone_dev");

            assertThat(result.epoch()).isEqualTo(1);
            assertThat(result.appliedToStore()).isFalse();
            assertThat(result.published()).isFalse();
            assertThat(bare.zones().get(0).epoch()).isEqualTo(1);
        }
    }

    @Test
    void zonesListKidsAndEpochs() {
        sts.invalidateDelegations("zone_two");
        sts.invalidateDelegations("zone_epoch_only");

        Http.Answer answer = http.get("/dev/zones");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.object()).containsOnlyKeys("zones");
        List<?> zones = (List<?>) answer.object().get("zones");
        assertThat(zones).hasSize(3);
        assertThat(asMap(zones.get(0))).containsOnlyKeys("zone_id", "kids", "epoch").containsEntry("zone_id", "zone_dev")
                .containsEntry("kids", sts.zones().get(0).kids()).containsEntry("epoch", 0L);
        assertThat(asMap(zones.get(1))).containsEntry("zone_id", "zone_two").containsEntry("epoch", 1L);
        assertThat(asMap(zones.get(2))).containsEntry("zone_id", "zone_epoch_only").containsEntry("kids", List.of())
                .containsEntry("epoch", 1L);
    }

    @Test
    void healthIsOk() {
        Http.Answer answer = http.get("/health");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.raw().body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }
}
