package ai.caracal.verify.http;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.verify.CaracalEnvironment;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.audit.AsyncAuditSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The options every HTTP connector takes (the Servlet filter, the JDK server filter, Spring), in one
 * place: give it a {@link #verifier(MandateVerifier)}, or the options to build one, in which case the
 * issuer and zone default to the environment variables {@code CARACAL_STS_URL} and
 * {@code CARACAL_ZONE_ID}, read once when the connector is built, through {@link CaracalEnvironment}
 * (a blank variable counts as unset; the issuer loses its trailing {@code /}); then routes, exclusions,
 * preflight, challenge and metadata settings, and the drain limit of early answers. Setters reject
 * {@code null} with a {@link NullPointerException} naming the option, except where noted.
 * Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class BoundaryBuilder<B extends BoundaryBuilder<B>> {

    private MandateVerifier verifier;
    private String issuer;
    private String audience;
    private String zoneId;
    private boolean zoneIdSet;
    private RevocationStore revocations;
    private final List<Consumer<MandateVerifier.Builder>> verifierOptions = new ArrayList<>();
    private final Map<String, Requirements> routes = new LinkedHashMap<>();
    private final List<String> excludes = new ArrayList<>();
    private boolean permitPreflight;
    private boolean wwwAuthenticate = true;
    private String realm;
    private ProtectedResourceMetadata metadata;
    private long drainLimit = EarlyAnswer.DEFAULT_DRAIN_LIMIT;
    private LiveConnections liveConnections;
    private Set<String> allowedOrigins;
    private Function<String, String> environment = System::getenv;
    private AsyncAuditSink audit;
    private boolean baggage = true;

    /** For connector builders. */
    protected BoundaryBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * @param verifier the verifier of the default rule; routes derive theirs with
     *                 {@code verifier.require(...)}. Excludes the issuer/audience/zone/revocations options.
     * @return this builder
     */
    public B verifier(MandateVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        return self();
    }

    /**
     * @param issuer the STS base URL (default: env {@code CARACAL_STS_URL})
     * @return this builder
     */
    public B issuer(String issuer) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        return self();
    }

    /**
     * @param audience this resource's audience (required unless a verifier is given)
     * @return this builder
     */
    public B audience(String audience) {
        this.audience = Objects.requireNonNull(audience, "audience");
        return self();
    }

    /**
     * @param zoneId the zone (default: env {@code CARACAL_ZONE_ID}); {@code null} means no zone
     * @return this builder
     */
    public B zoneId(String zoneId) {
        this.zoneId = zoneId;
        this.zoneIdSet = true;
        return self();
    }

    /**
     * @param revocations the revocation store (required unless a verifier is given)
     * @return this builder
     */
    public B revocations(RevocationStore revocations) {
        this.revocations = Objects.requireNonNull(revocations, "revocations");
        return self();
    }

    /**
     * Any other verifier option (default requirements, JWKS settings, listeners), applied to the
     * verifier this builder creates.
     *
     * @param options for example {@code v -> v.requiredScopes("read").requireAgent(true)}
     * @return this builder
     */
    public B verifierOptions(Consumer<MandateVerifier.Builder> options) {
        verifierOptions.add(Objects.requireNonNull(options, "verifierOptions"));
        return self();
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
    public B route(String prefix, Requirements requirements) {
        Objects.requireNonNull(prefix, "route");
        Objects.requireNonNull(requirements, "requirements");
        String normalised = CanonicalPath.prefix(prefix, "route");
        if (routes.putIfAbsent(normalised, requirements) != null) {
            throw new IllegalArgumentException("route " + normalised + " is configured twice");
        }
        return self();
    }

    /**
     * @param prefixes path prefixes that pass unverified and without claims (canonical paths only)
     * @return this builder
     */
    public B exclude(String... prefixes) {
        for (String prefix : Objects.requireNonNull(prefixes, "exclude")) {
            excludes.add(CanonicalPath.prefix(Objects.requireNonNull(prefix, "exclude"), "exclude"));
        }
        return self();
    }

    /**
     * @param permit whether CORS preflights ({@code OPTIONS} with {@code Origin} and
     *               {@code Access-Control-Request-Method}) pass unverified; default {@code false}
     * @return this builder
     */
    public B permitPreflight(boolean permit) {
        this.permitPreflight = permit;
        return self();
    }

    /**
     * @param enabled whether rejections carry an RFC 6750 {@code WWW-Authenticate}; default {@code true}
     * @return this builder
     */
    public B wwwAuthenticate(boolean enabled) {
        this.wwwAuthenticate = enabled;
        return self();
    }

    /**
     * @param realm the challenge's {@code realm}, or {@code null} for none (default)
     * @return this builder
     */
    public B realm(String realm) {
        this.realm = realm;
        return self();
    }

    /**
     * @param metadata RFC 9728 metadata to serve and to advertise in challenges; {@code null} for none
     * @return this builder
     */
    public B resourceMetadata(ProtectedResourceMetadata metadata) {
        this.metadata = metadata;
        return self();
    }

    /**
     * How much of the body of a request answered at the boundary (401/403, metadata) the connector reads
     * and discards after writing the answer, so that a client still sending its body receives the answer
     * instead of a connection reset (connectors.md §10.3, {@link EarlyAnswer}). Set it to the largest
     * request body the application behind the connector accepts. A body announced larger is not read:
     * the answer carries {@code Connection: close}.
     *
     * @param bytes at least {@code 0}; {@code 0} reads nothing and closes the connection after answering
     *              any request with a body; default {@link EarlyAnswer#DEFAULT_DRAIN_LIMIT} (16 MiB)
     * @return this builder
     * @throws IllegalArgumentException for a negative value
     */
    public B drainLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("drainLimit must be at least 0 bytes");
        }
        this.drainLimit = bytes;
        return self();
    }

    /**
     * The registry that ends this connector's open SSE streams and WebSockets when their mandate expires,
     * is revoked or becomes stale (connectors.md §10.4). By default the boundary creates its own, re-checking
     * every 2 s against the verifier's store with the verifier's clock; hand one in to change the interval
     * or to share one registry between connectors. A registry handed in is never closed by the connector.
     *
     * @param liveConnections the registry; its store should be the verifier's
     * @return this builder
     */
    public B liveConnections(LiveConnections liveConnections) {
        this.liveConnections = Objects.requireNonNull(liveConnections, "liveConnections");
        return self();
    }

    /**
     * Sends one action-result event per decision about a mandate (allow or deny; not for excluded paths,
     * preflights or the metadata document) to this sink, off the request's path (connectors.md §11).
     *
     * @param audit the bounded sink, owned and closed by the caller; {@code null} for none (default)
     * @return this builder
     */
    public B audit(AsyncAuditSink audit) {
        this.audit = audit;
        return self();
    }

    /**
     * @param enabled whether {@link HttpBoundary#enter(BoundaryDecision)} puts the {@code caracal.*} W3C
     *                baggage of the verified claims in the OpenTelemetry context (and drops incoming
     *                {@code caracal.*} entries) for the handler; default {@code true}. Without
     *                {@code opentelemetry-api} on the class path there is nothing to do either way.
     * @return this builder
     */
    public B baggage(boolean enabled) {
        this.baggage = enabled;
        return self();
    }

    /**
     * Turns on the {@code Origin} rule (connectors.md §10.2 M8): a request carrying an {@code Origin}
     * header is answered 403, with a JSON-RPC error body and before its mandate is looked at, unless that
     * origin is the request's own (the scheme, host and port it was sent to) or one of {@code origins}.
     * Requests without {@code Origin} (every non-browser client) are unaffected. Call it with no
     * arguments to allow the request's own origin only. The metadata document, excluded paths and
     * permitted preflights are not subject to it.
     *
     * <p>A request's own origin comes from its {@code Host}, which the client chooses: the rule stops a
     * page on another origin from calling the server with the browser's help, not a client that forges
     * both headers (which the mandate stops).
     *
     * @param origins further allowed origins, each {@code scheme://host[:port]} (for example
     *                {@code https://app.example.com}); compared case-insensitively, default ports ignored
     * @return this builder
     * @throws IllegalArgumentException for something that is not one origin (a path, {@code null},
     *                                  {@code *}, user information)
     */
    public B allowedOrigins(String... origins) {
        Set<String> normalised = new LinkedHashSet<>();
        for (String origin : Objects.requireNonNull(origins, "allowedOrigins")) {
            String canonical = Origins.normalise(Objects.requireNonNull(origin, "allowedOrigins"));
            if (canonical == null) {
                throw new IllegalArgumentException("allowedOrigins: not an origin (scheme://host[:port]): " + origin);
            }
            normalised.add(canonical);
        }
        if (allowedOrigins != null) {
            allowedOrigins.addAll(normalised);
        } else {
            allowedOrigins = normalised;
        }
        return self();
    }

    /**
     * @param environment where {@code CARACAL_STS_URL} and {@code CARACAL_ZONE_ID} defaults are read
     *                    from; default {@link System#getenv(String)}
     * @return this builder
     */
    public B environment(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
        return self();
    }

    /**
     * Validates the options and builds the boundary a connector delegates to.
     *
     * @return the boundary
     * @throws IllegalArgumentException for a missing issuer or audience, an invalid issuer, or a
     *                                  metadata URL that cannot be worked out
     * @throws NullPointerException     when no revocation store is set
     */
    protected final HttpBoundary buildBoundary() {
        MandateVerifier defaultVerifier = verifier != null ? checkedVerifierOnly() : buildVerifier();
        if (metadata != null) {
            metadata.validate();
        }
        return new HttpBoundary(this, defaultVerifier);
    }

    Map<String, Requirements> routes() {
        return routes;
    }

    List<String> excludes() {
        return excludes;
    }

    boolean permitPreflight() {
        return permitPreflight;
    }

    boolean wwwAuthenticate() {
        return wwwAuthenticate;
    }

    String realm() {
        return realm;
    }

    ProtectedResourceMetadata metadata() {
        return metadata;
    }

    long drainLimit() {
        return drainLimit;
    }

    LiveConnections liveConnections() {
        return liveConnections;
    }

    AsyncAuditSink audit() {
        return audit;
    }

    boolean baggage() {
        return baggage;
    }

    /** @return the configured origins, or {@code null} when the Origin rule is off */
    Set<String> originAllowList() {
        return allowedOrigins;
    }

    private MandateVerifier checkedVerifierOnly() {
        if (issuer != null || audience != null || zoneIdSet || revocations != null || !verifierOptions.isEmpty()) {
            throw new IllegalArgumentException("set either verifier(...) or the issuer/audience/zoneId/revocations/verifierOptions options, not both");
        }
        return verifier;
    }

    private MandateVerifier buildVerifier() {
        CaracalEnvironment defaults = CaracalEnvironment.read(environment);
        String effectiveIssuer = issuer != null ? issuer : defaults.issuer()
                .orElseThrow(() -> new IllegalArgumentException("Caracal issuer missing: set issuer or CARACAL_STS_URL"));
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("Caracal audience missing: set this resource's audience");
        }
        Objects.requireNonNull(revocations, "Caracal revocation store missing: set revocations");
        MandateVerifier.Builder builder = MandateVerifier.builder()
                .issuer(effectiveIssuer)
                .audience(audience)
                .zoneId(zoneIdSet ? zoneId : defaults.zoneId().orElse(null))
                .revocations(revocations);
        verifierOptions.forEach(options -> options.accept(builder));
        return builder.build();
    }
}
