package ai.caracal.jaxrs;

import ai.caracal.verify.AuthError;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.BoundaryBuilder;
import ai.caracal.verify.http.BoundaryDecision;
import ai.caracal.verify.http.HttpBoundary;
import ai.caracal.verify.http.ResourceMetadataEndpoint;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the Caracal mandate of every request of a Jakarta REST application before resource matching
 * (Jersey, RESTEasy, Quarkus REST). A rejected request is aborted with 401 or 403, the canonical JSON
 * body, {@code Cache-Control: no-store} and an RFC 6750 {@code WWW-Authenticate}, and never reaches a
 * resource method; a verified request carries its {@link Claims} in the request property
 * {@value #CLAIMS_PROPERTY} and in its {@link jakarta.ws.rs.core.SecurityContext}, whose principal is a
 * {@link CaracalPrincipal} (read them with {@link CaracalClaims}).
 *
 * <pre>{@code
 * CaracalRequestFilter caracal = CaracalRequestFilter.builder()
 *     .verifier(verifier)
 *     .route("/payouts", Requirements.builder().requiredScopes("payout").requireAgent(true).build())
 *     .exclude("/healthz")
 *     .build();
 * new ResourceConfig().register(caracal).register(PayoutResource.class);   // Jersey
 * }</pre>
 *
 * <ul>
 *   <li>It is {@link PreMatching} with {@link Priorities#AUTHENTICATION}: it runs before resource
 *       matching, so unknown paths and unsupported methods are rejected like any other request. Put CORS
 *       handling in a filter with a lower priority value.</li>
 *   <li>Paths are matched relative to the application's base URI (the {@code @ApplicationPath}, servlet
 *       mapping or server root), decoded, with matrix parameters removed, so route and exclude prefixes
 *       read like {@code @Path} values. A path whose reading depends on the runtime (matrix parameters,
 *       an encoded {@code /}, a malformed escape) or that has {@code .}/{@code ..} or empty segments is
 *       never excluded; see connectors.md §3.5. Routes, exclusions and responses follow
 *       {@link HttpBoundary}.</li>
 *   <li>Where the filter runs on a worker thread (Jersey, RESTEasy classic) it verifies with the
 *       blocking path: at most one key set fetch and one store round trip. On Quarkus REST, where
 *       pre-matching filters run on a Vert.x event loop, it uses the non-blocking path
 *       ({@link HttpBoundary#evaluateAsync}): when the answer needs I/O the request is suspended and
 *       resumed on its event loop once verification completes; when everything is in memory it
 *       continues at once.</li>
 *   <li>Runtimes that instantiate providers themselves (Quarkus, classpath scanning) need a provider
 *       class of their own that builds one filter and delegates to it; give that class the same
 *       {@code @Provider}, {@code @PreMatching} and {@code @Priority(Priorities.AUTHENTICATION)}.</li>
 * </ul>
 *
 * <p>Thread-safe: one instance serves every request.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class CaracalRequestFilter implements ContainerRequestFilter {

    /** The request property holding the verified {@link Claims}. */
    public static final String CLAIMS_PROPERTY = "ai.caracal.claims";

    private static final Logger log = LoggerFactory.getLogger(CaracalRequestFilter.class);

    private final HttpBoundary boundary;

    private CaracalRequestFilter(HttpBoundary boundary) {
        this.boundary = boundary;
    }

    /** @return a builder; a verifier (or the options to build one) is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies one request: returns normally to let it continue (with claims when verified), or aborts
     * it with the boundary's response. Never throws for any request content.
     *
     * @param request the request context
     */
    @Override
    public void filter(ContainerRequestContext request) {
        JaxrsBoundaryRequest view = new JaxrsBoundaryRequest(request);
        ReactiveSuspension suspension = ReactiveSuspension.of(request);
        if (suspension == null) {
            apply(boundary.evaluate(view), request);
            return;
        }
        CompletableFuture<BoundaryDecision> pending = boundary.evaluateAsync(view).toCompletableFuture();
        if (pending.isDone()) {
            apply(pending.join(), request);
            return;
        }
        boolean secure = request.getSecurityContext().isSecure();
        suspension.suspend(request);
        pending.whenComplete((decision, failure) -> {
            if (decision == null) {
                // evaluateAsync never fails; should it, the request must still end, and closed.
                log.error("Caracal verification failed unexpectedly; request rejected", failure);
                request.abortWith(JaxrsResponses.of(boundary.rejection(AuthError.of(ErrorCode.INVALID_TOKEN), List.of(), view.method())));
                return;
            }
            if (decision.kind() == BoundaryDecision.Kind.RESPOND) {
                // abortWith resumes a suspended request on its own.
                request.abortWith(JaxrsResponses.of(decision.response()));
                return;
            }
            attach(decision, request, secure);
            suspension.resume(request);
        });
    }

    private static void apply(BoundaryDecision decision, ContainerRequestContext request) {
        if (decision.kind() == BoundaryDecision.Kind.RESPOND) {
            request.abortWith(JaxrsResponses.of(decision.response()));
        } else if (decision.kind() == BoundaryDecision.Kind.VERIFIED) {
            attach(decision, request, request.getSecurityContext().isSecure());
        }
    }

    private static void attach(BoundaryDecision decision, ContainerRequestContext request, boolean secure) {
        if (decision.kind() == BoundaryDecision.Kind.VERIFIED) {
            request.setProperty(CLAIMS_PROPERTY, decision.claims());
            request.setSecurityContext(new CaracalSecurityContext(decision.claims(), secure));
        }
    }

    /** @return the boundary this filter delegates to (its default verifier, routes and settings) */
    public HttpBoundary boundary() {
        return boundary;
    }

    /** @return the verifier of the default rule (for {@code warmup()} at start-up, for example) */
    public MandateVerifier verifier() {
        return boundary.verifier();
    }

    /**
     * @return the RFC 9728 document endpoint
     * @throws IllegalStateException when no {@code resourceMetadata(...)} is configured
     */
    public ResourceMetadataEndpoint metadata() {
        return boundary.metadataEndpoint()
                .orElseThrow(() -> new IllegalStateException("no resourceMetadata(...) configured on this CaracalRequestFilter"));
    }

    /**
     * Builder for {@link CaracalRequestFilter}: the connector options of {@link BoundaryBuilder}
     * (a verifier or issuer/audience/zone/revocations with environment defaults, routes, exclude,
     * preflight, challenge and metadata settings). Not thread-safe.
     */
    public static final class Builder extends BoundaryBuilder<Builder> {

        private Builder() {
        }

        /**
         * @return the filter
         * @throws IllegalArgumentException for a missing issuer or audience, an invalid issuer, bad routes
         *                                  or metadata; the message says what to set
         * @throws NullPointerException     when no revocation store is set
         */
        public CaracalRequestFilter build() {
            return new CaracalRequestFilter(buildBoundary());
        }
    }
}
