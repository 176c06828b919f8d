package ai.caracal.jaxrs;

import ai.caracal.verify.AuthError;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.BoundaryBuilder;
import ai.caracal.verify.http.BoundaryDecision;
import ai.caracal.verify.http.BoundaryResponse;
import ai.caracal.verify.http.BoundaryScope;
import ai.caracal.verify.http.CapturedContext;
import ai.caracal.verify.http.EarlyAnswer;
import ai.caracal.verify.http.HttpBoundary;
import ai.caracal.verify.http.ResourceMetadataEndpoint;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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
 *       {@code @Provider}, {@code @PreMatching} and {@code @Priority(Priorities.AUTHENTICATION)}, and
 *       delegate all three roles: {@link #filter(ContainerRequestContext)},
 *       {@link #filter(ContainerRequestContext, ContainerResponseContext)} and {@link #aroundWriteTo}.</li>
 * </ul>
 *
 * <p><b>Early answers</b> (connectors.md §10.3). A rejected request's body is usually still arriving
 * when the answer is ready. The same object is also a {@link WriterInterceptor}: after the runtime has
 * written and flushed the rejection, it reads and discards the rest of that request's body, up to the
 * builder's {@code drainLimit} (16 MiB by default), so the runtime does not close the connection on unread
 * bytes and reset the client's answer; a body announced larger gets {@code Connection: close} instead.
 * Registering the object registers both roles; a provider class of your own (Quarkus) delegates
 * {@link #aroundWriteTo} too.
 *
 * <p><b>Live connections</b> (connectors.md §10.4). A verified {@code text/event-stream} response is
 * registered with the boundary's {@link ai.caracal.verify.http.LiveConnections} and ends when its mandate
 * expires, is revoked or becomes stale:
 * <ul>
 *   <li>Jersey (an {@code SseEventSink} resource), and on Quarkus REST a response entity of that type (a
 *       {@code StreamingOutput}): the object is also a {@link ContainerResponseFilter} that replaces the
 *       entity stream; ending closes it, which completes the response, and the runtime's next write fails
 *       (a Jersey {@code SseEventSink} then closes).</li>
 *   <li>Quarkus REST, whose {@code SseEventSink} methods and {@code Multi} streams run no response filter
 *       and write straight to Vert.x: the request filter watches a verified request's response (RESTEasy
 *       Reactive's pre-commit listener, called reflectively) and registers it when its head is written
 *       with that type. Ending runs on the request's event loop: an {@code SseEventSink} is closed (the
 *       response completes, {@code isClosed()} is {@code true}, {@code send} throws); a {@code Multi}'s
 *       HTTP/1.x connection is closed (an HTTP/2 stream reset), which cancels it.</li>
 *   <li>RESTEasy classic: put the servlet {@code CaracalFilter} in front (connectors.md §10.4).</li>
 * </ul>
 * A provider class of your own delegates {@link #filter(ContainerRequestContext, ContainerResponseContext)}
 * too.
 *
 * <p><b>Baggage</b> (interop.md §1). With the OpenTelemetry API on the class path, the {@code caracal.*}
 * W3C Baggage of the verified claims ({@link HttpBoundary#enter}) is made current for the resource method,
 * so the clients it calls carry it; incoming {@code caracal.*} entries are dropped, also on excluded
 * requests. Where that context lives depends on the runtime:
 * <ul>
 *   <li>Where the filter runs on a worker thread (Jersey, RESTEasy classic), it is current on that thread
 *       from the filter until the response filters run (before the entity is written). The scope is closed
 *       only on the thread that opened it, and only while it is still that thread's current context
 *       (OpenTelemetry ignores any other close): a synchronous resource's by the response filter (its
 *       entity is written after it; a {@code StreamingOutput} that calls other services while it writes
 *       does not carry the baggage). An asynchronous one ({@code @Suspended AsyncResponse}, a
 *       {@code CompletionStage} result, an {@code SseEventSink}) has the baggage while its method runs on
 *       the worker thread, but its response may be written on another thread, and the threads it hands
 *       work to do not inherit the context (wrap your executor with {@code Context.current().wrap(...)}).
 *       Its scope stays open on the worker thread until that thread's next request through this filter
 *       closes it first, or until a server instrumentation around the request (the OpenTelemetry agent, a
 *       servlet filter) restores its own context when the request's thread returns; the same holds for an
 *       exception no mapper answers, for which the runtime skips the response filters.</li>
 *   <li>Quarkus REST runs the filter on a Vert.x event loop, and the resource method there or on a worker
 *       thread, so a thread's context is the wrong place. The baggage is entered only with Quarkus'
 *       OpenTelemetry extension ({@code quarkus-opentelemetry}), whose context storage keeps the current
 *       context in the request's Vert.x (duplicated) context: it follows the request to the worker thread and
 *       goes with the request. The filter enters it there at once, or, when verification had to wait (the
 *       request suspended), on the request's own Vert.x context before the request resumes, on the context
 *       taken when the request arrived. It is not closed: the response filter does not run for every
 *       response (SSE sinks, {@code Multi} streams), an entity written later keeps the baggage, and the
 *       extension's own scope, closed when the response is sent, takes the request's context away. With any
 *       other context storage (OpenTelemetry's default, thread-local) nothing is done on Quarkus REST: a scope
 *       left on the event loop's thread would give one request's baggage to the others it serves. Read the
 *       claims with {@link CaracalClaims} there.</li>
 * </ul>
 *
 * <p>Thread-safe: one instance serves every request.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class CaracalRequestFilter implements ContainerRequestFilter, ContainerResponseFilter, WriterInterceptor {

    /** The request property holding the verified {@link Claims}. */
    public static final String CLAIMS_PROPERTY = "ai.caracal.claims";

    /** The request property holding the unread body of a request answered at the boundary (§10.3). */
    private static final String DRAIN_PROPERTY = "ai.caracal.drain";

    /** The request property holding the baggage scope opened for the request, until it is closed. */
    private static final String SCOPE_PROPERTY = "ai.caracal.scope";

    private static final Logger log = LoggerFactory.getLogger(CaracalRequestFilter.class);

    private final HttpBoundary boundary;

    /** The baggage scope this filter holds open on each worker thread: at most one, closed on that thread. */
    private final ThreadLocal<BoundaryScope> openScope = new ThreadLocal<>();

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
            BoundaryDecision decision = evaluate(readings);
            apply(decision, request);
            enterContext(decision, request);
            return;
        }
        VertxRequestContext perRequest = boundary.entersContext() ? VertxRequestContext.current() : null;
        CompletableFuture<BoundaryDecision> pending = evaluateAsync(readings);
        if (pending.isDone()) {
            BoundaryDecision decision = pending.join();
            apply(decision, request);
            if (perRequest != null) {
                // Kept in the request's own Vert.x context, dropped with it: not closed (see "Baggage").
                boundary.enter(decision);
            }
            return;
        }
        CapturedContext captured = perRequest == null ? CapturedContext.CURRENT : boundary.captureContext();
        boolean secure = request.getSecurityContext().isSecure();
        String method = request.getMethod();
        suspension.suspend(request);
        pending.whenComplete((decision, failure) -> {
            if (decision == null) {
                // evaluateAsync never fails; should it, the request must still end, and closed.
                log.error("Caracal verification failed unexpectedly; request rejected", failure);
                abort(request, boundary.rejection(AuthError.of(ErrorCode.INVALID_TOKEN), List.of(), method));
                return;
            }
            if (decision.kind() == BoundaryDecision.Kind.RESPOND) {
                // abortWith resumes a suspended request on its own.
                abort(request, decision.response());
                return;
            }
            attach(decision, request, secure);
            resume(request, suspension, perRequest, decision, captured);
        });
    }

    /**
     * Resumes a suspended Quarkus REST request. With per-request context storage, the request's baggage is
     * first made current on its own Vert.x context (this thread, which completed the verification, is not
     * the request's), from the context taken when the request arrived; the chain then goes on from there.
     */
    private void resume(ContainerRequestContext request, ReactiveSuspension suspension, VertxRequestContext perRequest,
            BoundaryDecision decision, CapturedContext captured) {
        if (perRequest == null || !perRequest.execute(() -> {
            try {
                boundary.enter(decision, captured);
            } finally {
                suspension.resume(request);
            }
        })) {
            suspension.resume(request);
        }
    }

    /**
     * Closes the request's baggage scope when this thread holds it (see "Baggage" above), and registers a
     * verified {@code text/event-stream} response as a live connection (connectors.md §10.4):
     * its entity stream is replaced by one that the boundary's {@link ai.caracal.verify.http.LiveConnections}
     * closes when the mandate expires, is revoked or becomes stale. Other responses, and one already
     * registered (Quarkus REST), are left alone.
     *
     * @param request  the request context
     * @param response the response context
     */
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        leaveContext(request);
        if (!(request.getProperty(CLAIMS_PROPERTY) instanceof Claims claims)) {
            return;
        }
        MediaType type = response.getMediaType();
        if (type == null || !MediaType.SERVER_SENT_EVENTS_TYPE.isCompatible(type)
                || request.getProperty(ReactiveLiveStreams.LIVE_PROPERTY) != null) {
            return;
        }
        request.setProperty(ReactiveLiveStreams.LIVE_PROPERTY, Boolean.TRUE);
        response.setEntityStream(new LiveEntityStream(response.getEntityStream(), claims, boundary.liveConnections()));
    }

    /**
     * Opens the request's baggage scope on this worker thread (a passed or verified request), after
     * closing one an earlier request left open on it.
     */
    private void enterContext(BoundaryDecision decision, ContainerRequestContext request) {
        if (!boundary.entersContext()) {
            return;
        }
        closeOpenScope();
        if (decision.kind() == BoundaryDecision.Kind.RESPOND) {
            return;
        }
        BoundaryScope scope = boundary.enter(decision);
        if (scope != BoundaryScope.NONE) {
            openScope.set(scope);
            request.setProperty(SCOPE_PROPERTY, scope);
        }
    }

    /** Closes the request's baggage scope, when this thread holds it open. */
    private void leaveContext(ContainerRequestContext request) {
        if (request.getProperty(SCOPE_PROPERTY) instanceof BoundaryScope scope && openScope.get() == scope) {
            request.removeProperty(SCOPE_PROPERTY);
            closeOpenScope();
        }
    }

    private void closeOpenScope() {
        BoundaryScope scope = openScope.get();
        if (scope != null) {
            openScope.remove();
            scope.close();
        }
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

    /**
     * Writes the response as usual; for a request this filter answered, then flushes the answer to the
     * client and reads and discards the rest of the request body (at most the drain limit).
     *
     * @param context the write in progress
     * @throws IOException when writing the answer fails
     */
    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        context.proceed();
        if (context.getProperty(DRAIN_PROPERTY) instanceof InputStream body) {
            sendNow(context.getOutputStream());
            try {
                EarlyAnswer.drain(body, boundary.drainLimit());
            } catch (IOException clientWentAway) {
                // The answer was sent; the container closes the connection.
            }
        }
    }

    /**
     * Gets the answer onto the wire before the drain. A plain {@code flush()} is not always enough: Jersey
     * buffers a small entity to learn its length and ignores {@code flush()} until then, so its stream's
     * public {@code commit()} (found by name, so that no runtime is a dependency) is called first.
     */
    private static void sendNow(OutputStream out) throws IOException {
        try {
            Method commit = out.getClass().getMethod("commit");
            if (commit.getParameterCount() == 0) {
                commit.invoke(out);
            }
        } catch (NoSuchMethodException | IllegalAccessException | RuntimeException notThatRuntime) {
            // another runtime: flush() below is what it offers
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
        }
        out.flush();
    }

    private void apply(BoundaryDecision decision, ContainerRequestContext request) {
        if (decision.kind() == BoundaryDecision.Kind.RESPOND) {
            abort(request, decision.response());
        } else if (decision.kind() == BoundaryDecision.Kind.VERIFIED) {
            attach(decision, request, request.getSecurityContext().isSecure());
        }
    }

    /** Aborts with the boundary's answer, and arranges for the unread body (§10.3). */
    private void abort(ContainerRequestContext request, BoundaryResponse response) {
        String transferEncoding = request.getHeaderString("Transfer-Encoding");
        EarlyAnswer.Handling handling = EarlyAnswer.handling("HTTP/1.1", request.getLength(),
                transferEncoding != null && !transferEncoding.isBlank(), boundary.drainLimit());
        Response answer = JaxrsResponses.of(response);
        if (handling == EarlyAnswer.Handling.CLOSE) {
            answer = Response.fromResponse(answer).header("Connection", "close").build();
        } else if (handling == EarlyAnswer.Handling.DRAIN && response.includeBody()) {
            request.setProperty(DRAIN_PROPERTY, request.getEntityStream());
        }
        request.abortWith(answer);
    }

    private void attach(BoundaryDecision decision, ContainerRequestContext request, boolean secure) {
        if (decision.kind() == BoundaryDecision.Kind.VERIFIED) {
            request.setProperty(CLAIMS_PROPERTY, decision.claims());
            request.setSecurityContext(new CaracalSecurityContext(decision.claims(), secure));
            ReactiveLiveStreams streams = ReactiveLiveStreams.of(request);
            if (streams != null) {
                streams.watch(request, decision.claims(), boundary.liveConnections());
            }
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
