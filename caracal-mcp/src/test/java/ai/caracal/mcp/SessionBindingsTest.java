package ai.caracal.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The session table of {@link McpBoundary} and the parts of its "session not found" answer, without HTTP. */
class SessionBindingsTest {

    private static SessionOwner owner(String zone, String sub, String client) {
        return new SessionOwner(zone, sub, client);
    }

    @Test
    @DisplayName("the owner is (zone_id, sub, client_id); nobody is only nobody")
    void ownerIdentity() {
        SessionOwner alice = owner("zone-1", "alice", "app-1");

        assertThat(alice).isEqualTo(owner("zone-1", "alice", "app-1"));
        assertThat(alice).isNotEqualTo(owner("zone-2", "alice", "app-1"));
        assertThat(alice).isNotEqualTo(owner("zone-1", "bob", "app-1"));
        assertThat(alice).isNotEqualTo(owner("zone-1", "alice", "app-2"));
        assertThat(alice).isNotEqualTo(SessionOwner.NOBODY);
    }

    @Test
    @DisplayName("a session belongs to its owner only, and only its owner can forget it")
    void ownership() {
        SessionBindings sessions = new SessionBindings(10);
        SessionOwner alice = owner("zone-1", "alice", "app-1");
        SessionOwner bob = owner("zone-1", "bob", "app-1");
        sessions.bind("s-1", alice);

        assertThat(sessions.isOwnedBy("s-1", alice)).isTrue();
        assertThat(sessions.isOwnedBy("s-1", bob)).isFalse();
        assertThat(sessions.isOwnedBy("s-2", alice)).isFalse();
        sessions.unbind("s-1", bob);
        assertThat(sessions.isOwnedBy("s-1", alice)).isTrue();
        sessions.unbind("s-1", alice);
        assertThat(sessions.size()).isZero();
    }

    @Test
    @DisplayName("beyond maxSessions the least recently used session is forgotten")
    void leastRecentlyUsedIsForgotten() {
        SessionBindings sessions = new SessionBindings(2);
        SessionOwner alice = owner("zone-1", "alice", "app-1");
        sessions.bind("s-1", alice);
        sessions.bind("s-2", alice);
        assertThat(sessions.isOwnedBy("s-1", alice)).isTrue();

        sessions.bind("s-3", alice);

        assertThat(sessions.size()).isEqualTo(2);
        assertThat(sessions.isOwnedBy("s-2", alice)).isFalse();
        assertThat(sessions.isOwnedBy("s-1", alice)).isTrue();
        assertThat(sessions.isOwnedBy("s-3", alice)).isTrue();
    }

    @Test
    @DisplayName("maxSessions must be at least 1")
    void maxSessionsIsPositive() {
        assertThatThrownBy(() -> McpBoundary.builder().maxSessions(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxSessions must be at least 1");
    }

    @Test
    @DisplayName("the named ID is put back only when it is URL-safe, everywhere the replacement appears")
    void namedIdIsPutBack() {
        assertThat(SessionIdEcho.isUrlSafe("3f2b0c7e-1d2a-4b5c-9e8f-0a1b2c3d4e5f")).isTrue();
        assertThat(SessionIdEcho.isUrlSafe("a\"b")).isFalse();
        assertThat(SessionIdEcho.isUrlSafe("a<b")).isFalse();
        assertThat(SessionIdEcho.isUrlSafe("")).isFalse();
        byte[] body = "{\"message\":\"Session not found: R\",\"m\":\"R R\"}".getBytes(StandardCharsets.US_ASCII);

        byte[] restored = SessionIdEcho.replaceAll(body, "R".getBytes(StandardCharsets.US_ASCII),
                "named-1".getBytes(StandardCharsets.US_ASCII));

        assertThat(new String(restored, StandardCharsets.US_ASCII))
                .isEqualTo("{\"message\":\"Session not found: named-1\",\"m\":\"named-1 named-1\"}");
    }
}
