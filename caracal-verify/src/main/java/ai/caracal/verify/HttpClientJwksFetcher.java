package ai.caracal.verify;

import java.io.ByteArrayOutputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK {@link HttpClient} behind {@link JwksFetcher#defaults()} and {@link JwksFetcher#httpClient}
 * (verification.md §3.3): {@code GET} with {@code Accept: application/json} and no credentials, no
 * redirects, exactly status 200, a body capped at {@code maxBytes} (a larger {@code Content-Length} fails
 * without reading the body, a streamed body fails as soon as it grows past the cap), and the deadline on
 * the whole exchange. Response {@code Cache-Control} is ignored. Non-blocking: the body arrives on the
 * client's executor.
 */
final class HttpClientJwksFetcher implements JwksFetcher {

    static final HttpClientJwksFetcher DEFAULT = new HttpClientJwksFetcher(null);

    /** {@code null} for the process-wide default client, created on first use. */
    private final HttpClient client;

    HttpClientJwksFetcher(HttpClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<byte[]> fetch(URI uri, Duration timeout, int maxBytes) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .GET()
                .header("Accept", "application/json")
                .timeout(timeout)
                .build();
        HttpClient http = client != null ? client : Shared.CLIENT;
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> bodyHandler(info, maxBytes));
        // The request timeout covers only the wait for the response headers: bound the body too, and drop
        // the connection of any exchange that failed or ran out of time, so a dribbling server holds nothing.
        CompletableFuture<byte[]> body = exchange.thenApply(HttpResponse::body)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        body.whenComplete((result, failure) -> {
            if (failure != null) {
                exchange.cancel(true);
            }
        });
        return body;
    }

    private static BodySubscriber<byte[]> bodyHandler(HttpResponse.ResponseInfo info, int maxBytes) {
        if (info.statusCode() != 200) {
            return new ErrorAnswer(info.statusCode());
        }
        OptionalLong length;
        try {
            length = info.headers().firstValueAsLong("Content-Length");
        } catch (NumberFormatException e) {
            return new Refused("malformed Content-Length");
        }
        if (length.isPresent() && length.getAsLong() > maxBytes) {
            return new Refused("Content-Length above " + maxBytes + " bytes");
        }
        return new Capped(maxBytes);
    }

    /** Fails at once and cancels the body without reading it. */
    private static final class Refused implements BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final String reason;

        Refused(String reason) {
            this.reason = reason;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
            body.completeExceptionally(new JwksFetchException(reason));
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(new JwksFetchException(reason));
        }

        @Override
        public void onComplete() {
            body.completeExceptionally(new JwksFetchException(reason));
        }
    }

    /**
     * A non-200 answer: always a failure, which names the status and, when the first
     * {@link JwksErrorBody#MAX_BYTES} bytes of the body are an OAuth-style JSON error, its {@code error}
     * and {@code error_description} (the issuer's own words on what is wrong, such as a missing zone).
     */
    private static final class ErrorAnswer implements BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final int status;
        private Flow.Subscription subscription;

        ErrorAnswer(int status) {
            this.status = status;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                int room = JwksErrorBody.MAX_BYTES - buffer.size();
                byte[] chunk = new byte[Math.min(room, item.remaining())];
                item.get(chunk);
                buffer.write(chunk, 0, chunk.length);
                if (buffer.size() >= JwksErrorBody.MAX_BYTES) {
                    subscription.cancel();
                    fail();
                    return;
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            fail();
        }

        @Override
        public void onComplete() {
            fail();
        }

        private void fail() {
            body.completeExceptionally(JwksFetchException.answered(status, JwksErrorBody.detail(buffer.toByteArray())));
        }
    }

    /** Collects the body and fails as soon as it grows past the cap (chunked bodies included). */
    private static final class Capped implements BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final int maxBytes;
        private Flow.Subscription subscription;

        Capped(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (buffer.size() + item.remaining() > maxBytes) {
                    subscription.cancel();
                    body.completeExceptionally(new JwksFetchException("body above " + maxBytes + " bytes"));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                buffer.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            body.complete(buffer.toByteArray());
        }
    }

    private static final class Shared {
        static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(daemonThreads());
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(ProxySelector.getDefault() != null ? ProxySelector.getDefault() : HttpClient.Builder.NO_PROXY)
                .executor(EXECUTOR)
                .build();

        private static java.util.concurrent.ThreadFactory daemonThreads() {
            AtomicInteger counter = new AtomicInteger();
            return runnable -> {
                Thread thread = new Thread(runnable, "caracal-jwks-" + counter.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}
