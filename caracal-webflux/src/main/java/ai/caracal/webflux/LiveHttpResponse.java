package ai.caracal.webflux;

import ai.caracal.verify.Claims;
import ai.caracal.verify.http.LiveConnection;
import ai.caracal.verify.http.LiveConnections;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The response of a verified exchange, as the handlers see it (connectors.md §10.4): a body written as
 * {@code text/event-stream} is registered with the boundary's {@link LiveConnections} and relayed until
 * the registry ends it, which completes the body, so the response completes normally. Other bodies pass
 * through unchanged. The end only signals a sink: it never blocks and never touches an event loop.
 */
final class LiveHttpResponse extends ServerHttpResponseDecorator {

    private final Claims claims;
    private final LiveConnections registry;

    LiveHttpResponse(ServerHttpResponse delegate, Claims claims, LiveConnections registry) {
        super(delegate);
        this.claims = claims;
        this.registry = registry;
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        if (!isEventStream()) {
            return super.writeWith(body);
        }
        return Mono.defer(() -> {
            Sinks.One<Boolean> ended = Sinks.one();
            LiveConnection connection = registry.open(claims, code -> ended.tryEmitValue(Boolean.TRUE));
            return super.writeWith(Flux.from(body).takeUntilOther(ended.asMono())).doFinally(signal -> connection.close());
        });
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        if (!isEventStream()) {
            return super.writeAndFlushWith(body);
        }
        return Mono.defer(() -> {
            Sinks.One<Boolean> ended = Sinks.one();
            LiveConnection connection = registry.open(claims, code -> ended.tryEmitValue(Boolean.TRUE));
            return super.writeAndFlushWith(Flux.from(body).takeUntilOther(ended.asMono()))
                    .doFinally(signal -> connection.close());
        });
    }

    private boolean isEventStream() {
        MediaType type = getHeaders().getContentType();
        return type != null && MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type);
    }
}
