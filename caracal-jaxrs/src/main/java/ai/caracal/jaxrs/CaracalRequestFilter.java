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
 *       mapping or server root), percent-decoded, so route and exclude prefixes read like {@code @Path}
 *       values. Runtimes read some paths differently ({@code /items/../payouts} is routed literally by
 *       Jersey and normalised by Quarkus REST; matrix parameters and {@code %2F} vary too): such a
 *       request must satisfy the rule of every reading, and is never excluded (connectors.md §3.5,
 *       §10.1). Routes, exclusions and responses follow {@link HttpBoundary}.</li>
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
        List<JaxrsBoundaryRequest> readings = JaxrsBoundaryRequest.readings(request);
        ReactiveSuspension suspension = ReactiveSuspension.of(request);
        if (suspension == null) {
            apply(evaluate(readings), request);
            return;
        }
        CompletableFuture<BoundaryDecision> pending = evaluateAsync(readings);
        if (pending.isDone()) {
            apply(pending.join(), request);
            return;
        }
        boolean secure = request.getSecurityContext().isSecure();
        String method = request.getMethod();
        suspension.suspend(request);
        pending.whenComplete((decision, failure) -> {
            if (decision == null) {
                // evaluateAsync never fails; should it, the request must still end, and closed.
                log.error("Caracal verification failed unexpectedly; request rejected", failure);
                request.abortWith(JaxrsResponses.of(boundary.rejection(AuthError.of(ErrorCode.INVALID_TOKEN), List.of(), method)));
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

    /** Every reading must pass; the first answer found is the one written. */
    private BoundaryDecision evaluate(List<JaxrsBoundaryRequest> readings) {
        BoundaryDecision combined = boundary.evaluate(readings.get(0));
        for (int i = 1; i < readings.size() && combined.kind() != BoundaryDecision.Kind.RESPOND; i++) {
            combined = stricter(combined, boundary.evaluate(readings.get(i)));
        }
        return combined;
    }

    private CompletableFuture<BoundaryDecision> evaluateAsync(List<JaxrsBoundaryRequest> readings) {
        CompletableFuture<BoundaryDecision> combined = boundary.evaluateAsync(readings.get(0)).toCompletableFuture();
        for (int i = 1; i < readings.size(); i++) {
            combined = combined.thenCombine(boundary.evaluateAsync(readings.get(i)), CaracalRequestFilter::stricter);
        }
        return combined;
    }

    /** An answer beats a verification, which beats a pass. */
    private static BoundaryDecision stricter(BoundaryDecision first, BoundaryDecision second) {
        if (first.kind() == BoundaryDecision.Kind.RESPOND || second.kind() == BoundaryDecision.Kind.PASS) {
            return first;
        }
        return second.kind() == BoundaryDecision.Kind.RESPOND || first.kind() == BoundaryDecision.Kind.PASS ? second : first;
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
