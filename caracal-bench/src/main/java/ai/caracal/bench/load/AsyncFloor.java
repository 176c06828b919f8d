package ai.caracal.bench.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * What asynchrony alone costs on Reactor Netty: web filters that verify nothing and only let each request
 * wait for a completion before going on, in the two shapes {@code CaracalWebFilter} takes after a Redis
 * check. {@link #otherThread()} completes the wait on one separate thread (as Lettuce's I/O thread completes
 * a check) and goes on on the request's own loop (as the filter does); {@link #sameLoop()} never leaves the
 * request's loop (the wait is a task queued on it). The difference between these and the same endpoint
 * without a filter is the floor below which no asynchronous check can go on this server, whatever the store.
 */
final class AsyncFloor {

    private static final ExecutorService COMPLETER = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "async-floor-completer");
        thread.setDaemon(true);
        return thread;
    });

    private AsyncFloor() {
    }

    /** @return a filter whose wait is completed on another thread, then goes on on the request's loop */
    static WebFilter otherThread() {
        return (exchange, chain) -> {
            Executor loop = loopOf(exchange.getRequest());
            CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> Boolean.TRUE, COMPLETER);
            return Mono.fromFuture(done.thenApplyAsync(Function.identity(), loop)).then(chain.filter(exchange));
        };
    }

    /** @return a filter whose wait is a task on the request's own loop */
    static WebFilter sameLoop() {
        return (exchange, chain) -> {
            Executor loop = loopOf(exchange.getRequest());
            return Mono.fromFuture(CompletableFuture.supplyAsync(() -> Boolean.TRUE, loop)).then(chain.filter(exchange));
        };
    }

    private static Executor loopOf(org.springframework.http.server.reactive.ServerHttpRequest request) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
        return ((reactor.netty.Connection) nativeRequest).channel().eventLoop();
    }
}
