package ai.caracal.verify.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * RFC 9728 protected resource metadata, which tells an OAuth-aware client (an MCP client, for
 * example) where this resource's metadata lives. Configure it on a connector to serve the document
 * and to add {@code resource_metadata} to every {@code WWW-Authenticate} challenge.
 *
 * <pre>{@code
 * ProtectedResourceMetadata.forResource("https://mcp.example.com/mcp")   // document at /.well-known/oauth-protected-resource/mcp
 *     .resourceName("Documents MCP");
 * }</pre>
 *
 * <ul>
 *   <li>The document path is {@code /.well-known/oauth-protected-resource} followed by the path of
 *       {@code resource}.</li>
 *   <li>The metadata URL is the origin of {@code resource} plus that path, never derived from a
 *       request's {@code Host}; {@link #metadataUrl(String)} overrides it. A resource that is not an
 *       {@code http(s)} URL (such as {@code resource://documents}) needs an explicit metadata URL.</li>
 *   <li>{@code authorization_servers} defaults to the verifier's issuer and {@code scopes_supported} to
 *       the union of the connector's required scopes.</li>
 * </ul>
 *
 * <p>Immutable: every method returns a new instance.
 */
public final class ProtectedResourceMetadata {

    /** The well-known path prefix of RFC 9728. */
    public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    private static final JsonFactory JSON = new JsonFactory();

    private final String resource;
    private final String metadataUrl;
    private final List<String> authorizationServers;
    private final List<String> scopesSupported;
    private final String resourceName;

    private ProtectedResourceMetadata(String resource, String metadataUrl, List<String> authorizationServers,
                                      List<String> scopesSupported, String resourceName) {
        this.resource = resource;
        this.metadataUrl = metadataUrl;
        this.authorizationServers = authorizationServers;
        this.scopesSupported = scopesSupported;
        this.resourceName = resourceName;
    }

    /**
     * @param resource the resource identifier clients see; for MCP clients the public {@code https} URL
     *                 of the endpoint, for example {@code https://mcp.example.com/mcp}
     * @return metadata with defaults for everything else
     * @throws IllegalArgumentException when the resource is blank or not a URI
     */
    public static ProtectedResourceMetadata forResource(String resource) {
        Objects.requireNonNull(resource, "resource");
        if (resource.isBlank()) {
            throw new IllegalArgumentException("resource must not be blank");
        }
        parse(resource, "resource");
        return new ProtectedResourceMetadata(resource, null, null, null, null);
    }

    /**
     * @param url where clients fetch the document (required for a non-{@code http(s)} resource)
     * @return a copy with this metadata URL
     */
    public ProtectedResourceMetadata metadataUrl(String url) {
        URI uri = parse(Objects.requireNonNull(url, "metadataUrl"), "metadataUrl");
        if (!isHttp(uri)) {
            throw new IllegalArgumentException("metadataUrl must be an absolute http(s) URL");
        }
        return new ProtectedResourceMetadata(resource, url, authorizationServers, scopesSupported, resourceName);
    }

    /**
     * @param servers the {@code authorization_servers} (default: the verifier's issuer)
     * @return a copy with these servers
     */
    public ProtectedResourceMetadata authorizationServers(String... servers) {
        return new ProtectedResourceMetadata(resource, metadataUrl, List.of(servers), scopesSupported, resourceName);
    }

    /**
     * @param scopes the {@code scopes_supported} (default: the connector's required scopes)
     * @return a copy with these scopes
     */
    public ProtectedResourceMetadata scopesSupported(String... scopes) {
        return new ProtectedResourceMetadata(resource, metadataUrl, authorizationServers, List.of(scopes), resourceName);
    }

    /**
     * @param name a human-readable {@code resource_name}
     * @return a copy with this name
     */
    public ProtectedResourceMetadata resourceName(String name) {
        return new ProtectedResourceMetadata(resource, metadataUrl, authorizationServers, scopesSupported,
                Objects.requireNonNull(name, "resourceName"));
    }

    /** @return the resource identifier */
    public String resource() {
        return resource;
    }

    /** @return {@code /.well-known/oauth-protected-resource} plus the path of the resource */
    public String documentPath() {
        String path = parse(resource, "resource").getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return WELL_KNOWN;
        }
        return WELL_KNOWN + (path.startsWith("/") ? path : "/" + path);
    }

    /**
     * @return the URL clients fetch the document from: the explicit one, or the resource's origin plus
     *         {@link #documentPath()}
     * @throws IllegalStateException for a non-{@code http(s)} resource without an explicit URL
     */
    public String metadataUrl() {
        if (metadataUrl != null) {
            return metadataUrl;
        }
        URI uri = parse(resource, "resource");
        if (!isHttp(uri)) {
            throw new IllegalStateException("resource " + resource + " is not an http(s) URL: set metadataUrl(...)");
        }
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + documentPath();
    }

    /** @return the configured {@code authorization_servers}, if any */
    public Optional<List<String>> authorizationServers() {
        return Optional.ofNullable(authorizationServers);
    }

    /** @return the configured {@code scopes_supported}, if any */
    public Optional<List<String>> scopesSupported() {
        return Optional.ofNullable(scopesSupported);
    }

    /** @return the configured {@code resource_name}, if any */
    public Optional<String> resourceName() {
        return Optional.ofNullable(resourceName);
    }

    /**
     * @param issuer        the verifier's issuer (the default authorization server)
     * @param derivedScopes the connector's required scopes (the default {@code scopes_supported})
     * @return the document as compact JSON
     */
    String document(String issuer, List<String> derivedScopes) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("resource", resource);
            writeArray(json, "authorization_servers", authorizationServers != null ? authorizationServers : List.of(issuer));
            writeArray(json, "bearer_methods_supported", List.of("header"));
            writeArray(json, "scopes_supported", scopesSupported != null ? scopesSupported
                    : new ArrayList<>(new LinkedHashSet<>(derivedScopes)));
            if (resourceName != null) {
                json.writeStringField("resource_name", resourceName);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Fails fast at construction when the metadata URL cannot be worked out.
     *
     * @throws IllegalArgumentException for a non-{@code http(s)} resource without an explicit URL
     *                                  (a construction error, connectors.md §2.4 and §4)
     */
    void validate() {
        try {
            metadataUrl();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static void writeArray(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static boolean isHttp(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("https") || scheme.equals("http")) && uri.getRawAuthority() != null;
    }

    private static URI parse(String value, String option) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + " is not a valid URI");
        }
    }

    @Override
    public String toString() {
        return "ProtectedResourceMetadata[" + resource + "]";
    }
}
