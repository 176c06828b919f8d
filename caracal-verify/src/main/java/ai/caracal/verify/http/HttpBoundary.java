package ai.caracal.verify.http;

import ai.caracal.verify.AuthError;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.MandateVerifier;
import java.nio.charset.StandardCharsets;
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
 *   <li>pick the rule of the longest matching route prefix (on the normalised path), else the default;</li>
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
    private final Origins origins;

    HttpBoundary(BoundaryBuilder<?> b, MandateVerifier verifier) {
        this.defaultRule = new Rule("/", verifier);
        List<Rule> registered = new ArrayList<>();
        b.routes().forEach((prefix, requirements) -> registered.add(new Rule(prefix, verifier.require(requirements))));
        List<Rule> longestFirst = new ArrayList<>(registered);
        longestFirst.sort(Comparator.comparingInt((Rule r) -> r.prefix.length()).reversed());
        this.routes = List.copyOf(longestFirst);
        this.excludes = List.copyOf(b.excludes());
        this.permitPreflight = b.permitPreflight();
        this.wwwAuthenticate = b.wwwAuthenticate();
        this.realm = b.realm();
        this.metadata = b.metadata();
        this.drainLimit = b.drainLimit();
        this.origins = b.originAllowList() == null ? null : new Origins(b.originAllowList());
        if (metadata != null) {
            List<String> scopes = new ArrayList<>(verifier.options().requiredScopes());
            registered.forEach(rule -> scopes.addAll(rule.verifier.options().requiredScopes()));
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
        List<String> authorization = request.headers("Authorization");
        if (authorization.size() > 1) {
            return ambiguous(rule, request.method());
        }
        return decision(rule.verifier.authorization(authorization.isEmpty() ? null : authorization.get(0)),
                rule, request.method());
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
        String method = request.method();
        List<String> authorization = request.headers("Authorization");
        if (authorization.size() > 1) {
            return CompletableFuture.completedFuture(ambiguous(rule, method));
        }
        CompletableFuture<AuthResult> result = rule.verifier
                .authorizationAsync(authorization.isEmpty() ? null : authorization.get(0)).toCompletableFuture();
        if (result.isDone()) {
            return CompletableFuture.completedFuture(decision(result.join(), rule, method));
        }
        return result.thenApply(done -> decision(done, rule, method));
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

    private BoundaryDecision ambiguous(Rule rule, String method) {
        return BoundaryDecision.respond(rejection(AMBIGUOUS_CREDENTIALS, rule.verifier.options().requiredScopes(), method));
    }

    private BoundaryDecision decision(AuthResult result, Rule rule, String method) {
        if (result.ok()) {
            return BoundaryDecision.verified(result.principal());
        }
        return BoundaryDecision.respond(rejection(result.error(), rule.verifier.options().requiredScopes(), method));
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
        return ruleFor(path).verifier.options().requiredScopes();
    }

    /** @return the verifier of the default rule */
    public MandateVerifier verifier() {
        return defaultRule.verifier;
    }

    /**
     * @return how many body bytes a connector reads and discards after answering a request itself
     *         ({@link EarlyAnswer}); {@code 0} for none
     */
    public long drainLimit() {
        return drainLimit;
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
        String path = CanonicalPath.isCanonical(requestPath) ? requestPath : CanonicalPath.normalize(requestPath);
        for (int i = 0; i < routes.size(); i++) {
            if (CanonicalPath.matches(path, routes.get(i).prefix)) {
                return routes.get(i);
            }
        }
        return defaultRule;
    }

    /** More than one Authorization header: ambiguous credentials, rejected before any parsing. */
    private static final AuthError AMBIGUOUS_CREDENTIALS = AuthError.of(ErrorCode.INVALID_TOKEN);

    /** A route prefix and the verifier built for it once, at construction. */
    private static final class Rule {
        final String prefix;
        final MandateVerifier verifier;

        Rule(String prefix, MandateVerifier verifier) {
            this.prefix = prefix;
            this.verifier = verifier;
        }
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
