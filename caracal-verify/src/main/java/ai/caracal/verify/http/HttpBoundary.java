package ai.caracal.verify.http;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.verify.AuthError;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.Requirements;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
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

    private HttpBoundary(Builder b, MandateVerifier verifier) {
        this.defaultRule = new Rule("/", verifier);
        List<Rule> registered = new ArrayList<>();
        b.routes.forEach((prefix, requirements) -> registered.add(new Rule(prefix, verifier.require(requirements))));
        List<Rule> longestFirst = new ArrayList<>(registered);
        longestFirst.sort(Comparator.comparingInt((Rule r) -> r.prefix.length()).reversed());
        this.routes = List.copyOf(longestFirst);
        this.excludes = List.copyOf(b.excludes);
        this.permitPreflight = b.permitPreflight;
        this.wwwAuthenticate = b.wwwAuthenticate;
        this.realm = b.realm;
        this.metadata = b.metadata;
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
     * Decides what to do with one request. Never throws for any request content.
     *
     * @param request the connector's view of the request
     * @return the decision; never {@code null}
     */
    public BoundaryDecision evaluate(BoundaryRequest request) {
        String path = request.path();
        String method = request.method();
        if (metadata != null && path.equals(metadata.documentPath())) {
            return BoundaryDecision.respond(metadataEndpoint.response(method));
        }
        boolean canonical = CanonicalPath.isCanonical(path);
        if (canonical && isExcluded(path)) {
            return BoundaryDecision.PASS;
        }
        if (permitPreflight && method.equals("OPTIONS")
                && !request.headers("Origin").isEmpty() && !request.headers("Access-Control-Request-Method").isEmpty()) {
            return BoundaryDecision.PASS;
        }
        Rule rule = ruleFor(canonical ? path : CanonicalPath.normalize(path));
        List<String> scopes = rule.verifier.options().requiredScopes();
        List<String> authorization = request.headers("Authorization");
        if (authorization.size() > 1) {
            return BoundaryDecision.respond(rejection(AMBIGUOUS_CREDENTIALS, scopes, method));
        }
        AuthResult result = rule.verifier.authorization(authorization.isEmpty() ? null : authorization.get(0));
        if (result.ok()) {
            return BoundaryDecision.verified(result.principal());
        }
        return BoundaryDecision.respond(rejection(result.error(), scopes, method));
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

    /** @return the verifier of the default rule */
    public MandateVerifier verifier() {
        return defaultRule.verifier;
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

    private Rule ruleFor(String path) {
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

    /**
     * Builder for {@link HttpBoundary}. Give it a {@link #verifier(MandateVerifier)}, or the options to
     * build one; then the issuer and zone default to the environment variables {@code CARACAL_STS_URL}
     * (trailing {@code /} removed) and {@code CARACAL_ZONE_ID}, read once in {@link #build()} (an empty
     * variable counts as unset). Not thread-safe.
     */
    public static final class Builder {

        private MandateVerifier verifier;
        private String issuer;
        private String audience;
        private String zoneId;
        private RevocationStore revocations;
        private final List<Consumer<MandateVerifier.Builder>> verifierOptions = new ArrayList<>();
        private final Map<String, Requirements> routes = new LinkedHashMap<>();
        private final List<String> excludes = new ArrayList<>();
        private boolean permitPreflight;
        private boolean wwwAuthenticate = true;
        private String realm;
        private ProtectedResourceMetadata metadata;
        private Function<String, String> environment = System::getenv;

        private Builder() {
        }

        /**
         * @param verifier the verifier of the default rule; routes derive theirs with
         *                 {@code verifier.require(...)}. Excludes the issuer/audience/zone/revocations options.
         * @return this builder
         */
        public Builder verifier(MandateVerifier verifier) {
            this.verifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * @param issuer the STS base URL (default: env {@code CARACAL_STS_URL})
         * @return this builder
         */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /**
         * @param audience this resource's audience (required unless a verifier is given)
         * @return this builder
         */
        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /**
         * @param zoneId the zone (default: env {@code CARACAL_ZONE_ID}); {@code null} means no zone
         * @return this builder
         */
        public Builder zoneId(String zoneId) {
            this.zoneId = zoneId;
            return this;
        }

        /**
         * @param revocations the revocation store (required unless a verifier is given)
         * @return this builder
         */
        public Builder revocations(RevocationStore revocations) {
            this.revocations = Objects.requireNonNull(revocations, "revocations");
            return this;
        }

        /**
         * Any other verifier option (default requirements, JWKS settings, listeners), applied to the
         * verifier this builder creates.
         *
         * @param options for example {@code v -> v.requiredScopes("read").requireAgent(true)}
         * @return this builder
         */
        public Builder verifierOptions(Consumer<MandateVerifier.Builder> options) {
            verifierOptions.add(Objects.requireNonNull(options, "verifierOptions"));
            return this;
        }

        /**
         * Adds a route rule: requests whose path is {@code prefix} or below it are verified with the
         * default verifier's {@code require(requirements)} (lists replace the defaults, flags only
         * tighten). The longest matching prefix wins; rules never stack.
         *
         * @param prefix       a path prefix starting with {@code /} (a trailing {@code /} is ignored)
         * @param requirements the rule's requirements
         * @return this builder
         * @throws IllegalArgumentException for a prefix not starting with {@code /}, or a duplicate
         */
        public Builder route(String prefix, Requirements requirements) {
            Objects.requireNonNull(prefix, "route");
            Objects.requireNonNull(requirements, "requirements");
            String normalised = CanonicalPath.prefix(prefix, "route");
            if (routes.putIfAbsent(normalised, requirements) != null) {
                throw new IllegalArgumentException("route " + normalised + " is configured twice");
            }
            return this;
        }

        /**
         * @param prefixes path prefixes that pass unverified and without claims (canonical paths only)
         * @return this builder
         */
        public Builder exclude(String... prefixes) {
            for (String prefix : Objects.requireNonNull(prefixes, "exclude")) {
                excludes.add(CanonicalPath.prefix(Objects.requireNonNull(prefix, "exclude"), "exclude"));
            }
            return this;
        }

        /**
         * @param permit whether CORS preflights ({@code OPTIONS} with {@code Origin} and
         *               {@code Access-Control-Request-Method}) pass unverified; default {@code false}
         * @return this builder
         */
        public Builder permitPreflight(boolean permit) {
            this.permitPreflight = permit;
            return this;
        }

        /**
         * @param enabled whether rejections carry an RFC 6750 {@code WWW-Authenticate}; default {@code true}
         * @return this builder
         */
        public Builder wwwAuthenticate(boolean enabled) {
            this.wwwAuthenticate = enabled;
            return this;
        }

        /**
         * @param realm the challenge's {@code realm}, or {@code null} for none (default)
         * @return this builder
         */
        public Builder realm(String realm) {
            this.realm = realm;
            return this;
        }

        /**
         * @param metadata RFC 9728 metadata to serve and to advertise in challenges; {@code null} for none
         * @return this builder
         */
        public Builder resourceMetadata(ProtectedResourceMetadata metadata) {
            this.metadata = metadata;
            return this;
        }

        /**
         * @param environment where {@code CARACAL_STS_URL} and {@code CARACAL_ZONE_ID} defaults are read
         *                    from; default {@link System#getenv(String)}
         * @return this builder
         */
        public Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /**
         * @return the boundary
         * @throws IllegalArgumentException for a missing issuer or audience, an invalid issuer, or a
         *                                  metadata URL that cannot be worked out
         * @throws NullPointerException     when no revocation store is set
         */
        public HttpBoundary build() {
            MandateVerifier defaultVerifier = verifier != null ? checkedVerifierOnly() : buildVerifier();
            if (metadata != null) {
                metadata.validate();
            }
            return new HttpBoundary(this, defaultVerifier);
        }

        private MandateVerifier checkedVerifierOnly() {
            if (issuer != null || audience != null || zoneId != null || revocations != null || !verifierOptions.isEmpty()) {
                throw new IllegalArgumentException("set either verifier(...) or the issuer/audience/zoneId/revocations/verifierOptions options, not both");
            }
            return verifier;
        }

        private MandateVerifier buildVerifier() {
            String effectiveIssuer = issuer != null ? issuer : env("CARACAL_STS_URL");
            if (effectiveIssuer == null) {
                throw new IllegalArgumentException("Caracal issuer missing: set issuer or CARACAL_STS_URL");
            }
            if (issuer == null) {
                effectiveIssuer = stripTrailingSlashes(effectiveIssuer);
            }
            if (audience == null || audience.isBlank()) {
                throw new IllegalArgumentException("Caracal audience missing: set this resource's audience");
            }
            Objects.requireNonNull(revocations, "Caracal revocation store missing: set revocations");
            MandateVerifier.Builder builder = MandateVerifier.builder()
                    .issuer(effectiveIssuer)
                    .audience(audience)
                    .zoneId(zoneId != null ? zoneId : env("CARACAL_ZONE_ID"))
                    .revocations(revocations);
            verifierOptions.forEach(options -> options.accept(builder));
            return builder.build();
        }

        private String env(String name) {
            String value = environment.apply(name);
            return value == null || value.isBlank() ? null : value;
        }

        private static String stripTrailingSlashes(String url) {
            int end = url.length();
            while (end > 0 && url.charAt(end - 1) == '/') {
                end--;
            }
            return url.substring(0, end);
        }
    }
}
