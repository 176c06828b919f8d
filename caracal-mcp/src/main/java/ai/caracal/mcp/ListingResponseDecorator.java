package ai.caracal.mcp;

import java.io.IOException;
import java.util.Locale;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The WebFlux form of {@link ListingResponse}: the transport's answer to a listing request, filtered by a
 * {@link ListingFilter} (connectors.md §10.2 M10). An event stream is rewritten event by event as its
 * buffers pass; a JSON document is joined (at most {@link ListingFilter#MAX_MESSAGE_BYTES}) and written
 * filtered with its new length.
 */
final class ListingResponseDecorator extends ServerHttpResponseDecorator {

    private final ListingFilter filter;

    ListingResponseDecorator(ServerHttpResponse response, ListingFilter filter) {
        super(response);
        this.filter = filter;
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        if (isEventStream()) {
            ListingFilter.SseEvents events = filter.sse();
            return super.writeWith(Flux.from(body).map(buffer -> filtered(events, buffer))
                    .concatWith(Mono.fromSupplier(() -> bufferFactory().wrap(events.finish()))));
        }
        return DataBufferUtils.join(Flux.from(body), ListingFilter.MAX_MESSAGE_BYTES).flatMap(joined -> {
            byte[] bytes = read(joined);
            byte[] out;
            try {
                out = filter.rewrite(bytes);
            } catch (IOException notJson) {
                out = bytes;
            }
            getHeaders().setContentLength(out.length);
            return super.writeWith(Mono.just(bufferFactory().wrap(out)));
        });
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        ListingFilter.SseEvents events = filter.sse();
        return super.writeAndFlushWith(Flux.from(body).map(part -> Flux.from(part).map(buffer -> filtered(events, buffer))));
    }

    private DataBuffer filtered(ListingFilter.SseEvents events, DataBuffer buffer) {
        byte[] bytes = read(buffer);
        return bufferFactory().wrap(events.feed(bytes, 0, bytes.length));
    }

    private boolean isEventStream() {
        String type = getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    }

    private static byte[] read(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
