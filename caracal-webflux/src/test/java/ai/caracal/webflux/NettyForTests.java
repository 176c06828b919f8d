package ai.caracal.webflux;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * A real Reactor Netty server on 127.0.0.1 running a WebFlux {@link HttpHandler}, for tests. With
 * {@link #singleLoop()}, every connection is served by one event loop thread, so anything that held it
 * would stall every other request.
 */
final class NettyForTests implements AutoCloseable {

    private final DisposableServer server;
    private final LoopResources loops;

    private NettyForTests(DisposableServer server, LoopResources loops) {
        this.server = server;
        this.loops = loops;
    }

    /** @return a server on Reactor Netty's shared event loops */
    static NettyForTests start(HttpHandler handler) {
        return start(handler, null);
    }

    /**
     * @param handler the application
     * @param loops   event loops of the server's own, or {@code null} for Reactor Netty's shared ones;
     *                disposed with the server
     */
    static NettyForTests start(HttpHandler handler, LoopResources loops) {
        HttpServer http = HttpServer.create().host("127.0.0.1").port(0);
        if (loops != null) {
            http = http.runOn(loops);
        }
        return new NettyForTests(http.handle(new ReactorHttpHandlerAdapter(handler)).bindNow(Duration.ofSeconds(10)), loops);
    }

    /** @return event loops with exactly one worker thread, named {@code caracal-test-loop-*} */
    static LoopResources singleLoop() {
        return LoopResources.create("caracal-test-loop", 1, 1, true);
    }

    /**
     * @return the handler behind the filters, as the web application. The codecs are made here, on the
     *         test thread: left to the first request, Spring reads their defaults from a class path
     *         resource on the event loop (a blocking read in Spring's own lazy set-up, not the filter's)
     */
    static HttpHandler app(WebHandler handler, WebFilter... filters) {
        return WebHttpHandlerBuilder.webHandler(handler)
                .filters(list -> list.addAll(List.of(filters)))
                .codecConfigurer(ServerCodecConfigurer.create())
                .build();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
        if (loops != null) {
            loops.disposeLater().block(Duration.ofSeconds(10));
        }
    }
}
