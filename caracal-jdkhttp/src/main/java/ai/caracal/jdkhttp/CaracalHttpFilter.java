package ai.caracal.jdkhttp;

import ai.caracal.verify.Claims;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.BoundaryBuilder;
import ai.caracal.verify.http.BoundaryDecision;
import ai.caracal.verify.http.BoundaryScope;
import ai.caracal.verify.http.EarlyAnswer;
import ai.caracal.verify.http.HttpBoundary;
import ai.caracal.verify.http.ResourceMetadataEndpoint;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies the Caracal mandate of every request on a JDK {@code com.sun.net.httpserver} context
 * before its handler runs. A rejected request gets 401 or 403 with the canonical JSON body,
 * {@code Cache-Control: no-store} and an RFC 6750 {@code WWW-Authenticate}, and never reaches the
 * handler; a verified request's {@link Claims} are readable with {@link #claims(HttpExchange)} on the
 * handler's thread.
 *
 * <pre>{@code
 * HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 8080), 0);
 * HttpContext ctx = http.createContext("/", exchange -> {
 *     Claims claims = CaracalHttpFilter.claims(exchange).orElseThrow();
 *     byte[] body = ("hello " + claims.sub()).getBytes(StandardCharsets.UTF_8);
 *     exchange.sendResponseHeaders(200, body.length);
 *     try (OutputStream out = exchange.getResponseBody()) { out.write(body); }
 * });
 * ctx.getFilters().add(CaracalHttpFilter.builder().verifier(verifier).exclude("/healthz").build());
 * }</pre>
 *
 * <ul>
 *   <li>Paths are matched on {@code exchange.getRequestURI().getPath()}: decoded, absolute (the context's
 *       path included) and not normalised by the JDK, so route and exclude prefixes are absolute paths
 *       and a path with {@code .}/{@code ..} or empty segments is never excluded. Routes, exclusions
 *       and responses follow {@link HttpBoundary}.</li>
 *   <li>Claims are bound to the exchange object that passed through this filter, in a
 *       {@link ThreadLocal}, for the duration of {@code chain.doFilter}, and cleared afterwards even when
 *       the handler throws. They are never stored with {@code HttpExchange.setAttribute}, whose map the
 *       JDK shares between all exchanges of a context. Read them before handing work to another
 *       thread.</li>
 *   <li>A rejection is flushed before anything has read the request body; the filter then reads and
 *       discards that body up to the builder's {@code drainLimit} (16 MiB by default) before closing the
 *       exchange, so a client still sending receives the answer instead of a connection reset (the JDK
 *       server alone drains only 64 KiB). A body announced larger gets {@code Connection: close}
 *       (connectors.md §10.3).</li>
 *   <li>A verified response sent as {@code text/event-stream} (its {@code Content-Type} set before the
 *       first write) is registered with the boundary's {@link ai.caracal.verify.http.LiveConnections} and
 *       ends (the server's stream is closed, ending the exchange; the handler's next write fails) when its
 *       mandate expires, is revoked or becomes stale (connectors.md §10.4).</li>
 *   <li>When the filter is mapped narrowly and {@code resourceMetadata(...)} is set, serve the RFC 9728
 *       document from a context at the host root:
 *       {@code http.createContext(filter.metadata().documentPath(), CaracalHttpFilter.metadataHandler(filter.metadata()))}.</li>
 * </ul>
 *
 * <p>Thread-safe: one instance serves every exchange.
 */
public final class CaracalHttpFilter extends Filter {

    private static final ThreadLocal<Binding> CURRENT = new ThreadLocal<>();

    private final HttpBoundary boundary;

    private CaracalHttpFilter(HttpBoundary boundary) {
        this.boundary = boundary;
    }

    /** @return a builder; a verifier (or the options to build one) is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The verified claims of an exchange, while its handler runs on the thread this filter ran on.
     *
     * @param exchange the exchange the handler received
     * @return the claims, or empty when this filter did not verify this very exchange object (excluded
     *         path, permitted preflight, unfiltered context, another exchange, another thread, or after
     *         the exchange's filter chain returned)
     */
    public static Optional<Claims> claims(HttpExchange exchange) {
        Objects.requireNonNull(exchange, "exchange");
        Binding binding = CURRENT.get();
        return binding != null && binding.exchange() == exchange ? Optional.of(binding.claims()) : Optional.empty();
    }

    /**
     * A handler that serves the RFC 9728 document, for a context at its path when the filter itself is
     * mapped narrowly: {@code GET} and {@code HEAD} without authentication get the document, other
     * methods 405 with {@code Allow: GET, HEAD}, and any path other than the document path 404.
     *
     * @param metadata the document, from {@link #metadata()}
     * @return the handler
     */
    public static HttpHandler metadataHandler(ResourceMetadataEndpoint metadata) {
        Objects.requireNonNull(metadata, "metadata");
        return exchange -> {
            if (!metadata.documentPath().equals(exchange.getRequestURI().getPath())) {
                // The JDK matches contexts by plain string prefix, so ".../mcpX" would land here too.
                try (exchange) {
                    exchange.sendResponseHeaders(404, -1);
                }
                return;
            }
            ExchangeResponses.write(metadata.response(exchange.getRequestMethod()), exchange, EarlyAnswer.DEFAULT_DRAIN_LIMIT);
        };
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        BoundaryDecision decision = boundary.evaluate(new ExchangeBoundaryRequest(exchange));
        switch (decision.kind()) {
            case VERIFIED:
                Binding previous = CURRENT.get();
                CURRENT.set(new Binding(exchange, decision.claims()));
                exchange.setStreams(null, new LiveResponseBody(exchange, exchange.getResponseBody(), decision.claims(),
                        boundary.liveConnections()));
                try (BoundaryScope scope = boundary.enter(decision)) {
                    chain.doFilter(exchange);
                } finally {
                    if (previous == null) {
                        CURRENT.remove();
                    } else {
                        CURRENT.set(previous);
                    }
                }
                break;
            case PASS:
                try (BoundaryScope scope = boundary.enter(decision)) {
                    chain.doFilter(exchange);
                }
                break;
            default:
                ExchangeResponses.write(decision.response(), exchange, boundary.drainLimit());
        }
    }

    /** @return {@code Caracal mandate verification} */
    @Override
    public String description() {
        return "Caracal mandate verification";
    }

    /** @return the verifier of the default rule (for {@code warmup()} at start-up, for example) */
    public MandateVerifier verifier() {
        return boundary.verifier();
    }

    /**
     * @return the RFC 9728 document endpoint, for {@link #metadataHandler(ResourceMetadataEndpoint)}
     * @throws IllegalStateException when no {@code resourceMetadata(...)} is configured
     */
    public ResourceMetadataEndpoint metadata() {
        return boundary.metadataEndpoint()
                .orElseThrow(() -> new IllegalStateException("no resourceMetadata(...) configured on this CaracalHttpFilter"));
    }

    /** The exchange a filter verified, with its claims. */
    private record Binding(HttpExchange exchange, Claims claims) {
    }

    /**
     * Builder for {@link CaracalHttpFilter}: the connector options of {@link BoundaryBuilder}
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
        public CaracalHttpFilter build() {
            return new CaracalHttpFilter(buildBoundary());
        }
    }
}
