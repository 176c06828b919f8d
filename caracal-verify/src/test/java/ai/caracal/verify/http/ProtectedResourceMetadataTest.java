package ai.caracal.verify.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.verify.Requirements;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** connectors.md §2.4: RFC 9728 document path, metadata URL, construction errors and the document. */
class ProtectedResourceMetadataTest {

    private static final String ISSUER = "https://sts.example.com";

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "https://mcp.example.com/mcp       | /.well-known/oauth-protected-resource/mcp",
            "https://api.example.com           | /.well-known/oauth-protected-resource",
            "https://api.example.com/          | /.well-known/oauth-protected-resource",
            "https://api.example.com/v1/docs   | /.well-known/oauth-protected-resource/v1/docs",
            "https://api.example.com/mcp?x=1   | /.well-known/oauth-protected-resource/mcp",
            "http://127.0.0.1:8080/mcp         | /.well-known/oauth-protected-resource/mcp",
            "resource://documents              | /.well-known/oauth-protected-resource"})
    @DisplayName("document path: the well-known prefix plus the path of resource")
    void documentPath(String resource, String path) {
        assertThat(ProtectedResourceMetadata.forResource(resource).documentPath()).isEqualTo(path);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "https://mcp.example.com/mcp       | https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
            "https://api.example.com           | https://api.example.com/.well-known/oauth-protected-resource",
            "http://127.0.0.1:8080/mcp         | http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp",
            "HTTPS://mcp.example.com:8443/mcp  | https://mcp.example.com:8443/.well-known/oauth-protected-resource/mcp"})
    @DisplayName("metadata URL: origin of resource plus the document path")
    void metadataUrlIsOriginPlusDocumentPath(String resource, String url) {
        assertThat(ProtectedResourceMetadata.forResource(resource).metadataUrl()).isEqualTo(url);
    }

    @Test
    @DisplayName("an explicit metadataUrl overrides the derived one, also for a non-http(s) resource")
    void explicitMetadataUrlWins() {
        assertThat(ProtectedResourceMetadata.forResource("https://mcp.example.com/mcp").metadataUrl("https://meta.example.com/m").metadataUrl())
                .isEqualTo("https://meta.example.com/m");
        ProtectedResourceMetadata documents = ProtectedResourceMetadata.forResource("resource://documents")
                .metadataUrl("https://docs.example.com/.well-known/oauth-protected-resource");
        assertThat(documents.metadataUrl()).isEqualTo("https://docs.example.com/.well-known/oauth-protected-resource");
        assertThat(documents.documentPath()).isEqualTo("/.well-known/oauth-protected-resource");
    }

    @Test
    @DisplayName("a non-http(s) resource without metadataUrl has no metadata URL")
    void nonHttpResourceHasNoDerivedUrl() {
        assertThatThrownBy(() -> ProtectedResourceMetadata.forResource("resource://documents").metadataUrl())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("resource resource://documents is not an http(s) URL: set metadataUrl(...)");
    }

    @Test
    @DisplayName("a non-http(s) resource without metadataUrl is a construction error (IllegalArgumentException)")
    void nonHttpResourceWithoutUrlFailsConstruction() {
        HttpBoundary.Builder builder = boundary().resourceMetadata(ProtectedResourceMetadata.forResource("resource://documents"));
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resource resource://documents is not an http(s) URL: set metadataUrl(...)");
    }

    @Test
    @DisplayName("forResource: null, blank and unparsable resources are rejected")
    void badResources() {
        assertThatThrownBy(() -> ProtectedResourceMetadata.forResource(null)).isInstanceOf(NullPointerException.class).hasMessage("resource");
        assertThatThrownBy(() -> ProtectedResourceMetadata.forResource(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resource must not be blank");
        assertThatThrownBy(() -> ProtectedResourceMetadata.forResource("https://a b/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resource is not a valid URI");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"resource://documents", "/relative/path", "mailto:a@example.com", "https:///no-host"})
    @DisplayName("metadataUrl must be an absolute http(s) URL")
    void metadataUrlMustBeHttp(String url) {
        ProtectedResourceMetadata metadata = ProtectedResourceMetadata.forResource("resource://documents");
        assertThatThrownBy(() -> metadata.metadataUrl(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metadataUrl must be an absolute http(s) URL");
    }

    @Test
    @DisplayName("metadataUrl: unparsable and null values are rejected")
    void metadataUrlUnparsable() {
        ProtectedResourceMetadata metadata = ProtectedResourceMetadata.forResource("https://api.example.com");
        assertThatThrownBy(() -> metadata.metadataUrl("https://a b/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metadataUrl is not a valid URI");
        assertThatThrownBy(() -> metadata.metadataUrl(null)).isInstanceOf(NullPointerException.class).hasMessage("metadataUrl");
    }

    @Test
    @DisplayName("document: resource, authorization_servers [issuer], bearer_methods_supported [header], scopes_supported")
    void defaultDocument() {
        String document = ProtectedResourceMetadata.forResource("https://mcp.example.com/mcp").document(ISSUER, List.of("tool:call"));
        assertThat(document).isEqualTo("{\"resource\":\"https://mcp.example.com/mcp\",\"authorization_servers\":[\"https://sts.example.com\"],"
                + "\"bearer_methods_supported\":[\"header\"],\"scopes_supported\":[\"tool:call\"]}");
    }

    @Test
    @DisplayName("document: derived scopes keep their order with duplicates removed; resource_name comes last when set")
    void documentWithNameAndDuplicateScopes() {
        String document = ProtectedResourceMetadata.forResource("https://api.example.com").resourceName("Payouts & <Docs>")
                .document(ISSUER, List.of("read", "payout", "read", "payout:bulk", "payout"));
        assertThat(document).isEqualTo("{\"resource\":\"https://api.example.com\",\"authorization_servers\":[\"https://sts.example.com\"],"
                + "\"bearer_methods_supported\":[\"header\"],\"scopes_supported\":[\"read\",\"payout\",\"payout:bulk\"],"
                + "\"resource_name\":\"Payouts & <Docs>\"}");
    }

    @Test
    @DisplayName("document: explicit authorization_servers and scopes_supported replace the defaults; no scopes gives []")
    void explicitServersAndScopes() {
        ProtectedResourceMetadata metadata = ProtectedResourceMetadata.forResource("https://api.example.com")
                .authorizationServers("https://as1.example.com", "https://as2.example.com").scopesSupported("a", "b");
        assertThat(metadata.document(ISSUER, List.of("read"))).isEqualTo("{\"resource\":\"https://api.example.com\","
                + "\"authorization_servers\":[\"https://as1.example.com\",\"https://as2.example.com\"],"
                + "\"bearer_methods_supported\":[\"header\"],\"scopes_supported\":[\"a\",\"b\"]}");
        assertThat(ProtectedResourceMetadata.forResource("https://api.example.com").document(ISSUER, List.of()))
                .contains("\"scopes_supported\":[]");
    }

    @Test
    @DisplayName("every option returns a new instance and leaves the original unchanged")
    void immutable() {
        ProtectedResourceMetadata original = ProtectedResourceMetadata.forResource("https://api.example.com");
        ProtectedResourceMetadata named = original.resourceName("Docs").scopesSupported("x").authorizationServers("https://as.example.com")
                .metadataUrl("https://meta.example.com/m");
        assertThat(named).isNotSameAs(original);
        assertThat(original.resourceName()).isEmpty();
        assertThat(original.scopesSupported()).isEmpty();
        assertThat(original.authorizationServers()).isEmpty();
        assertThat(original.metadataUrl()).isEqualTo("https://api.example.com/.well-known/oauth-protected-resource");
        assertThat(named.resourceName()).contains("Docs");
        assertThat(named.scopesSupported()).contains(List.of("x"));
        assertThat(named.authorizationServers()).contains(List.of("https://as.example.com"));
        assertThat(named.resource()).isEqualTo("https://api.example.com");
    }

    @Test
    @DisplayName("served by a boundary: scopes_supported is the default rule's scopes, then each route's in registration order")
    void boundaryDerivesScopesFromRules() {
        HttpBoundary boundary = boundary()
                .route("/payouts", Requirements.builder().requiredScopes("payout").requireAgent(true).build())
                .route("/payouts/bulk", Requirements.builder().requiredScopes("payout:bulk").build())
                .route("/reports", Requirements.builder().requiredScopes("read", "report").build())
                .route("/admin", Requirements.builder().requireAgent(true).build())
                .resourceMetadata(ProtectedResourceMetadata.forResource("https://api.example.com/api"))
                .build();
        BoundaryResponse response = boundary.metadataEndpoint().orElseThrow().response("GET");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"resource\":\"https://api.example.com/api\","
                + "\"authorization_servers\":[\"http://127.0.0.1:9\"],\"bearer_methods_supported\":[\"header\"],"
                + "\"scopes_supported\":[\"read\",\"payout\",\"payout:bulk\",\"report\"]}");
        assertThat(boundary.metadataEndpoint().orElseThrow().documentPath()).isEqualTo("/.well-known/oauth-protected-resource/api");
    }

    @Test
    @DisplayName("a boundary without resourceMetadata has no metadata endpoint")
    void noMetadataNoEndpoint() {
        assertThat(boundary().build().metadataEndpoint()).isEmpty();
    }

    private static HttpBoundary.Builder boundary() {
        return HttpBoundary.builder().issuer("http://127.0.0.1:9").audience("https://api.example.com").zoneId("zone-1")
                .revocations(new InMemoryRevocationStore())
                .verifierOptions(v -> v.requiredScopes("read"))
                .environment(name -> null);
    }
}
