package ai.caracal.examples.documents;

import ai.caracal.mcp.CaracalMcp;
import ai.caracal.mcp.McpBoundary;
import ai.caracal.mcp.McpPolicy;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.servlet.CaracalFilter;
import ai.caracal.servlet.ProtectedResourceMetadataServlet;
import ai.caracal.verify.JwksUnavailableException;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.http.ProtectedResourceMetadata;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code documents-mcp} example server (the seeds' FastMCP example, in Java): an MCP Java SDK server
 * over Streamable HTTP on embedded Jetty 12, protected as connectors.md §7 describes.
 *
 * <pre>{@code
 * try (DocumentsMcpServer server = DocumentsMcpServer.builder()
 *         .issuer(System.getenv("CARACAL_STS_URL")).zoneId(System.getenv("CARACAL_ZONE_ID"))
 *         .revocations(revocations)
 *         .build()
 *         .start()) {
 *     System.out.println("listening on " + server.mcpUrl());
 *     ...
 * }
 * }</pre>
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>Path</th><th>What</th></tr>
 *   <tr><td>{@code /mcp}</td><td>the SDK's {@code HttpServletStreamableServerTransportProvider}
 *       (async-supported) behind {@link CaracalFilter}, which verifies every request (POST, GET, DELETE)
 *       and advertises the metadata URL in its challenges, then {@link McpBoundary}, which keeps each
 *       session to the principal that initialized it</td></tr>
 *   <tr><td>{@code /.well-known/oauth-protected-resource/mcp}</td><td>the RFC 9728 document, unauthenticated
 *       (the path follows the resource URL's path)</td></tr>
 *   <tr><td>{@code /healthz}</td><td>{@code {"status":"ok"}}, outside the filter: no verification, no claims</td></tr>
 * </table>
 *
 * <p>Tools: {@code search(query)}, {@code get_document(doc_id)} (also requires
 * {@link #GET_DOCUMENT_BOUNDARY_REQUIREMENTS} at the boundary, or {@link #GET_DOCUMENT_REQUIREMENTS} in the
 * tool: {@link ToolChecks}) and {@code whoami()}. A request whose {@code Origin} is not the server's own
 * (or the public resource URL's) is 403 (connectors.md §10.2 M8).
 *
 * <p>The server never closes the revocation store it is given. {@link #close()} stops the MCP server
 * and the HTTP server; it is idempotent. Thread-safe: {@code start}, {@code close} and the accessors
 * are synchronized, and the running server handles requests concurrently.
 */
public final class DocumentsMcpServer implements AutoCloseable {

    /** The MCP endpoint path. */
    public static final String MCP_PATH = "/mcp";

    /** The default audience: {@code resource://documents}. */
    public static final String DEFAULT_AUDIENCE = "resource://documents";

    /** The default boundary scope: {@code tool:call}. */
    public static final String DEFAULT_SCOPE = "tool:call";

    /** The largest JSON-RPC body the transport reads: 1 MiB (the tools take a few short strings). */
    public static final int MAX_REQUEST_BYTES = 1 << 20;

    /**
     * What {@code get_document} demands on top of the boundary rule: a delegated mandate whose chain
     * contains {@code app_orchestrator}, with at most 2 hops.
     */
    public static final Requirements GET_DOCUMENT_REQUIREMENTS = Requirements.builder()
            .requireDelegation(true).requireChainContains("app_orchestrator").maxHopCount(2).build();

    /** The scope {@code get_document} also needs when its rule is checked at the boundary: {@code documents:read}. */
    public static final String DOCUMENTS_READ = "documents:read";

    /**
     * What {@code get_document} demands with {@link ToolChecks#BOUNDARY}: {@link #DOCUMENTS_READ} and
     * {@link #GET_DOCUMENT_REQUIREMENTS}, as an {@link McpPolicy} rule checked before the transport.
     */
    public static final Requirements GET_DOCUMENT_BOUNDARY_REQUIREMENTS = Requirements.builder()
            .requiredScopes(DOCUMENTS_READ)
            .requireDelegation(true).requireChainContains("app_orchestrator").maxHopCount(2).build();

    /** Where {@code get_document}'s own requirements are checked. */
    public enum ToolChecks {
        /**
         * At the boundary (connectors.md §10.2 M9, M10): an {@link McpPolicy} rule with
         * {@link #GET_DOCUMENT_BOUNDARY_REQUIREMENTS}; an unmet one is HTTP 401/403 before the tool runs (a
         * missing {@code documents:read} a step-up challenge naming it), and {@code tools/list} shows
         * {@code get_document} only to mandates that may call it. Routing headers are cross-checked.
         * The default.
         */
        BOUNDARY,
        /**
         * In the tool, as the seeds' example does (connectors.md §7.1): {@link CaracalMcp#guard} with
         * {@link #GET_DOCUMENT_REQUIREMENTS}; an unmet one is an HTTP 200 result with {@code isError} and
         * {@code structuredContent.error}. No {@code documents:read} rule.
         */
        IN_TOOL
    }

    private static final Logger log = LoggerFactory.getLogger(DocumentsMcpServer.class);

    private static final McpPolicy POLICY = McpPolicy.builder().tool("get_document", GET_DOCUMENT_BOUNDARY_REQUIREMENTS).build();

    private final String host;
    private final int port;
    private final String resourceUrl;
    private final boolean wwwAuthenticate;
    private final ToolChecks toolChecks;
    private final List<String> authorizationServers;
    private final MandateVerifier verifier;
    private Server jetty;
    private McpSyncServer mcp;
    private URI baseUrl;
    private String resource;
    private boolean closed;

    private DocumentsMcpServer(Builder config, MandateVerifier verifier) {
        this.host = config.host;
        this.port = config.port;
        this.resourceUrl = config.resourceUrl;
        this.wwwAuthenticate = config.wwwAuthenticate;
        this.toolChecks = config.toolChecks;
        this.authorizationServers = config.authorizationServers;
        this.verifier = verifier;
    }

    /** @return a builder; an issuer and a revocation store are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port, starts serving, then fetches the key set (devtools.md D18): a failure (an
     * unreachable issuer, a missing zone) is logged in one WARN line that names the URL and the answer,
     * and the server keeps running, rejecting every mandate until it can fetch the keys.
     *
     * @return this server
     * @throws IllegalStateException when already started or closed
     * @throws UncheckedIOException  when the address cannot be bound
     */
    public synchronized DocumentsMcpServer start() {
        if (jetty != null || closed) {
            throw new IllegalStateException("the server can be started once");
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        try {
            connector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        jetty = server;
        baseUrl = URI.create("http://" + hostForUrl(host) + ":" + connector.getLocalPort());
        resource = resourceUrl != null ? resourceUrl : baseUrl + MCP_PATH;

        ProtectedResourceMetadata metadata = ProtectedResourceMetadata.forResource(resource);
        if (toolChecks == ToolChecks.BOUNDARY) {
            List<String> scopes = new ArrayList<>(verifier.options().requiredScopes());
            scopes.add(DOCUMENTS_READ);
            metadata = metadata.scopesSupported(scopes.toArray(String[]::new));
        }
        if (!authorizationServers.isEmpty()) {
            metadata = metadata.authorizationServers(authorizationServers.toArray(String[]::new));
        }
        CaracalFilter.Builder caracal = CaracalFilter.builder()
                .verifier(verifier)
                .wwwAuthenticate(wwwAuthenticate)
                .resourceMetadata(metadata);
        // M8: browsers may call only from this server's own origin (and the public one, behind a proxy).
        if (resourceUrl != null) {
            URI publicUrl = URI.create(resourceUrl);
            caracal.allowedOrigins(publicUrl.getScheme() + "://" + publicUrl.getRawAuthority());
        } else {
            caracal.allowedOrigins();
        }
        CaracalFilter boundary = caracal.build();
        McpBoundary mcpBoundary = toolChecks == ToolChecks.BOUNDARY
                ? McpBoundary.builder().policy(POLICY, boundary.boundary()).maxRequestBytes(MAX_REQUEST_BYTES).build()
                : McpBoundary.create();
        McpJsonMapper json = McpJsonDefaults.getMapper();
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(new JsonRpcErrorMapper(json))
                .mcpEndpoint(MCP_PATH)
                .contextExtractor(CaracalMcp.contextExtractor())
                .maxRequestSize(MAX_REQUEST_BYTES)
                // SDK 2.1.0 and 2.2.0 run the idle-session sweeper on a non-daemon thread that close() cannot stop,
                // which would keep an embedding JVM alive. Sessions still end on DELETE and on close().
                .sessionSweepInterval(null)
                .build();
        mcp = McpServer.sync(transport)
                .serverInfo("documents-mcp", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .jsonMapper(json)
                .tools(new DocumentTools(json, toolChecks == ToolChecks.BOUNDARY
                        ? GET_DOCUMENT_BOUNDARY_REQUIREMENTS : GET_DOCUMENT_REQUIREMENTS).all())
                .build();

        ServletContextHandler context = new ServletContextHandler();
        FilterHolder filter = new FilterHolder(boundary);
        filter.setAsyncSupported(true);
        context.addFilter(filter, MCP_PATH, EnumSet.of(DispatcherType.REQUEST));
        // After the CaracalFilter mapping: sessions belong to the principal that initialized them (M12), and,
        // with ToolChecks.BOUNDARY, get_document's rule is checked before the transport (M9, M10).
        FilterHolder sessions = new FilterHolder(mcpBoundary);
        sessions.setAsyncSupported(true);
        context.addFilter(sessions, MCP_PATH, EnumSet.of(DispatcherType.REQUEST));
        addServlet(context, transport, MCP_PATH);
        addServlet(context, new ProtectedResourceMetadataServlet(boundary.metadata()), boundary.metadata().documentPath());
        addServlet(context, new HealthServlet(), "/healthz");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the server did not start: " + e.getMessage(), e);
        }
        try {
            verifier.warmup();
        } catch (JwksUnavailableException e) {
            log.warn("Caracal JWKS warm-up failed; keys will be fetched on first use: {}", e.getMessage());
        }
        return this;
    }

    /** @return the local base URL, {@code http://<host>:<port>} with the bound port */
    public synchronized URI baseUrl() {
        requireStarted();
        return baseUrl;
    }

    /** @return the local MCP endpoint, {@code http://<host>:<port>/mcp} */
    public URI mcpUrl() {
        return URI.create(baseUrl() + MCP_PATH);
    }

    /** @return the RFC 9728 {@code resource}: the configured resource URL, or {@link #mcpUrl()} */
    public synchronized String resource() {
        requireStarted();
        return resource;
    }

    /**
     * Sends {@code notifications/tools/list_changed} to every session, on its {@code GET} stream (the
     * transport sends a stream's head with its first event): {@code caracal demo} uses it to see a stream
     * open before it revokes its mandate (devtools.md §4.2, D27).
     *
     * @throws IllegalStateException when the server is not started
     */
    public synchronized void notifyToolsListChanged() {
        requireStarted();
        mcp.notifyToolsListChanged();
    }

    /** Stops the MCP server and the HTTP server. Idempotent; never closes the revocation store. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (mcp != null) {
            mcp.closeGracefully();
        }
        if (jetty != null) {
            try {
                jetty.stop();
            } catch (Exception e) {
                throw new IllegalStateException("the server did not stop cleanly: " + e.getMessage(), e);
            }
        }
    }

    private void requireStarted() {
        if (baseUrl == null) {
            throw new IllegalStateException("the server is not started");
        }
    }

    private static void addServlet(ServletContextHandler context, HttpServlet servlet, String pathSpec) {
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, pathSpec);
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /**
     * Builder for {@link DocumentsMcpServer}. Setters reject {@code null} with a
     * {@link NullPointerException} naming the option, except where noted. Reads no environment
     * variables: the caller (for example {@code caracal serve}) decides the defaults. Not thread-safe.
     */
    public static final class Builder {

        private String host = "127.0.0.1";
        private int port = 8080;
        private String issuer;
        private String zoneId;
        private String audience = DEFAULT_AUDIENCE;
        private List<String> requiredScopes = List.of(DEFAULT_SCOPE);
        private boolean requireAgent = true;
        private RevocationStore revocations;
        private String resourceUrl;
        private boolean wwwAuthenticate = true;
        private ToolChecks toolChecks = ToolChecks.BOUNDARY;
        private List<String> authorizationServers = List.of();

        private Builder() {
        }

        /**
         * @param toolChecks where {@code get_document}'s requirements are checked; default
         *                   {@link ToolChecks#BOUNDARY}
         * @return this builder
         */
        public Builder toolChecks(ToolChecks toolChecks) {
            this.toolChecks = Objects.requireNonNull(toolChecks, "toolChecks");
            return this;
        }

        /**
         * @param servers the RFC 9728 {@code authorization_servers} (where clients obtain mandates, for
         *                example an OAuth token endpoint's issuer); default: the issuer
         * @return this builder
         */
        public Builder authorizationServers(String... servers) {
            this.authorizationServers = List.copyOf(Arrays.asList(Objects.requireNonNull(servers, "authorizationServers")));
            return this;
        }

        /**
         * @param host the address to bind; default {@code 127.0.0.1}
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param port the port to bind, {@code 0} for any free one; default {@code 8080}
         * @return this builder
         * @throws IllegalArgumentException outside 0–65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535");
            }
            this.port = port;
            return this;
        }

        /**
         * @param issuer the STS base URL (required)
         * @return this builder
         */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /**
         * @param zoneId the zone mandates must belong to; {@code null} for none (the verifier logs a WARN)
         * @return this builder
         */
        public Builder zoneId(String zoneId) {
            this.zoneId = zoneId;
            return this;
        }

        /**
         * @param audience this server's audience; default {@code resource://documents}
         * @return this builder
         */
        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /**
         * @param scopes the boundary's required scopes; default {@code tool:call}
         * @return this builder
         */
        public Builder requiredScopes(String... scopes) {
            this.requiredScopes = List.copyOf(Arrays.asList(Objects.requireNonNull(scopes, "requiredScopes")));
            return this;
        }

        /**
         * @param scopes the boundary's required scopes; default {@code tool:call}
         * @return this builder
         */
        public Builder requiredScopes(List<String> scopes) {
            this.requiredScopes = List.copyOf(Objects.requireNonNull(scopes, "requiredScopes"));
            return this;
        }

        /**
         * @param requireAgent whether the boundary demands an agent session; default {@code true}
         * @return this builder
         */
        public Builder requireAgent(boolean requireAgent) {
            this.requireAgent = requireAgent;
            return this;
        }

        /**
         * @param revocations the revocation store (required); never closed by the server
         * @return this builder
         */
        public Builder revocations(RevocationStore revocations) {
            this.revocations = Objects.requireNonNull(revocations, "revocations");
            return this;
        }

        /**
         * @param resourceUrl the public URL of the MCP endpoint, used as the RFC 9728 {@code resource}
         *                    and to derive the metadata URL; {@code null} for the default
         *                    {@code http://<host>:<port>/mcp} with the bound port
         * @return this builder
         */
        public Builder resourceUrl(String resourceUrl) {
            this.resourceUrl = resourceUrl;
            return this;
        }

        /**
         * @param enabled whether rejections carry {@code WWW-Authenticate}; default {@code true}
         * @return this builder
         */
        public Builder wwwAuthenticate(boolean enabled) {
            this.wwwAuthenticate = enabled;
            return this;
        }

        /**
         * Builds the verifier and checks the resource URL; nothing is bound until
         * {@link DocumentsMcpServer#start()}.
         *
         * @return a server that is not started yet
         * @throws IllegalArgumentException for a missing or invalid issuer, a blank audience, or a resource
         *                                  URL that is not an absolute {@code http(s)} URL
         * @throws NullPointerException     when no revocation store is set
         */
        public DocumentsMcpServer build() {
            if (issuer == null || issuer.isBlank()) {
                throw new IllegalArgumentException("Caracal issuer missing: set issuer or CARACAL_STS_URL");
            }
            Objects.requireNonNull(revocations, "Caracal revocation store missing: set revocations");
            if (resourceUrl != null) {
                try {
                    ProtectedResourceMetadata.forResource(resourceUrl).metadataUrl();
                } catch (IllegalStateException e) {
                    throw new IllegalArgumentException("resource URL must be an absolute http(s) URL: " + resourceUrl);
                }
            }
            MandateVerifier verifier = MandateVerifier.builder()
                    .issuer(issuer)
                    .audience(audience)
                    .zoneId(zoneId)
                    .requiredScopes(new ArrayList<>(requiredScopes))
                    .requireAgent(requireAgent)
                    .revocations(revocations)
                    .build();
            return new DocumentsMcpServer(this, verifier);
        }
    }
}
