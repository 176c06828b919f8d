package ai.caracal.servlet;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.verify.JwksUnavailableException;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.BoundaryBuilder;
import ai.caracal.verify.http.BoundaryDecision;
import ai.caracal.verify.http.BoundaryScope;
import ai.caracal.verify.http.HttpBoundary;
import ai.caracal.verify.http.ResourceMetadataEndpoint;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the Caracal mandate of every request before any servlet runs (Jakarta Servlet 6.0: Tomcat
 * 10.1+, Jetty 12, Undertow, Spring MVC). A rejected request gets 401 or 403 with the canonical JSON
 * body, {@code Cache-Control: no-store} and an RFC 6750 {@code WWW-Authenticate}, and never reaches the
 * servlet; a verified request carries its {@link ai.caracal.verify.Claims} in the request attribute
 * {@value #CLAIMS_ATTRIBUTE} (read it with {@link CaracalRequests}).
 *
 * <pre>{@code
 * CaracalFilter filter = CaracalFilter.builder()
 *     .verifier(verifier)
 *     .route("/payouts", Requirements.builder().requiredScopes("payout").requireAgent(true).build())
 *     .exclude("/healthz")
 *     .build();
 * FilterRegistration.Dynamic reg = servletContext.addFilter("caracal", filter);
 * reg.setAsyncSupported(true);
 * reg.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
 * }</pre>
 *
 * <p>Register it async-supported (the MCP and SSE transports need it), for the {@code REQUEST}
 * dispatcher only, after any CORS filter. Routes, exclusions and responses follow {@link HttpBoundary}.
 *
 * <p>An SSE stream (a verified response whose {@code Content-Type} is {@code text/event-stream} when the
 * application takes its output stream or writer: the MCP SDK's {@code GET} and streamed {@code POST}
 * answers, Spring's {@code SseEmitter}) is registered with the boundary's
 * {@link ai.caracal.verify.http.LiveConnections} and ends (its response completes) when its mandate
 * expires, is revoked or becomes stale (connectors.md §10.4).
 *
 * <p>A verified WebSocket upgrade ({@code GET} with {@code Upgrade: websocket}, or an HTTP/2
 * {@code CONNECT}) is handed on with the verified claims as its user principal, so that a Jakarta WebSocket
 * endpoint can register its session with the same registry ({@link CaracalWebSockets#track}) and the session
 * closes with 1008 and the error code as reason when its mandate ends. The filter must run before the
 * container's WebSocket upgrade filter: Tomcat's {@code WsFilter} runs after the application's filters, but
 * Jetty 12 puts its {@code WebSocketUpgradeFilter} first unless the application maps it itself after this
 * filter; {@link CaracalEndpointConfigurator} shows how, and refuses handshakes this filter did not verify.
 *
 * <p>A rejection is written before anything has read the request body, often while the client is still
 * sending it. The filter then reads and discards that body up to the builder's {@code drainLimit} (16 MiB
 * by default), so the client receives the answer instead of a connection reset; a body announced larger
 * gets {@code Connection: close} instead ({@link ServletResponses#answer}, connectors.md §10.3).
 *
 * <p>Containers that create the filter themselves ({@code web.xml}) use the public no-argument
 * constructor; it reads the init-params {@code issuer}, {@code audience}, {@code zone-id},
 * {@code required-scopes} (comma- or space-separated), {@code exclude} (comma-separated),
 * {@code permit-preflight} and {@code warmup-on-init}, with {@code CARACAL_STS_URL} and
 * {@code CARACAL_ZONE_ID} as defaults, and takes the revocation store from the servlet context attribute
 * {@value #REVOCATIONS_ATTRIBUTE}.
 *
 * <p>Thread-safe: one instance serves every request.
 */
public final class CaracalFilter implements Filter {

    /** The request attribute holding the verified {@link ai.caracal.verify.Claims}. */
    public static final String CLAIMS_ATTRIBUTE = "ai.caracal.claims";

    /** The servlet context attribute a {@code web.xml}-created filter takes its {@link RevocationStore} from. */
    public static final String REVOCATIONS_ATTRIBUTE = "ai.caracal.revocations";

    private static final Logger log = LoggerFactory.getLogger(CaracalFilter.class);

    private volatile HttpBoundary boundary;
    private volatile boolean warmupOnInit;

    /**
     * For containers that instantiate filters from {@code web.xml}: the filter is configured from its
     * init-params in {@link #init(FilterConfig)}. Code should use {@link #builder()}.
     */
    public CaracalFilter() {
    }

    private CaracalFilter(HttpBoundary boundary, boolean warmupOnInit) {
        this.boundary = boundary;
        this.warmupOnInit = warmupOnInit;
    }

    /** @return a builder; a verifier (or the options to build one) is required */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        if (boundary == null) {
            configureFrom(config);
        }
        if (warmupOnInit) {
            try {
                boundary.verifier().warmup();
            } catch (JwksUnavailableException e) {
                log.warn("Caracal JWKS warm-up failed; keys will be fetched on first use: {}", e.getMessage());
            }
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest httpRequest) || !(response instanceof HttpServletResponse)) {
            chain.doFilter(request, response);
            return;
        }
        BoundaryDecision decision = boundary().evaluate(new ServletBoundaryRequest(httpRequest));
        switch (decision.kind()) {
            case VERIFIED:
                httpRequest.setAttribute(CLAIMS_ATTRIBUTE, decision.claims());
                LiveResponse live = new LiveResponse(httpRequest, (HttpServletResponse) response, decision.claims(),
                        boundary().liveConnections());
                ServletRequest forwarded = VerifiedUpgradeRequest.isWebSocketUpgrade(httpRequest)
                        ? new VerifiedUpgradeRequest(httpRequest,
                                new CaracalPrincipal(decision.claims(), boundary().liveConnections()))
                        : request;
                try (BoundaryScope scope = boundary().enter(decision)) {
                    chain.doFilter(forwarded, live);
                } finally {
                    live.afterChain();
                }
                break;
            case PASS:
                try (BoundaryScope scope = boundary().enter(decision)) {
                    chain.doFilter(request, response);
                }
                break;
            default:
                ServletResponses.answer(decision.response(), httpRequest, (HttpServletResponse) response,
                        boundary().drainLimit());
        }
    }

    /**
     * Closes the boundary's own {@link ai.caracal.verify.http.LiveConnections} (ending the SSE streams still
     * open); a registry handed to the builder stays open.
     */
    @Override
    public void destroy() {
        HttpBoundary current = boundary;
        if (current != null) {
            current.close();
        }
    }

    /** @return the boundary this filter delegates to (its default verifier, routes and settings) */
    public HttpBoundary boundary() {
        HttpBoundary current = boundary;
        if (current == null) {
            throw new IllegalStateException("CaracalFilter is not initialised: build it with CaracalFilter.builder() or let the container call init()");
        }
        return current;
    }

    /** @return the verifier of the default rule */
    public MandateVerifier verifier() {
        return boundary().verifier();
    }

    /**
     * @return the RFC 9728 document endpoint, for a {@link ProtectedResourceMetadataServlet}
     * @throws IllegalStateException when no {@code resourceMetadata(...)} is configured
     */
    public ResourceMetadataEndpoint metadata() {
        return boundary().metadataEndpoint()
                .orElseThrow(() -> new IllegalStateException("no resourceMetadata(...) configured on this CaracalFilter"));
    }

    private void configureFrom(FilterConfig config) throws ServletException {
        Object store = config.getServletContext().getAttribute(REVOCATIONS_ATTRIBUTE);
        if (!(store instanceof RevocationStore revocations)) {
            throw new ServletException("Caracal revocation store missing: set the servlet context attribute "
                    + REVOCATIONS_ATTRIBUTE + " to a RevocationStore");
        }
        Builder builder = builder().revocations(revocations);
        String issuer = config.getInitParameter("issuer");
        if (issuer != null && !issuer.isBlank()) {
            builder.issuer(issuer.trim());
        }
        String audience = config.getInitParameter("audience");
        if (audience != null) {
            builder.audience(audience.trim());
        }
        String zone = config.getInitParameter("zone-id");
        if (zone != null && !zone.isBlank()) {
            builder.zoneId(zone.trim());
        }
        String scopes = config.getInitParameter("required-scopes");
        if (scopes != null && !scopes.isBlank()) {
            String[] list = Arrays.stream(scopes.split("[,\\s]+")).filter(s -> !s.isEmpty()).toArray(String[]::new);
            builder.verifierOptions(verifier -> verifier.requiredScopes(list));
        }
        String exclude = config.getInitParameter("exclude");
        if (exclude != null && !exclude.isBlank()) {
            builder.exclude(Arrays.stream(exclude.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new));
        }
        builder.permitPreflight(Boolean.parseBoolean(config.getInitParameter("permit-preflight")));
        builder.warmupOnInit(Boolean.parseBoolean(config.getInitParameter("warmup-on-init")));
        try {
            CaracalFilter configured = builder.build();
            this.boundary = configured.boundary;
            this.warmupOnInit = configured.warmupOnInit;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ServletException(e.getMessage(), e);
        }
    }

    /**
     * Builder for {@link CaracalFilter}: the connector options of {@link BoundaryBuilder} plus
     * {@link #warmupOnInit(boolean)}. Not thread-safe.
     */
    public static final class Builder extends BoundaryBuilder<Builder> {

        private boolean warmupOnInit;

        private Builder() {
        }

        /**
         * @param warmup whether {@code init} fetches the key set (a failure logs a WARN and {@code init}
         *               continues); default {@code false}
         * @return this builder
         */
        public Builder warmupOnInit(boolean warmup) {
            this.warmupOnInit = warmup;
            return this;
        }

        /**
         * @return the filter
         * @throws IllegalArgumentException for a missing issuer or audience, an invalid issuer, or bad
         *                                  routes; the message says what to set
         * @throws NullPointerException     when no revocation store is set
         */
        public CaracalFilter build() {
            return new CaracalFilter(buildBoundary(), warmupOnInit);
        }
    }
}
