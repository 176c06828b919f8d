package ai.caracal.verify.http;

import ai.caracal.verify.AuthError;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.Cause;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.audit.AsyncAuditSink;
import ai.caracal.verify.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector-neutral HTTP boundary: given a request, decide whether to verify it, with which rule,
 * and what to answer. Every connector (Servlet filter, JDK server filter, Spring, MCP) delegates here,
 * so all of them behave identically.
 *
 * <p>Per request, in order (connectors.md §3.1):
 * <ol>
 *   <li>the metadata document path, when metadata is configured: serve the document ({@code GET},
 *       {@code HEAD}) or answer 405;</li>
 *   <li>a canonical path under an {@code exclude} prefix: pass, unverified, no claims;</li>
 *   <li>with {@code permitPreflight}, an {@code OPTIONS} request carrying {@code Origin} and
 *       {@code Access-Control-Request-Method}: pass;</li>
 *   <li>with {@code allowedOrigins(...)}, a request whose {@code Origin} is neither its own nor an
 *       allowed one: 403 with a JSON-RPC error body (connectors.md §10.2 M8);</li>
 *   <li>pick the rule of the longest matching route prefix (on the normalised path), else the default; a
 *       path that is not canonical must also meet the rule of its literal reading, where that differs;</li>
 *   <li>more than one {@code Authorization} header: reject {@code invalid_token}; otherwise extract the
 *       bearer token (absent, another scheme or blank: {@code missing_token}, without touching the key
 *       set or the store);</li>
 *   <li>verify with the rule's verifier: claims on success, the canonical rejection otherwise.</li>
 * </ol>
 *
 * <p>Rejections carry the status of {@link ai.caracal.verify.AuthErrors#httpStatus(ErrorCode)},
 * {@code Content-Type: application/json}, {@code Cache-Control: no-store}, an RFC 6750
 * {@code WWW-Authenticate} challenge (unless turned off) and the {@link AuthErrorBody} JSON.
 *
 * <p>Connectors also register the connections that stay open after the request (SSE streams,
 * WebSockets) with {@link #liveConnections()}, which ends them when their mandate no longer holds.
 *
 * <p>Each decision about a mandate (steps 5 and 6) sends one {@link AuditEvent} to the configured
 * {@link AsyncAuditSink}, never blocking. Around the application, connectors hold {@link #enter} open: it
 * puts the {@code caracal.*} W3C baggage of the verified claims in the OpenTelemetry context
 * (interop.md §1), when that API is present.
 *
 * <p>Immutable and thread-safe; build once and share.
 */
public final class HttpBoundary {

    private static final Logger log = LoggerFactory.getLogger(HttpBoundary.class);

    static final String APPLICATION_JSON = "application/json";

    private final Rule defaultRule;
    private final List<Rule> routes;
    private final List<String> excludes;
    private final boolean permitPreflight;
    private final boolean wwwAuthenticate;
    private final String realm;
    private final ProtectedResourceMetadata metadata;
    private final ResourceMetadataEndpoint metadataEndpoint;
    private final long drainLimit;
    private final LiveConnections liveConnections;
    private final boolean ownsLiveConnections;
    private final AsyncAuditSink audit;
    private final boolean baggage;
    private final Clock clock;
    private final Origins origins;

    HttpBoundary(BoundaryBuilder<?> b, MandateVerifier verifier) {
        this.defaultRule = new Rule("/", verifier);
        List<Rule> registered = new ArrayList<>();
        b.routes().forEach((prefix, requirements) -> registered.add(new Rule(prefix, verifier.require(requirements))));
        List<Rule> longestFirst = new ArrayList<>(registered);
        longestFirst.sort(Comparator.comparingInt((Rule r) -> r.prefix().length()).reversed());
        this.routes = List.copyOf(longestFirst);
        this.excludes = List.copyOf(b.excludes());
        this.permitPreflight = b.permitPreflight();
        this.wwwAuthenticate = b.wwwAuthenticate();
        this.realm = b.realm();
        this.metadata = b.metadata();
        this.drainLimit = b.drainLimit();
        this.ownsLiveConnections = b.liveConnections() == null;
        this.liveConnections = ownsLiveConnections
                ? LiveConnections.builder().revocations(verifier.options().revocations()).clock(verifier.options().clock()).build()
                : b.liveConnections();
        this.audit = b.audit();
        this.baggage = b.baggage() && OtelContext.PRESENT;
        this.clock = verifier.options().clock();
        this.origins = b.originAllowList() == null ? null : new Origins(b.originAllowList());
        if (metadata != null) {
            List<String> scopes = new ArrayList<>(verifier.options().requiredScopes());
            registered.forEach(rule -> scopes.addAll(rule.verifier().options().requiredScopes()));
            this.metadataEndpoint = new ResourceMetadataEndpoint(metadata,
                    metadata.document(verifier.options().issuer(), scopes).getBytes(StandardCharsets.UTF_8));
        } else {
            this.metadataEndpoint = null;
        }
        if (excludes.contains("/")) {
            log.warn("Caracal exclude list contains \"/\": every request passes unverified");
        }
    }

    /** @return a builder; a verifier (or the options to build one) is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides what to do with one request. Never throws for any request content. Blocks for at most
     * one key set fetch and one store round trip; event loops use {@link #evaluateAsync}.
     *
     * @param request the connector's view of the request
     * @return the decision; never {@code null}
     */
    public BoundaryDecision evaluate(BoundaryRequest request) {
        BoundaryDecision early = beforeVerification(request);
        if (early != null) {
            return early;
        }
        Rule rule = ruleFor(request.path());
        Action action = action(request);
        List<String> authorization = request.headers("Authorization");
        if (authorization.size() > 1) {
            return ambiguous(rule, action);
        }
        String header = authorization.isEmpty() ? null : authorization.get(0);
        AuthResult result = rule.verifier().authorization(header);
        Rule literal = literalRuleFor(request.path(), rule);
        if (literal != rule && result.ok()) {
            AuthResult second = literal.verifier().authorization(header);
            if (!second.ok()) {
                return decision(second, literal, action);
            }
        }
        return decision(result, rule, action);
    }

    /**
     * {@link #evaluate(BoundaryRequest)} without blocking the calling thread: the same decisions, through
     * {@link MandateVerifier#authorizationAsync(String)}. The stage is already complete when no I/O was
     * needed (excluded paths, the metadata document, missing tokens, a held key set with an in-memory
     * store); it never completes exceptionally.
     *
     * @param request the connector's view of the request; read on the calling thread only
     * @return the decision; never {@code null}
     */
    public CompletionStage<BoundaryDecision> evaluateAsync(BoundaryRequest request) {
        BoundaryDecision early = beforeVerification(request);
        if (early != null) {
            return CompletableFuture.completedFuture(early);
        }
        Rule rule = ruleFor(request.path());
        Action action = action(request);
        List<String> authorization = request.headers("Authorization");
        if (authorization.size() > 1) {
            return CompletableFuture.completedFuture(ambiguous(rule, action));
        }
        String header = authorization.isEmpty() ? null : authorization.get(0);
        CompletableFuture<Reading> reading = read(rule, header);
        Rule literal = literalRuleFor(request.path(), rule);
        if (literal != rule) {
            reading = reading.thenCompose(first -> !first.result.ok() ? CompletableFuture.completedFuture(first)
                    : read(literal, header).thenApply(second -> second.result.ok() ? first : second));
        }
        if (reading.isDone()) {
            Reading done = reading.join();
            return CompletableFuture.completedFuture(decision(done.result, done.rule, action));
        }
        return reading.thenApply(done -> decision(done.result, done.rule, action));
    }

    /** One rule's result for the request's credentials. */
    private record Reading(AuthResult result, Rule rule) {
    }

    private static CompletableFuture<Reading> read(Rule rule, String header) {
        return rule.verifier().authorizationAsync(header).toCompletableFuture().thenApply(result -> new Reading(result, rule));
    }

    /**
     * Opens the request's context for the application: call it for a {@link BoundaryDecision.Kind#VERIFIED}
     * or {@link BoundaryDecision.Kind#PASS} decision on the thread that runs the application, and close it
     * when the application returns. With the OpenTelemetry API present (and {@code baggage} not turned
     * off), the current baggage becomes: the {@code caracal.*} entries of the verified claims
     * ({@link CaracalBaggage}), then the incoming entries outside {@code caracal.*}, within 64 members and
     * 8,192 bytes; incoming {@code caracal.*} entries are dropped, also on unverified (passed) requests.
     * Instrumented clients the application calls inside the scope propagate that baggage. Never throws: a
     * failing OpenTelemetry call leaves the context as it was (counted, logged at a bounded rate).
     *
     * @param decision the decision of {@link #evaluate}
     * @return the scope to close; {@link BoundaryScope#NONE} when there is nothing to do
     */
    public BoundaryScope enter(BoundaryDecision decision) {
        return enter(decision, CapturedContext.CURRENT);
    }

    /**
     * {@link #enter(BoundaryDecision)} on the context {@code captured} was taken from, for a connector
     * that reaches its decision on another thread than the one the request arrived on (a reactive one,
     * after a key set fetch or a store round trip): the caller's baggage and trace are those current
     * when {@link #captureContext()} was called.
     *
     * @param decision the decision of {@link #evaluate} or {@link #evaluateAsync}
     * @param captured what {@link #captureContext()} returned on the request's thread
     * @return the scope to close, on this thread; {@link BoundaryScope#NONE} when there is nothing to do
     */
    public BoundaryScope enter(BoundaryDecision decision, CapturedContext captured) {
        if (!entersContext() || decision.kind() == BoundaryDecision.Kind.RESPOND) {
            return BoundaryScope.NONE;
        }
        return OtelContext.enter(decision.claims(), captured.context());
    }

    /**
     * @return the current context, to {@link #enter(BoundaryDecision, CapturedContext) enter} later on
     *         another thread; {@link CapturedContext#CURRENT} when {@link #entersContext()} is false
     */
    public CapturedContext captureContext() {
        if (!entersContext()) {
            return CapturedContext.CURRENT;
        }
        Object context = OtelContext.capture();
        return context == null ? CapturedContext.CURRENT : new CapturedContext(context);
    }

    /**
     * @return whether {@link #enter} can change the current context: the OpenTelemetry API is present and
     *         baggage is not turned off. A connector that must wrap the application to call
     *         {@link #enter} (a reactive one) skips the wrapping when this is {@code false}.
     */
    public boolean entersContext() {
        return baggage;
    }

    /**
     * Steps 1–3 of connectors.md §3.1 (the metadata document, exclusions, permitted preflights), then the
     * {@code Origin} rule when it is on (§10.2 M8).
     */
    private BoundaryDecision beforeVerification(BoundaryRequest request) {
        String path = request.path();
        String method = request.method();
        if (metadata != null && path.equals(metadata.documentPath())) {
            return BoundaryDecision.respond(metadataEndpoint.response(method));
        }
        if (CanonicalPath.isCanonical(path) && isExcluded(path)) {
            return BoundaryDecision.PASS;
        }
        if (permitPreflight && method.equals("OPTIONS")
                && !request.headers("Origin").isEmpty() && !request.headers("Access-Control-Request-Method").isEmpty()) {
            return BoundaryDecision.PASS;
        }
        if (origins != null && !origins.allows(request.headers("Origin"), request.targetOrigin())) {
            log.debug("Caracal refused a request from a foreign Origin with 403");
            return BoundaryDecision.respond(foreignOrigin(method));
        }
        return null;
    }

    /** connectors.md §10.2 M8: 403 with a JSON-RPC error body that has no {@code id}. */
    private static BoundaryResponse foreignOrigin(String method) {
        return BoundaryResponse.json(403, Origins.FORBIDDEN_BODY.getBytes(StandardCharsets.UTF_8), !"HEAD".equals(method));
    }

    private BoundaryDecision ambiguous(Rule rule, Action action) {
        audit(AMBIGUOUS, rule, action);
        return BoundaryDecision.respond(rejection(AMBIGUOUS_CREDENTIALS, rule.verifier().options().requiredScopes(), action.method));
    }

    private BoundaryDecision decision(AuthResult result, Rule rule, Action action) {
        audit(result, rule, action);
        if (result.ok()) {
            return BoundaryDecision.verified(result.principal());
        }
        return BoundaryDecision.respond(rejection(result.error(), rule.verifier().options().requiredScopes(), action.method));
    }

    /** What the audit event needs from the request, read on the calling thread. */
    private record Action(String method, String path, String traceId) {
    }

    private Action action(BoundaryRequest request) {
        return new Action(request.method(), request.path(), audit == null ? null : TraceParent.traceId(request));
    }

    /** Hands the decision's event to the audit sink; never blocks, never throws. */
    private void audit(AuthResult result, Rule rule, Action action) {
        if (audit == null) {
            return;
        }
        try {
            Claims claims = result.principal();
            String zone = claims != null ? claims.zoneId() : rule.verifier().options().zoneId().orElse(null);
            audit.offer(new AuditEvent(clock.instant(), result.ok(), result.ok() ? null : result.error().code().wire(),
                    result.cause(), zone, claims == null ? null : claims.sub(), claims == null ? null : claims.clientId(),
                    claims == null ? null : claims.agentSessionId().orElse(null), action.method + " " + action.path,
                    action.traceId));
        } catch (RuntimeException e) {
            log.warn("Caracal audit event could not be made ({}); the decision is unchanged", e.getClass().getName());
        }
    }

    /**
     * The canonical rejection for an error found outside this boundary's own checks (per-handler
     * annotations, for example), with this boundary's challenge settings.
     *
     * @param error          the error
     * @param requiredScopes the scopes the failed check demanded (for the challenge's {@code scope})
     * @param method         the request method ({@code HEAD} gets no body)
     * @return the response to write
     */
    public BoundaryResponse rejection(AuthError error, List<String> requiredScopes, String method) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", APPLICATION_JSON);
        headers.put("Cache-Control", "no-store");
        if (wwwAuthenticate) {
            headers.put("WWW-Authenticate", BearerChallenge.of(error, realm, requiredScopes,
                    metadata == null ? null : metadata.metadataUrl()));
        }
        byte[] body = AuthErrorBody.json(error).getBytes(StandardCharsets.UTF_8);
        return new BoundaryResponse(error.httpStatus(), headers, body, !"HEAD".equals(method));
    }

    /**
     * @param path the path of a request, as {@link BoundaryRequest#path()} gives it
     * @return the effective {@code requiredScopes} of the rule such a request is verified under (for the
     *         {@code scope} of a challenge that a connector builds on top of this boundary's rule)
     */
    public List<String> requiredScopes(String path) {
        return ruleFor(path).verifier().options().requiredScopes();
    }

    /** @return the verifier of the default rule */
    public MandateVerifier verifier() {
        return defaultRule.verifier();
    }

    /**
     * @return how many body bytes a connector reads and discards after answering a request itself
     *         ({@link EarlyAnswer}); {@code 0} for none
     */
    public long drainLimit() {
        return drainLimit;
    }

    /**
     * @return the registry of this boundary's open connections (SSE streams, WebSockets), which ends them
     *         when their mandate expires, is revoked or becomes stale (connectors.md §10.4)
     */
    public LiveConnections liveConnections() {
        return liveConnections;
    }

    /**
     * Releases what the boundary created: closes its own {@link LiveConnections} (ending the connections
     * still open), never one handed to the builder. For connectors with a lifecycle (a servlet filter's
     * {@code destroy}); idempotent. The boundary still evaluates requests afterwards.
     */
    public void close() {
        if (ownsLiveConnections) {
            liveConnections.close();
        }
    }

    /** @return the metadata endpoint, when resource metadata is configured */
    public Optional<ResourceMetadataEndpoint> metadataEndpoint() {
        return Optional.ofNullable(metadataEndpoint);
    }

    private boolean isExcluded(String path) {
        for (int i = 0; i < excludes.size(); i++) {
            if (CanonicalPath.matches(path, excludes.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Step 4: the rule of the longest matching route prefix, on the normalised path, else the default. */
    private Rule ruleFor(String requestPath) {
        return ruleOn(CanonicalPath.isCanonical(requestPath) ? requestPath : CanonicalPath.normalize(requestPath));
    }

    /**
     * Step 4, second reading: a server that routes on the path as sent (the JDK server picks a context by
     * the raw path's prefix, so {@code /payouts/../items} runs the {@code /payouts} handler) may run a
     * handler other than the normalised path's. A path that is not canonical must therefore meet the
     * rule of its literal reading too.
     *
     * @return the rule of the path as sent, or {@code normalised} when it is the same rule
     */
    private Rule literalRuleFor(String requestPath, Rule normalised) {
        return CanonicalPath.isCanonical(requestPath) ? normalised : ruleOn(requestPath);
    }

    private Rule ruleOn(String path) {
        for (int i = 0; i < routes.size(); i++) {
            if (CanonicalPath.matches(path, routes.get(i).prefix())) {
                return routes.get(i);
            }
        }
        return defaultRule;
    }

    /** More than one Authorization header: ambiguous credentials, rejected before any parsing. */
    private static final AuthError AMBIGUOUS_CREDENTIALS = AuthError.of(ErrorCode.INVALID_TOKEN);
    private static final AuthResult AMBIGUOUS = AuthResult.failure(AMBIGUOUS_CREDENTIALS, Cause.MALFORMED);

    /** A route prefix and the verifier built for it once, at construction. */
    private record Rule(String prefix, MandateVerifier verifier) {
    }

    /** Builder for {@link HttpBoundary}: the options of {@link BoundaryBuilder}. Not thread-safe. */
    public static final class Builder extends BoundaryBuilder<Builder> {

        private Builder() {
        }

        /**
         * @return the boundary
         * @throws IllegalArgumentException for a missing issuer or audience, an invalid issuer, or a
         *                                  metadata URL that cannot be worked out
         * @throws NullPointerException     when no revocation store is set
         */
        public HttpBoundary build() {
            return buildBoundary();
        }
    }
}
