package ai.caracal.webflux;

import java.util.concurrent.Executor;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The event loop a request arrived on, where it continues after an asynchronous decision (a Redis round
 * trip, a key set fetch): on Reactor Netty, the request's own channel's loop, so the rest of the chain
 * and the response write run where the connection lives, with no further hand-off. {@code null} on other
 * servers (and when Reactor Netty is not on the class path), where the filter continues on Reactor's
 * {@code parallel} scheduler. Reactor Netty's classes are touched only through {@link NettyLoop}, which
 * is loaded only when they are present.
 */
final class RequestLoops {

    private static final boolean NETTY = present("reactor.netty.Connection") && present("io.netty.channel.Channel");

    private RequestLoops() {
    }

    /** @return the request's event loop, or {@code null} when it has none this filter can use */
    static Executor of(ServerHttpRequest request) {
        if (!NETTY) {
            return null;
        }
        try {
            return NettyLoop.of(ServerHttpRequestDecorator.getNativeRequest(request));
        } catch (RuntimeException | LinkageError notNetty) {
            return null;
        }
    }

    private static boolean present(String name) {
        try {
            Class.forName(name, false, RequestLoops.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Reads the loop off Reactor Netty's request; loaded only when Reactor Netty is present. */
    private static final class NettyLoop {
        static Executor of(Object nativeRequest) {
            return nativeRequest instanceof reactor.netty.Connection connection ? connection.channel().eventLoop() : null;
        }
    }
}
