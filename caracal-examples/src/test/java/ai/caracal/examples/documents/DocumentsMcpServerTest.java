package ai.caracal.examples.documents;

import static ai.caracal.examples.documents.McpHttp.INITIALIZE;
import static ai.caracal.examples.documents.McpHttp.json;
import static ai.caracal.examples.documents.McpHttp.post;
import static ai.caracal.examples.documents.McpHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The embedding API of {@link DocumentsMcpServer}: options, configuration errors, lifecycle. */
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class DocumentsMcpServerTest {

    private TestIssuer issuer;

    @BeforeEach
    void setUp(TestIssuer issuer) {
        issuer.clock().set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        this.issuer = issuer;
    }

    private DocumentsMcpServer.Builder server() {
        return DocumentsMcpServer.builder().port(0).issuer(issuer.url()).zoneId("zone_dev").revocations(issuer.revocations());
    }

    @Test
    @DisplayName("an explicit resource URL is the metadata's resource and sets the challenge's metadata URL")
    void explicitResourceUrl() {
        try (DocumentsMcpServer server = server().resourceUrl("https://mcp.example.com/mcp").build().start()) {
            HttpResponse<String> rejected = post(server.mcpUrl(), null, null, INITIALIZE);
            HttpResponse<String> document = send(HttpRequest.newBuilder(
                    server.baseUrl().resolve("/.well-known/oauth-protected-resource/mcp")).GET());

            assertThat(server.resource()).isEqualTo("https://mcp.example.com/mcp");
            assertThat(rejected.headers().firstValue("WWW-Authenticate"))
                    .hasValue("Bearer resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\"");
            assertThat(json(document.body())).containsEntry("resource", "https://mcp.example.com/mcp");
        }
    }

    @Test
    @DisplayName("the metadata document path follows the resource URL's path")
    void documentPathFollowsResourcePath() {
        try (DocumentsMcpServer server = server().resourceUrl("https://example.com/tools/mcp").build().start()) {
            URI document = server.baseUrl().resolve("/.well-known/oauth-protected-resource/tools/mcp");

            assertThat(send(HttpRequest.newBuilder(document).GET()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("wwwAuthenticate(false): no challenge header, the same JSON body")
    void withoutChallenge() {
        try (DocumentsMcpServer server = server().wwwAuthenticate(false).build().start()) {
            HttpResponse<String> rejected = post(server.mcpUrl(), null, null, INITIALIZE);

            assertThat(rejected.statusCode()).isEqualTo(401);
            assertThat(rejected.headers().firstValue("WWW-Authenticate")).isEmpty();
            assertThat(json(rejected.body())).containsEntry("error", "missing_token");
        }
    }

    @Test
    @DisplayName("audience, scopes and requireAgent are configurable")
    void boundaryOptions() {
        try (DocumentsMcpServer server = server().audience("resource://docs-2").requiredScopes("documents:read")
                .requireAgent(false).build().start()) {
            String token = issuer.mint().audience("resource://docs-2").scope("documents:read").sign();

            assertThat(post(server.mcpUrl(), "Bearer " + token, null, INITIALIZE).statusCode()).isEqualTo(200);
            assertThat(post(server.mcpUrl(), "Bearer " + issuer.mint().audience("resource://docs-2").scope("tool:call").sign(),
                    null, INITIALIZE).statusCode()).isEqualTo(403);
        }
    }

    @Test
    @DisplayName("configuration errors are reported by build(), naming what to set")
    void configurationErrors() {
        assertThatThrownBy(() -> DocumentsMcpServer.builder().revocations(new InMemoryRevocationStore()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Caracal issuer missing: set issuer or CARACAL_STS_URL");
        assertThatThrownBy(() -> DocumentsMcpServer.builder().issuer(issuer.url()).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("revocation store");
        assertThatThrownBy(() -> server().resourceUrl("resource://documents").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> server().issuer("not a url").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DocumentsMcpServer.builder().port(70_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a port in use fails start() with the address in the message")
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            DocumentsMcpServer server = server().port(taken.getLocalPort()).build();

            assertThatThrownBy(server::start).isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    @DisplayName("start() once; close() is idempotent, stops serving, and leaves the store to its owner")
    void lifecycle() {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        DocumentsMcpServer server = server().revocations(store).build().start();
        URI healthz = server.baseUrl().resolve("/healthz");
        assertThat(send(HttpRequest.newBuilder(healthz).GET()).statusCode()).isEqualTo(200);

        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        server.close();
        server.close();

        assertThatThrownBy(() -> send(HttpRequest.newBuilder(healthz).GET())).isInstanceOf(UncheckedIOException.class);
        store.revoke("still-usable");
        assertThat(store.isRevoked("still-usable")).isTrue();
    }
}
