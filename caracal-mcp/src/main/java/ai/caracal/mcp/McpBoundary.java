package ai.caracal.mcp;

import ai.caracal.servlet.CaracalRequests;
import ai.caracal.servlet.ServletResponses;
import ai.caracal.verify.Claims;
import ai.caracal.verify.http.EarlyAnswer;
import ai.caracal.verify.http.HttpBoundary;
import io.modelcontextprotocol.spec.HttpHeaders;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP rules of the HTTP boundary that work on verified claims (connectors.md §10.2): a servlet
 * {@link Filter} mapped to the MCP endpoint <em>after</em> {@link ai.caracal.servlet.CaracalFilter}, in
 * front of the MCP Java SDK's Streamable HTTP transport (the SDK's
 * {@code HttpServletStreamableServerTransportProvider}, or Spring AI's WebMvc transport). It binds sessions
 * (M12) and, with {@link Builder#policy(McpPolicy, HttpBoundary)}, checks each JSON-RPC body against its
 * {@code Mcp-Method}/{@code Mcp-Name} headers and the {@link McpPolicy} before the transport sees it, and
 * filters listings (M9, M10). {@link McpWebFilter} is the same for WebFlux.
 *
 * <p><b>Tool policy (M9, M10).</b> With a policy, every {@code POST} body is read here (at most
 * {@code maxRequestBytes}; a larger one is answered 413 as a §10.3 early answer) and replayed to the
 * transport. A body that is not one JSON-RPC message, or routing headers that disagree with it, get 400
 * with a JSON-RPC error ({@code -32020} for the headers); an operation whose rules the caller's claims do
 * not meet gets the boundary's 401/403, a missing scope as a step-up challenge naming every scope the
 * operation needs. {@code tools/list}, {@code resources/list} and {@code prompts/list} answers keep only
 * what the caller may use.
 *
 * <p><b>Session binding (M12).</b> A session created by {@code initialize} belongs to the
 * ({@code zone_id}, {@code sub}, {@code client_id}) of the mandate that created it. A request that names
 * the session's {@code Mcp-Session-Id} with another principal (another mandate of the same principal is
 * fine) reaches the transport under an ID no session has, so the transport itself answers it exactly as
 * for an unknown session (404; the SDK's POST answer echoes the ID, and the named ID is put back in it)
 * and never touches the named session: {@code tools/call}, notifications, the {@code GET} stream and
 * {@code DELETE} alike. Foreign and unknown sessions get the same answer, so a session ID is no oracle.
 *
 * <ul>
 *   <li>The new session is bound when the transport sets the {@code Mcp-Session-Id} response header,
 *       before the header leaves the server, to the claims {@code CaracalFilter} attached to that request.</li>
 *   <li>A session is forgotten when its owner's {@code DELETE} succeeds (2xx), when the transport answers
 *       its owner 404 (the transport ended it), and, least recently used first, when more than
 *       {@code maxSessions} are bound. A forgotten session answers "session not found" to everyone,
 *       its owner included, who then initializes a new one (what MCP clients do on 404).</li>
 *   <li>A request without claims (an excluded path) acts as "nobody": sessions it creates are reachable
 *       only without claims, and a session created with claims never without.</li>
 *   <li>A request naming more than one {@code Mcp-Session-Id} never reaches a session.</li>
 *   <li>Mapped before {@code CaracalFilter} by mistake, every session request is answered "session not
 *       found" (and an ERROR is logged once), never let through.</li>
 * </ul>
 *
 * <pre>{@code
 * // Jetty (ServletContextHandler): after the CaracalFilter mapping of /mcp
 * FilterHolder mcpBoundary = new FilterHolder(McpBoundary.create());
 * mcpBoundary.setAsyncSupported(true);
 * context.addFilter(mcpBoundary, "/mcp", EnumSet.of(DispatcherType.REQUEST));
 *
 * // Spring Boot: a Filter bean is registered after the starter's caracalFilter (order -90)
 * @Bean McpBoundary mcpBoundary() { return McpBoundary.create(); }
 * }</pre>
 *
 * <p>Register it async-supported, for the {@code REQUEST} dispatcher. Sessions live in this instance's
 * memory: with several replicas, route each session to one replica (as the SDK's in-memory sessions
 * need anyway). Thread-safe: one instance serves every request.
 */
public final class McpBoundary implements Filter {

    /** The default bound on bound sessions: 10,000. */
    public static final int DEFAULT_MAX_SESSIONS = 10_000;

    /** The default {@code maxRequestBytes}: 16 MiB, the MCP Java SDK transports' default maximum request size. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = EarlyAnswer.DEFAULT_DRAIN_LIMIT;

    private static final Logger log = LoggerFactory.getLogger(McpBoundary.class);

    private final SessionBindings sessions;
    private final McpRules rules;
    private final long maxRequestBytes;
    private final AtomicBoolean warnedOrder = new AtomicBoolean();

    private McpBoundary(Builder builder) {
        this.sessions = new SessionBindings(builder.maxSessions);
        this.rules = builder.policy == null ? null : new McpRules(builder.policy, builder.boundary);
        this.maxRequestBytes = builder.maxRequestBytes;
    }

    /** @return a boundary with the defaults: session binding, at most {@value #DEFAULT_MAX_SESSIONS} sessions */
    public static McpBoundary create() {
        return builder().build();
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest httpRequest) || !(response instanceof HttpServletResponse httpResponse)) {
            chain.doFilter(request, response);
            return;
        }
        if (rules == null) {
            bindSessions(httpRequest, httpResponse, chain);
            return;
        }
        Optional<Claims> claims = CaracalRequests.claims(httpRequest);
        List<String> methods = headerValues(httpRequest, RoutingHeaders.MCP_METHOD);
        List<String> names = headerValues(httpRequest, RoutingHeaders.MCP_NAME);
        HttpServletRequest forwarded = httpRequest;
        McpRules.Outcome outcome;
        if ("POST".equals(httpRequest.getMethod())) {
            byte[] body = readBody(httpRequest, httpResponse);
            if (body == null) {
                return;
            }
            outcome = rules.withBody(body, httpRequest.getContentType(), methods, names, claims, path(httpRequest),
                    httpRequest.getMethod());
            forwarded = new ReplayedBodyRequest(httpRequest, body);
        } else {
            outcome = rules.withoutBody(methods, names, httpRequest.getMethod());
        }
        if (outcome.answer() != null) {
            ServletResponses.write(outcome.answer(), httpResponse);
            return;
        }
        if (!rules.filtersListing(outcome.message())) {
            bindSessions(forwarded, httpResponse, chain);
            return;
        }
        ListingResponse listing = new ListingResponse(httpResponse, new ListingFilter(rules, outcome.message(), claims));
        bindSessions(forwarded, listing, chain);
        if (!forwarded.isAsyncStarted()) {
            listing.finish();
        }
    }

    /** M12: the request reaches the transport under its session only when the session is the caller's. */
    private void bindSessions(HttpServletRequest httpRequest, HttpServletResponse httpResponse, FilterChain chain)
            throws IOException, ServletException {
        SessionOwner caller = SessionOwner.of(CaracalRequests.claims(httpRequest));
        List<String> named = sessionIds(httpRequest);
        if (named.isEmpty()) {
            chain.doFilter(httpRequest, binding(httpResponse, httpRequest, caller));
            return;
        }
        if (named.size() == 1 && sessions.isOwnedBy(named.get(0), caller)) {
            chain.doFilter(httpRequest, binding(httpResponse, httpRequest, caller));
            forgetEnded(named.get(0), caller, httpRequest.getMethod(), httpResponse.getStatus());
            return;
        }
        String unused = sessions.unusedId();
        UnknownSessionResponse unknown = new UnknownSessionResponse(httpResponse, unused,
                named.size() == 1 ? named.get(0) : null);
        chain.doFilter(new SubstitutedSessionRequest(httpRequest, unused), binding(unknown, httpRequest, caller));
        unknown.finish();
    }

    /**
     * Reads the whole body, at most {@code maxRequestBytes}; a larger one is answered 413 as a §10.3 early
     * answer (see {@link #tooLarge}).
     *
     * @return the body, or {@code null} when the request was answered here (too large, unreadable)
     */
    private byte[] readBody(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getContentLengthLong() > maxRequestBytes) {
            tooLarge(request, response);
            return null;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.max(0, (int) Math.min(request.getContentLengthLong(), 65_536)));
        byte[] buffer = new byte[8192];
        try {
            InputStream in = request.getInputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                body.write(buffer, 0, n);
                if (body.size() > maxRequestBytes) {
                    tooLarge(request, response);
                    return null;
                }
            }
        } catch (IOException e) {
            log.debug("MCP request body could not be read: {}", e.toString());
            try {
                ServletResponses.write(JsonRpcAnswers.error(400, null, McpMessage.PARSE_ERROR,
                        "Parse error: the body could not be read", request.getMethod()), response);
            } catch (IOException | IllegalStateException gone) {
                log.debug("No answer to an unreadable MCP request: {}", gone.toString());
            }
            return null;
        }
        return body.toByteArray();
    }

    /**
     * §10.3 early answer: the 413 goes out first, then the rest of the body is read and discarded (up to
     * {@link EarlyAnswer#DEFAULT_DRAIN_LIMIT}; a body announced larger gets {@code Connection: close}), so a
     * client still sending receives the answer instead of a connection reset.
     */
    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletResponses.answer(JsonRpcAnswers.error(413, null, McpMessage.INVALID_REQUEST,
                "Request body larger than " + maxRequestBytes + " bytes", "POST"), request, response, EarlyAnswer.DEFAULT_DRAIN_LIMIT);
    }

    private static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }

    private static List<String> headerValues(HttpServletRequest request, String name) {
        Enumeration<String> values = request.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }

    /** Forgets all sessions. */
    @Override
    public void destroy() {
        sessions.clear();
    }

    /** @return how many sessions are bound now */
    public int sessionCount() {
        return sessions.size();
    }

    private SessionBindingResponse binding(HttpServletResponse response, HttpServletRequest request, SessionOwner caller) {
        return new SessionBindingResponse(response, request, (sessionId, created) -> {
            SessionOwner owner = SessionOwner.of(CaracalRequests.claims(created));
            if (!owner.equals(caller) && warnedOrder.compareAndSet(false, true)) {
                log.error("McpBoundary saw no claims on a request that has claims now: it is mapped before "
                        + "CaracalFilter. Map it after; until then every MCP session answers \"session not found\".");
            }
            sessions.bind(sessionId, owner);
        });
    }

    private void forgetEnded(String sessionId, SessionOwner owner, String method, int status) {
        boolean deleted = "DELETE".equals(method) && status >= 200 && status < 300;
        if (deleted || status == HttpServletResponse.SC_NOT_FOUND) {
            sessions.unbind(sessionId, owner);
        }
    }

    private static List<String> sessionIds(HttpServletRequest request) {
        Enumeration<String> values = request.getHeaders(HttpHeaders.MCP_SESSION_ID);
        return values == null ? List.of() : Collections.list(values);
    }

    /** Builder for {@link McpBoundary}. Not thread-safe. */
    public static final class Builder {

        private int maxSessions = DEFAULT_MAX_SESSIONS;
        private McpPolicy policy;
        private HttpBoundary boundary;
        private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;

        private Builder() {
        }

        /**
         * Turns on the rules of connectors.md §10.2 M9 and M10: every POST body is read (at most
         * {@link #maxRequestBytes}), must be one JSON-RPC message whose {@code Mcp-Method} /
         * {@code Mcp-Name} headers, when present, agree with it (else 400, {@code -32020}), and must meet
         * every rule of {@code policy} for its operation (else the boundary's 401/403, a 403 for a missing
         * scope being a step-up challenge naming every scope the operation needs); listings show only what
         * the caller may use. The transport then reads the same bytes.
         *
         * @param policy   the per-method and per-name requirements
         * @param boundary the boundary of the {@code CaracalFilter} in front
         *                 ({@code caracalFilter.boundary()}): its challenge settings, the scopes of its rule
         *                 and its verifier's scope hierarchy shape the answers
         * @return this builder
         */
        public Builder policy(McpPolicy policy, HttpBoundary boundary) {
            this.policy = Objects.requireNonNull(policy, "policy");
            this.boundary = Objects.requireNonNull(boundary, "boundary");
            return this;
        }

        /**
         * @param bytes the largest request body read when a policy is set, at least 1; a body announced
         *              larger gets 413, then the body is drained (§10.3; beyond 16 MiB: {@code Connection: close}). Set it to the transport's
         *              maximum request size. Default {@value McpBoundary#DEFAULT_MAX_REQUEST_BYTES} (16 MiB,
         *              the SDK transport's default).
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder maxRequestBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxRequestBytes must be at least 1");
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /**
         * @param maxSessions the most sessions bound at once, at least 1; beyond it the least recently
         *                    used session is forgotten (it then answers "session not found"). Default
         *                    {@value McpBoundary#DEFAULT_MAX_SESSIONS}.
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder maxSessions(int maxSessions) {
            if (maxSessions < 1) {
                throw new IllegalArgumentException("maxSessions must be at least 1");
            }
            this.maxSessions = maxSessions;
            return this;
        }

        /** @return the boundary filter */
        public McpBoundary build() {
            return new McpBoundary(this);
        }
    }
}
