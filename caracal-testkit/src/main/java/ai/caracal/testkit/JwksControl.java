package ai.caracal.testkit;

import ai.caracal.verify.ClaimNames;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Fault injection and request counting for a {@link TestIssuer}'s JWKS endpoint. One behaviour is
 * active at a time (the last one set wins), and a request is answered with the behaviour in force when
 * it arrived; {@link #reset()} restores normal serving and zeroes the counters. Thread-safe.
 */
public final class JwksControl {

    /** Body size that {@link #oversize()} streams: one byte above the default 256 KiB cap. */
    public static final int OVERSIZE_BODY_BYTES = 262_145;

    /** {@code Content-Length} that {@link #oversizeDeclared()} announces. */
    public static final int OVERSIZE_DECLARED_BYTES = 300_000;

    private enum Mode { NORMAL, FAIL, HANG, RAW, OVERSIZE, OVERSIZE_DECLARED, REDIRECT, FLAP }

    private final Map<String, AtomicInteger> requestsByZone = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<Concurrency> concurrency = new AtomicReference<>(new Concurrency());
    private final AtomicInteger flapCount = new AtomicInteger();
    private volatile Mode mode = Mode.NORMAL;
    private volatile int failStatus;
    private volatile String rawBody;
    private volatile URI redirect;
    private volatile Duration delay = Duration.ZERO;
    private volatile CountDownLatch hang = new CountDownLatch(1);

    JwksControl() {
    }

    /**
     * @param status the status every JWKS request gets from now on, for example 503
     * @return this control
     */
    public JwksControl failWith(int status) {
        this.failStatus = status;
        this.mode = Mode.FAIL;
        return this;
    }

    /**
     * Requests are accepted and never answered, until {@link #reset()} or the issuer closes.
     *
     * @return this control
     */
    public JwksControl hang() {
        this.mode = Mode.HANG;
        return this;
    }

    /**
     * @param delay how long to wait before answering normally
     * @return this control
     */
    public JwksControl delay(Duration delay) {
        this.delay = Objects.requireNonNull(delay, "delay");
        return this;
    }

    /**
     * @param body served verbatim with status 200 and {@code Content-Type: application/json}
     * @return this control
     */
    public JwksControl serveRaw(String body) {
        this.rawBody = Objects.requireNonNull(body, "body");
        this.mode = Mode.RAW;
        return this;
    }

    /**
     * Streams a chunked 200 body (no {@code Content-Length}) of {@value #OVERSIZE_BODY_BYTES} bytes.
     *
     * @return this control
     */
    public JwksControl oversize() {
        this.mode = Mode.OVERSIZE;
        return this;
    }

    /**
     * Answers 200 with {@code Content-Length: }{@value #OVERSIZE_DECLARED_BYTES} and a body of that size.
     *
     * @return this control
     */
    public JwksControl oversizeDeclared() {
        this.mode = Mode.OVERSIZE_DECLARED;
        return this;
    }

    /**
     * @param location where a 302 points
     * @return this control
     */
    public JwksControl redirectTo(URI location) {
        this.redirect = Objects.requireNonNull(location, "location");
        this.mode = Mode.REDIRECT;
        return this;
    }

    /**
     * Flapping: from now on the requests alternate between a failure and a normal answer, starting with
     * the failure (the 1st, 3rd, 5th … request to arrive gets {@code status}, the 2nd, 4th … the key set,
     * each after any {@link #delay(Duration)}). The alternation counts every JWKS request, whatever its
     * zone.
     *
     * @param status the status of every other request, for example 503
     * @return this control
     */
    public JwksControl flap(int status) {
        this.failStatus = status;
        this.flapCount.set(0);
        this.mode = Mode.FLAP;
        return this;
    }

    /**
     * The largest number of JWKS requests, among those that arrived since the last reset, that this
     * endpoint was handling at the same time. A request counts from its arrival until its answer starts,
     * so a request that is delayed or hung still counts after the client has given up on it, and a client
     * that sends its next request only once it has the previous answer never has two counted at once
     * (however late the previous handler thread gets to run afterwards).
     *
     * @return the high-water mark of concurrent requests
     */
    public int maxConcurrentRequests() {
        return concurrency.get().max.get();
    }

    /** @return the number of JWKS requests received since the last reset */
    public int requests() {
        return requests.get();
    }

    /**
     * @param zone a zone, or {@code null} for requests without {@code zone_id}
     * @return the number of JWKS requests for that zone since the last reset
     */
    public int requests(String zone) {
        AtomicInteger count = requestsByZone.get(zone == null ? "" : zone);
        return count == null ? 0 : count.get();
    }

    /** Normal serving, no delay, counters at zero; releases hung requests. */
    public void reset() {
        mode = Mode.NORMAL;
        delay = Duration.ZERO;
        releaseHung();
        requests.set(0);
        requestsByZone.clear();
        concurrency.set(new Concurrency());
    }

    void releaseHung() {
        CountDownLatch released = hang;
        hang = new CountDownLatch(1);
        released.countDown();
    }

    /** Serves one JWKS request; {@code documentForZone} yields the JSON body, or null for an unknown zone. */
    void serve(HttpExchange exchange, Function<String, String> documentForZone) throws IOException {
        String zone = zoneParameter(exchange.getRequestURI().getRawQuery());
        requests.incrementAndGet();
        requestsByZone.computeIfAbsent(zone == null ? "" : zone, z -> new AtomicInteger()).incrementAndGet();
        Concurrency counted = concurrency.get();
        counted.max.accumulateAndGet(counted.now.incrementAndGet(), Math::max);
        AtomicBoolean counting = new AtomicBoolean(true);
        Runnable answering = () -> {
            if (counting.compareAndSet(true, false)) {
                counted.now.decrementAndGet();
            }
        };
        try {
            answer(exchange, documentForZone, zone, answering);
        } finally {
            answering.run();
        }
    }

    /** Requests in progress and their high-water mark, for the requests of one reset period. */
    private static final class Concurrency {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();
    }

    private void answer(HttpExchange exchange, Function<String, String> documentForZone, String zone, Runnable answering)
            throws IOException {
        // The behaviour in force when the request arrived answers it, so that a request still delayed
        // when a test resets or changes the fault does not take on the next behaviour.
        Mode current = mode;
        if (current == Mode.FLAP) {
            current = flapCount.getAndIncrement() % 2 == 0 ? Mode.FAIL : Mode.NORMAL;
        }
        sleep(delay);
        if (current == Mode.HANG) {
            awaitRelease();
        }
        answering.run();
        switch (current) {
            case FAIL:
                send(exchange, failStatus, "{\"error\":\"injected\"}");
                return;
            case HANG:
                exchange.close();
                return;
            case RAW:
                send(exchange, 200, rawBody);
                return;
            case OVERSIZE:
                stream(exchange, 0, OVERSIZE_BODY_BYTES);
                return;
            case OVERSIZE_DECLARED:
                stream(exchange, OVERSIZE_DECLARED_BYTES, OVERSIZE_DECLARED_BYTES);
                return;
            case REDIRECT:
                exchange.getResponseHeaders().set("Location", redirect.toString());
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            default:
                String document = documentForZone.apply(zone);
                if (document == null) {
                    send(exchange, 404, "{\"error\":\"not_found\",\"error_description\":\"zone has no keys\"}");
                } else {
                    exchange.getResponseHeaders().set("Cache-Control", "public, max-age=300, must-revalidate");
                    send(exchange, 200, document);
                }
        }
    }

    private void awaitRelease() {
        try {
            hang.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration delay) {
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String zoneParameter(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(ClaimNames.ZONE_ID)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void stream(HttpExchange exchange, long declaredLength, int bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, declaredLength);
        byte[] chunk = new byte[8192];
        Arrays.fill(chunk, (byte) ' ');
        try (OutputStream out = exchange.getResponseBody()) {
            for (int sent = 0; sent < bytes; sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, bytes - sent));
            }
        } catch (IOException clientWentAway) {
            // Expected: a verifier stops reading once the cap is passed.
        }
    }
}
