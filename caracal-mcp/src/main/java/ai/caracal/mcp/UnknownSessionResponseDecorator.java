package ai.caracal.mcp;

import java.nio.charset.StandardCharsets;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The WebFlux form of {@link UnknownSessionResponse}: the transport's answer to a request whose session
 * ID was replaced, with the ID the caller named put back where the transport echoed the replacement
 * (Spring AI's POST answer is {@code "Session not found: <id>"}). Answers up to
 * {@link SessionIdEcho#MAX_HELD} bytes are held back for this; streamed answers pass unchanged.
 */
final class UnknownSessionResponseDecorator extends ServerHttpResponseDecorator {

    private final byte[] replacement;
    private final byte[] named;

    /** @param named the session ID the caller named, or {@code null} to leave the replacement in place */
    UnknownSessionResponseDecorator(ServerHttpResponse response, String replacement, String named) {
        super(response);
        this.replacement = replacement.getBytes(StandardCharsets.US_ASCII);
        this.named = named != null && SessionIdEcho.isUrlSafe(named) ? named.getBytes(StandardCharsets.US_ASCII) : null;
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        if (named == null) {
            return super.writeWith(body);
        }
        return DataBufferUtils.join(Flux.from(body), SessionIdEcho.MAX_HELD).flatMap(joined -> {
            byte[] bytes = new byte[joined.readableByteCount()];
            joined.read(bytes);
            DataBufferUtils.release(joined);
            byte[] echoed = SessionIdEcho.replaceAll(bytes, replacement, named);
            getHeaders().setContentLength(echoed.length);
            return super.writeWith(Mono.just(bufferFactory().wrap(echoed)));
        });
    }
}
