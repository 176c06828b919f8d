package ai.caracal.mcp;

import ai.caracal.verify.Claims;
import ai.caracal.verify.http.BoundaryResponse;
import ai.caracal.verify.http.EarlyAnswer;
import ai.caracal.verify.http.HttpBoundary;
import ai.caracal.webflux.CaracalExchanges;
import ai.caracal.webflux.CaracalWebFilter;
import ai.caracal.webflux.WebFluxResponses;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The WebFlux form of {@link McpBoundary} (connectors.md §10.2): a {@link WebFilter} ordered right after
 * {@link CaracalWebFilter}, in front of a WebFlux MCP transport (Spring AI's
 * {@code WebFluxStreamableServerTransportProvider}). It binds sessions to their principal (M12) and, with
 * a {@link McpPolicy}, applies M9 (one JSON-RPC body per request, routing headers that agree with it,
 * the policy's rules with step-up challenges) and M10 (filtered listings), exactly as the servlet form
 * does. It never blocks: the body is collected as the client sends it, parsed on arrival.
 *
 * <pre>{@code
 * @Bean
 * McpWebFilter mcpBoundary(CaracalWebFilter caracalFilter) {
 *     return McpWebFilter.builder().policy(policy, caracalFilter.boundary()).build();
 * }
 * }</pre>
 *
 * <p>Sessions live in this instance's memory: with several replicas, route each session to one replica.
 * Needs {@code ai.caracal:caracal-webflux} and Spring WebFlux (optional dependencies of this module).
 * Thread-safe: one instance serves every exchange.
 */
public final class McpWebFilter implements WebFilter, Ordered {

    /** The default order: right after {@link CaracalWebFilter#DEFAULT_ORDER}. */
    public static final int DEFAULT_ORDER = CaracalWebFilter.DEFAULT_ORDER + 1;

    private static final Logger log = LoggerFactory.getLogger(McpWebFilter.class);
    private static final String SESSION_HEADER = "Mcp-Session-Id";

    private final SessionBindings sessions;
    private final McpRules rules;
    private final long maxRequestBytes;
    private final int order;
    private final AtomicBoolean warnedOrder = new AtomicBoolean();

    private McpWebFilter(Builder builder) {
        this.sessions = new SessionBindings(builder.maxSessions);
        this.rules = builder.policy == null ? null : new McpRules(builder.policy, builder.boundary);
        this.maxRequestBytes = builder.maxRequestBytes;
        this.order = builder.order;
    }

    /** @return a filter with the defaults: session binding only */
    public static McpWebFilter create() {
        return builder().build();
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (rules == null) {
            return bindSessions(exchange, chain);
        }
        ServerHttpRequest request = exchange.getRequest();
        String httpMethod = request.getMethod().name();
        List<String> methods = values(request.getHeaders(), RoutingHeaders.MCP_METHOD);
        List<String> names = values(request.getHeaders(), RoutingHeaders.MCP_NAME);
        Optional<Claims> claims = CaracalExchanges.claims(exchange);
        if (!"POST".equals(httpMethod)) {
            McpRules.Outcome outcome = rules.withoutBody(methods, names, httpMethod);
            return outcome.answer() != null ? WebFluxResponses.write(outcome.answer(), exchange) : bindSessions(exchange, chain);
        }
        if (request.getHeaders().getContentLength() > maxRequestBytes) {
            return tooLarge(exchange);
        }
        int limit = (int) Math.min(maxRequestBytes, Integer.MAX_VALUE - 8);
        return DataBufferUtils.join(request.getBody(), limit)
                .map(buffer -> Optional.of(bytes(buffer)))
                .onErrorResume(DataBufferLimitException.class, e -> Mono.just(Optional.empty()))
                .defaultIfEmpty(Optional.of(new byte[0]))
                .flatMap(read -> {
                    if (read.isEmpty()) {
                        return tooLarge(exchange);
                    }
                    byte[] body = read.get();
                    McpRules.Outcome outcome = rules.withBody(body, request.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE),
                            methods, names, claims, request.getPath().pathWithinApplication().value(), httpMethod);
                    if (outcome.answer() != null) {
                        return WebFluxResponses.write(outcome.answer(), exchange);
                    }
                    ServerWebExchange replayed = exchange.mutate().request(new ReplayedBody(request, body)).build();
                    if (!rules.filtersListing(outcome.message())) {
                        return bindSessions(replayed, chain);
                    }
                    ListingFilter listing = new ListingFilter(rules, outcome.message(), claims);
                    ServerWebExchange filtered = replayed.mutate().response(new ListingResponseDecorator(replayed.getResponse(), listing)).build();
                    return bindSessions(filtered, chain);
                });
    }

    /** M12: the request reaches the transport under its session only when the session is the caller's. */
    private Mono<Void> bindSessions(ServerWebExchange exchange, WebFilterChain chain) {
        SessionOwner caller = SessionOwner.of(CaracalExchanges.claims(exchange));
        String httpMethod = exchange.getRequest().getMethod().name();
        List<String> named = values(exchange.getRequest().getHeaders(), SESSION_HEADER);
        if (named.isEmpty()) {
            watchCreated(exchange, exchange.getResponse(), caller, null);
            return chain.filter(exchange);
        }
        if (named.size() == 1 && sessions.isOwnedBy(named.get(0), caller)) {
            watchCreated(exchange, exchange.getResponse(), caller, named.get(0));
            ServerHttpResponse response = exchange.getResponse();
            response.beforeCommit(() -> {
                forgetEnded(named.get(0), caller, httpMethod, response.getStatusCode());
                return Mono.empty();
            });
            return chain.filter(exchange);
        }
        String unused = sessions.unusedId();
        ServerHttpRequest substituted = exchange.getRequest().mutate().header(SESSION_HEADER, unused).build();
        UnknownSessionResponseDecorator unknown = new UnknownSessionResponseDecorator(exchange.getResponse(), unused,
                named.size() == 1 ? named.get(0) : null);
        ServerWebExchange stranger = exchange.mutate().request(substituted).response(unknown).build();
        watchCreated(stranger, unknown, caller, unused);
        return chain.filter(stranger);
    }

    /**
     * Binds a session the transport creates (its answer to {@code initialize} sets {@code Mcp-Session-Id})
     * before the header leaves the server.
     */
    private void watchCreated(ServerWebExchange exchange, ServerHttpResponse response, SessionOwner caller, String named) {
        response.beforeCommit(() -> {
            String created = response.getHeaders().getFirst(SESSION_HEADER);
            if (created != null && !created.equals(named)) {
                SessionOwner owner = SessionOwner.of(CaracalExchanges.claims(exchange));
                if (!owner.equals(caller) && warnedOrder.compareAndSet(false, true)) {
                    log.error("McpWebFilter saw no claims on a request that has claims now: it is ordered before "
                            + "CaracalWebFilter. Order it after; until then every MCP session answers \"session not found\".");
                }
                sessions.bind(created, owner);
            }
            return Mono.empty();
        });
    }

    private void forgetEnded(String sessionId, SessionOwner owner, String method, HttpStatusCode status) {
        int code = status == null ? 200 : status.value();
        boolean deleted = "DELETE".equals(method) && code >= 200 && code < 300;
        if (deleted || code == 404) {
            sessions.unbind(sessionId, owner);
        }
    }

    private Mono<Void> tooLarge(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        BoundaryResponse answer = JsonRpcAnswers.error(413, null, McpMessage.INVALID_REQUEST,
                "Request body larger than " + maxRequestBytes + " bytes", "POST");
        return WebFluxResponses.write(answer, exchange);
    }

    /** @return how many sessions are bound now */
    public int sessionCount() {
        return sessions.size();
    }

    /** @return the order among web filters, {@value #DEFAULT_ORDER} unless configured */
    @Override
    public int getOrder() {
        return order;
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /**
     * Every value of a header, on Spring Framework 6.2 and 7 alike: {@code forEach} is the one way to
     * walk headers both lines compile and link the same.
     */
    static List<String> values(HttpHeaders headers, String name) {
        List<String> values = new ArrayList<>(1);
        headers.forEach((key, list) -> {
            if (key.equalsIgnoreCase(name) && list != null) {
                values.addAll(list);
            }
        });
        return values;
    }

    /** The request with its body read again from memory: the transport parses what the boundary checked. */
    private static final class ReplayedBody extends ServerHttpRequestDecorator {
        private final byte[] body;

        ReplayedBody(ServerHttpRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return Flux.defer(() -> Flux.just(bufferFactory().wrap(body)));
        }

        private static DataBufferFactory bufferFactory() {
            return DefaultDataBufferFactory.sharedInstance;
        }
    }

    /** Builder for {@link McpWebFilter}. Not thread-safe. */
    public static final class Builder {

        private int maxSessions = McpBoundary.DEFAULT_MAX_SESSIONS;
        private McpPolicy policy;
        private HttpBoundary boundary;
        private long maxRequestBytes = EarlyAnswer.DEFAULT_DRAIN_LIMIT;
        private int order = DEFAULT_ORDER;

        private Builder() {
        }

        /**
         * Turns on M9 and M10, as {@link McpBoundary.Builder#policy} does for servlets.
         *
         * @param policy   the per-method and per-name requirements
         * @param boundary the boundary of the {@link CaracalWebFilter} in front ({@code caracalFilter.boundary()})
         * @return this builder
         */
        public Builder policy(McpPolicy policy, HttpBoundary boundary) {
            this.policy = Objects.requireNonNull(policy, "policy");
            this.boundary = Objects.requireNonNull(boundary, "boundary");
            return this;
        }

        /**
         * @param maxSessions the most sessions bound at once, at least 1 (default 10,000); beyond it the
         *                    least recently used one is forgotten
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

        /**
         * @param bytes the largest request body read when a policy is set, at least 1 (default 16 MiB); a
         *              larger one gets 413 with {@code Connection: close}
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
         * @param order the filter's order; it must come after the {@link CaracalWebFilter} (default
         *              {@value McpWebFilter#DEFAULT_ORDER})
         * @return this builder
         */
        public Builder order(int order) {
            this.order = order;
            return this;
        }

        /** @return the filter */
        public McpWebFilter build() {
            return new McpWebFilter(this);
        }
    }
}
