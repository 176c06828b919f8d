package ai.caracal.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK {@link HttpClient} that records the status of every response it receives, and the body of
 * every 4xx/5xx one, while passing everything through unchanged. The demo hands it to the MCP SDK's
 * Streamable HTTP transport (through {@link Builder}), whose authorization exception carries the status
 * of a rejected request but not its body.
 */
final class RecordingHttpClient extends HttpClient {

    /** Bodies longer than this are cut: rejection bodies are a few hundred bytes. */
    private static final int MAX_RECORDED_BYTES = 16 * 1024;

    /**
     * One response the client received.
     *
     * @param method the request method
     * @param status the response status
     * @param body   the body of a 4xx/5xx response (UTF-8), empty for others
     */
    record Exchange(String method, int status, Optional<String> body) {
    }

    private final HttpClient delegate;
    private final List<Exchange> exchanges;

    private RecordingHttpClient(HttpClient delegate, List<Exchange> exchanges) {
        this.delegate = delegate;
        this.exchanges = exchanges;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler) throws IOException, InterruptedException {
        return delegate.send(request, recording(request.method(), handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
        return delegate.sendAsync(request, recording(request.method(), handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return delegate.sendAsync(request, recording(request.method(), handler), pushPromiseHandler);
    }

    private <T> BodyHandler<T> recording(String method, BodyHandler<T> handler) {
        return info -> {
            BodySubscriber<T> subscriber = handler.apply(info);
            if (info.statusCode() < 400) {
                exchanges.add(new Exchange(method, info.statusCode(), Optional.empty()));
                return subscriber;
            }
            return new Tee<>(subscriber, body -> exchanges.add(new Exchange(method, info.statusCode(), Optional.of(body))));
        };
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    /** Passes the body on unchanged and hands a copy to {@code onBody} just before it completes. */
    private static final class Tee<T> implements BodySubscriber<T> {
        private final BodySubscriber<T> delegate;
        private final Consumer<String> onBody;
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        Tee(BodySubscriber<T> delegate, Consumer<String> onBody) {
            this.delegate = delegate;
            this.onBody = onBody;
        }

        @Override
        public CompletionStage<T> getBody() {
            return delegate.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            delegate.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                ByteBuffer view = item.duplicate();
                int room = MAX_RECORDED_BYTES - copy.size();
                byte[] bytes = new byte[Math.max(0, Math.min(room, view.remaining()))];
                view.get(bytes);
                copy.write(bytes, 0, bytes.length);
            }
            delegate.onNext(items);
        }

        @Override
        public void onError(Throwable throwable) {
            onBody.accept(copy.toString(StandardCharsets.UTF_8));
            delegate.onError(throwable);
        }

        @Override
        public void onComplete() {
            // Recorded first: the transport raises its error as soon as the body completes.
            onBody.accept(copy.toString(StandardCharsets.UTF_8));
            delegate.onComplete();
        }
    }

    /**
     * An {@link HttpClient.Builder} that builds a {@link RecordingHttpClient}; every client it builds
     * records into the same list, {@link #exchanges()}. Not thread-safe.
     */
    static final class Builder implements HttpClient.Builder {
        private final HttpClient.Builder delegate = HttpClient.newBuilder();
        private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

        /** @return what the clients built so far received, in arrival order; a live, thread-safe view */
        List<Exchange> exchanges() {
            return exchanges;
        }

        @Override
        public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
            delegate.cookieHandler(cookieHandler);
            return this;
        }

        @Override
        public HttpClient.Builder connectTimeout(Duration duration) {
            delegate.connectTimeout(duration);
            return this;
        }

        @Override
        public HttpClient.Builder sslContext(SSLContext sslContext) {
            delegate.sslContext(sslContext);
            return this;
        }

        @Override
        public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
            delegate.sslParameters(sslParameters);
            return this;
        }

        @Override
        public HttpClient.Builder executor(Executor executor) {
            delegate.executor(executor);
            return this;
        }

        @Override
        public HttpClient.Builder followRedirects(Redirect policy) {
            delegate.followRedirects(policy);
            return this;
        }

        @Override
        public HttpClient.Builder version(Version version) {
            delegate.version(version);
            return this;
        }

        @Override
        public HttpClient.Builder priority(int priority) {
            delegate.priority(priority);
            return this;
        }

        @Override
        public HttpClient.Builder proxy(ProxySelector proxySelector) {
            delegate.proxy(proxySelector);
            return this;
        }

        @Override
        public HttpClient.Builder authenticator(Authenticator authenticator) {
            delegate.authenticator(authenticator);
            return this;
        }

        @Override
        public HttpClient build() {
            return new RecordingHttpClient(delegate.build(), exchanges);
        }
    }
}
