package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.devsts.DevSts;
import ai.caracal.devsts.MintRequest;
import ai.caracal.examples.documents.DocumentsMcpServer;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * D27's probe on its own, so that the row is seen to fail: a stream whose mandate nothing revokes is
 * reported {@code stream_open} after the probe's wait. (The passing row runs in {@link DemoCommandTest}.)
 */
@Tag("integration")
class DemoStreamRowTest {

    @Test
    @DisplayName("D27: a GET stream whose agent session is revoked is ended by the server: stream_closed")
    void revokedStreamIsClosed() throws InterruptedException {
        try (DemoRevocations revocations = DemoRevocations.inMemory();
             DevSts sts = revocations.attachTo(DevSts.builder().zones(DevSts.DEFAULT_ZONE)).start();
             DocumentsMcpServer server = DocumentsMcpServer.builder().issuer(sts.issuer()).zoneId(DevSts.DEFAULT_ZONE)
                     .audience(DocumentsMcpServer.DEFAULT_AUDIENCE).requiredScopes(DocumentsMcpServer.DEFAULT_SCOPE)
                     .requireAgent(true).revocations(revocations.store()).build().start()) {
            for (int i = 0; i < 3; i++) {
                var minted = sts.mint(MintRequest.builder().zoneId(DevSts.DEFAULT_ZONE).audience(DocumentsMcpServer.DEFAULT_AUDIENCE)
                        .scope("tool:call").agentSessionId(MintRequest.NEW).build());
                String agent = (String) minted.claims().get("agent_session_id");
                DemoObservation observed = new McpProbe(server.mcpUrl())
                        .streamClosedBy("Bearer " + minted.accessToken(), server::notifyToolsListChanged,
                                () -> revocations.store().revoke(agent))
                        .withoutToken(minted.accessToken());
                assertThat(observed.got()).as(observed.body()).isEqualTo("stream_closed");
            }
        }
    }

    @Test
    @DisplayName("D27: a GET stream whose mandate is not revoked stays open: stream_open, and the row fails")
    void unrevokedStreamStaysOpen() throws InterruptedException {
        try (DemoRevocations revocations = DemoRevocations.inMemory();
             DevSts sts = revocations.attachTo(DevSts.builder().zones(DevSts.DEFAULT_ZONE)).start();
             DocumentsMcpServer server = DocumentsMcpServer.builder().issuer(sts.issuer()).zoneId(DevSts.DEFAULT_ZONE)
                     .audience(DocumentsMcpServer.DEFAULT_AUDIENCE).requiredScopes(DocumentsMcpServer.DEFAULT_SCOPE)
                     .requireAgent(true).revocations(revocations.store()).build().start()) {
            String token = sts.mint(MintRequest.builder().zoneId(DevSts.DEFAULT_ZONE).audience(DocumentsMcpServer.DEFAULT_AUDIENCE)
                    .scope("tool:call").agentSessionId(MintRequest.NEW).build()).accessToken();

            DemoObservation observed = new McpProbe(server.mcpUrl())
                    .streamClosedBy("Bearer " + token, server::notifyToolsListChanged, () -> { })
                    .withoutToken(token);

            assertThat(observed.got()).isEqualTo("stream_open");
            assertThat(observed.at()).isEqualTo(DemoObservation.STREAM);
            assertThat(observed.http()).isEqualTo(OptionalInt.of(200));
            assertThat(DemoCase.D27.matches(observed)).isFalse();
        }
    }
}
