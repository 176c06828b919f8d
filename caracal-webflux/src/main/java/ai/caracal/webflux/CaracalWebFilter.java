package ai.caracal.webflux;

import ai.caracal.verify.Claims;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.BoundaryBuilder;
import ai.caracal.verify.http.BoundaryDecision;
import ai.caracal.verify.http.BoundaryScope;
import ai.caracal.verify.http.CapturedContext;
import ai.caracal.verify.http.HttpBoundary;
import ai.caracal.verify.http.LiveConnections;
import ai.caracal.verify.http.ResourceMetadataEndpoint;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * Verifies the Caracal mandate of every request before any Spring WebFlux handler runs, without ever
 * blocking the thread it runs on. A rejected request gets 401 or 403 with the canonical JSON body,
 * {@code Cache-Control: no-store} and an RFC 6750 {@code WWW-Authenticate}, and never reaches the
 * handler; a verified request carries its {@link Claims} in the exchange attribute
 * {@value #CLAIMS_ATTRIBUTE} and in the Reactor context under {@code Claims.class} (read them with
 * {@link CaracalExchanges}, or with {@code @CaracalClaims} through {@link CaracalClaimsArgumentResolver}).
 *
 * <pre>{@code
 * @Bean
 * CaracalWebFilter caracal(MandateVerifier verifier) {
 *     return CaracalWebFilter.builder()
 *         .verifier(verifier)
 *         .route("/payouts", Requirements.builder().requiredScopes("payout").requireAgent(true).build())
 *         .exclude("/healthz")
 *         .build();
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Never blocks.</b> The filter calls {@link HttpBoundary#evaluateAsync}. When the decision is
 *       already made (held key set, in-memory store, missing token, excluded path) the chain continues on
 *       the calling thread with nothing scheduled. Otherwise (a key set fetch, a Redis round trip) the
 *       request waits without holding a thread, and continues on its own event loop on Reactor Netty
 *       (where its connection lives, so the response is written with no further hand-off) and on
 *       Reactor's {@code parallel} scheduler on other servers; never on the JWKS fetcher's or the Redis
 *       client's threads. A stalled key set or store fails closed
 *       at its time-out.</li>
 *   <li><b>Paths</b> are matched as WebFlux routing matches them: the path within the application
 *       ({@code spring.webflux.base-path} removed), each segment percent-decoded and without its
 *       {@code ;} parameters. WebFlux neither normalises nor refuses paths, and its routing matches dot
 *       segments literally, so a path that routing and the boundary could read differently (an empty,
 *       {@code .} or {@code ..} segment, an encoded {@code /} or {@code \}, a control character, a
 *       malformed escape) is answered 400 with no body and never reaches a handler, as a servlet
 *       container refuses it. Routes, exclusions and responses follow {@link HttpBoundary}.</li>
 *   <li>The filter answers the RFC 9728 document itself at its path when {@code resourceMetadata(...)}
 *       is set: a {@code WebFilter} sees every request of the application.</li>
 *   <li><b>Live connections</b> (connectors.md §10.4): a verified response written as
 *       {@code text/event-stream} (an SSE endpoint, Spring AI's WebFlux MCP transport) is registered with
 *       the boundary's {@link LiveConnections} and completes when its mandate expires, is revoked or becomes
 *       stale; WebSockets are closed with 1008 through {@link CaracalWebSocketService}.</li>
 *   <li><b>Baggage</b> (interop.md §1): with the OpenTelemetry API on the class path, the rest of the
 *       chain is subscribed with {@link HttpBoundary#enter} current: the {@code caracal.*} W3C Baggage
 *       entries of the verified claims replace the caller's, and the caller's other entries (and its
 *       trace) pass: those of the context current when the filter ran, also when the decision came
 *       later on another thread (a key set fetch, a Redis round trip). Handler code that runs while the chain is subscribed (an
 *       annotated controller's method, a {@code WebClient} call it assembles and subscribes, as
 *       OpenTelemetry's Reactor instrumentation captures the context then) sees them. The scope is
 *       closed before the subscribing call returns: code that runs later on another thread sees what its
 *       own context propagation gives it (Reactor's automatic context propagation, the OpenTelemetry
 *       agent); the claims themselves are always in the Reactor context.</li>
 *   <li>{@link #getOrder()} is {@value #DEFAULT_ORDER} by default: after Spring Security's
 *       {@code WebFilterChainProxy} (-100), before application filters. Put CORS handling before it.</li>
 * </ul>
 *
 * <p>Thread-safe: one instance serves every exchange. Claims are per exchange and per subscription,
 * never shared between requests.
 */
public final class CaracalWebFilter implements WebFilter, Ordered {

    /** The exchange attribute holding the verified {@link Claims}. */
    public static final String CLAIMS_ATTRIBUTE = "ai.caracal.claims";

    /** The exchange attribute holding the boundary's {@link LiveConnections}, for {@link CaracalWebSocketService}. */
    static final String LIVE_CONNECTIONS_ATTRIBUTE = "ai.caracal.liveConnections";

    /** The default {@link #getOrder()}: after Spring Security's web filter chain (-100). */
    public static final int DEFAULT_ORDER = -90;

    private static final Logger log = LoggerFactory.getLogger(CaracalWebFilter.class);

    private final HttpBoundary boundary;
    private final int order;
    private final AtomicBoolean untrackedWebSocketWarned = new AtomicBoolean();

    private CaracalWebFilter(HttpBoundary boundary, int order) {
        this.boundary = boundary;
        this.order = order;
    }

    /** @return a builder; a verifier (or the options to build one) is required */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = RequestPaths.of(exchange.getRequest());
        if (path == null) {
            log.debug("Caracal refused an ambiguous request path with 400");
            return WebFluxResponses.ambiguousPath(exchange);
        }
        CompletableFuture<BoundaryDecision> decision = boundary
                .evaluateAsync(new ExchangeBoundaryRequest(exchange.getRequest(), path)).toCompletableFuture();
        if (decision.isDone()) {
            return apply(decision.join(), exchange, chain, CapturedContext.CURRENT);
        }
        CapturedContext captured = boundary.captureContext();
        Executor loop = RequestLoops.of(exchange.getRequest());
        Mono<BoundaryDecision> later = loop == null ? Mono.fromFuture(decision).publishOn(Schedulers.parallel())
                : Mono.fromFuture(decision.thenApplyAsync(Function.identity(), loop));
        return later.flatMap(done -> apply(done, exchange, chain, captured));
    }

    private Mono<Void> apply(BoundaryDecision decision, ServerWebExchange exchange, WebFilterChain chain,
                             CapturedContext captured) {
        switch (decision.kind()) {
            case VERIFIED:
                Claims claims = decision.claims();
                LiveConnections live = boundary.liveConnections();
                exchange.getAttributes().put(CLAIMS_ATTRIBUTE, claims);
                exchange.getAttributes().put(LIVE_CONNECTIONS_ATTRIBUTE, live);
                ServerWebExchange tracked = exchange.mutate()
                        .response(new LiveHttpResponse(exchange.getResponse(), claims, live)).build();
                if (isWebSocketUpgrade(exchange)) {
                    warnIfUntracked(tracked);
                }
                return inContext(decision, captured, () -> chain.filter(tracked)).contextWrite(Context.of(Claims.class, claims));
            case PASS:
                return inContext(decision, captured, () -> chain.filter(exchange));
            default:
                return WebFluxResponses.write(decision.response(), exchange);
        }
    }

    /**
     * @return {@code next}, made and subscribed with the request's context current
     *         ({@link HttpBoundary#enter}, on the context taken when the request arrived if the decision
     *         came later on another thread); {@code next} itself when there is none to make current
     */
    private Mono<Void> inContext(BoundaryDecision decision, CapturedContext captured, Supplier<Mono<Void>> next) {
        if (!boundary.entersContext()) {
            return next.get();
        }
        return new Mono<>() {
            @Override
            public void subscribe(CoreSubscriber<? super Void> actual) {
                try (BoundaryScope scope = boundary.enter(decision, captured)) {
                    next.get().subscribe(actual);
                }
            }
        };
    }

    private static boolean isWebSocketUpgrade(ServerWebExchange exchange) {
        return "websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getFirst("Upgrade"));
    }

    /** One WARN the first time a verified WebSocket is accepted without a {@link CaracalWebSocketService}. */
    private void warnIfUntracked(ServerWebExchange exchange) {
        if (untrackedWebSocketWarned.get()) {
            return;
        }
        exchange.getResponse().beforeCommit(() -> {
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            boolean accepted = status == null || status.is1xxInformational() || status.is2xxSuccessful();
            if (accepted && exchange.getAttribute(CaracalWebSocketService.TRACKED_ATTRIBUTE) == null
                    && untrackedWebSocketWarned.compareAndSet(false, true)) {
                log.warn("A verified WebSocket was accepted without CaracalWebSocketService: it will not be closed when "
                        + "its mandate expires or is revoked. Use new WebSocketHandlerAdapter(new CaracalWebSocketService()) "
                        + "(connectors.md §10.4). Logged once");
            }
            return Mono.empty();
        });
    }

    /** @return the order among web filters, {@value #DEFAULT_ORDER} unless configured */
    @Override
    public int getOrder() {
        return order;
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
                .orElseThrow(() -> new IllegalStateException("no resourceMetadata(...) configured on this CaracalWebFilter"));
    }

    /**
     * Builder for {@link CaracalWebFilter}: the connector options of {@link BoundaryBuilder} (a verifier
     * or issuer/audience/zone/revocations with environment defaults, routes, exclude, preflight,
     * challenge and metadata settings) plus {@link #order(int)}. Not thread-safe.
     */
    public static final class Builder extends BoundaryBuilder<Builder> {

        private int order = DEFAULT_ORDER;

        private Builder() {
        }

        /**
         * @param order the filter's order among web filters; default {@value CaracalWebFilter#DEFAULT_ORDER}
         * @return this builder
         */
        public Builder order(int order) {
            this.order = order;
            return this;
        }

        /**
         * @return the filter
         * @throws IllegalArgumentException for a missing issuer or audience, an invalid issuer, bad routes
         *                                  or metadata; the message says what to set
         * @throws NullPointerException     when no revocation store is set
         */
        public CaracalWebFilter build() {
            return new CaracalWebFilter(buildBoundary(), order);
        }
    }
}
