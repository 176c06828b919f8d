package ai.caracal.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.tracing.BaggageDownstream;
import ai.caracal.verify.MandateVerifier;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebHandler;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * interop.md §1 on a real Reactor Netty server: an outer filter extracts the caller's {@code traceparent}
 * and {@code baggage} and subscribes the chain with them current (as a server instrumentation does);
 * the handler calls a downstream server, without blocking, through the same propagators; the downstream
 * server sees the {@code caracal.*} entries of the verified claims, the third-party entry unchanged, and
 * none of the caller's forged {@code caracal.*}.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class BaggageTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private BaggageDownstream downstream;

    @BeforeEach
    void startDownstream() throws IOException {
        downstream = BaggageDownstream.start();
    }

    @AfterEach
    void stopDownstream() {
        downstream.close();
    }

    /** What a server instrumentation does: extract the incoming context, subscribe the chain with it current. */
    private static final WebFilter EXTRACT_CONTEXT = (exchange, chain) -> new Mono<>() {
        @Override
        public void subscribe(CoreSubscriber<? super Void> actual) {
            Context extracted = BaggageDownstream.W3C.extract(Context.root(), exchange.getRequest(), new TextMapGetter<>() {
                @Override
                public Iterable<String> keys(ServerHttpRequest carrier) {
                    return carrier.getHeaders().keySet();
                }

                @Override
                public String get(ServerHttpRequest carrier, String key) {
                    return carrier.getHeaders().getFirst(key);
                }
            });
            try (Scope ignored = extracted.makeCurrent()) {
                chain.filter(exchange).subscribe(actual);
            }
        }
    };

    /** The application: calls the downstream server asynchronously, its client propagating the current context. */
    private WebHandler callsDownstream() {
        return exchange -> Mono.fromFuture(downstream.callAsync(Context.current()));
    }

    /** A server whose verifier holds its keys already: every decision is made on the request's thread. */
    private NettyForTests start(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        verifier.warmup();
        return start(verifier);
    }

    private NettyForTests start(MandateVerifier verifier) {
        CaracalWebFilter caracal = CaracalWebFilter.builder().verifier(verifier).exclude("/public").build();
        return NettyForTests.start(NettyForTests.app(callsDownstream(), EXTRACT_CONTEXT, caracal));
    }

    private static int call(URI base, String path, String token) throws Exception {
        return HTTP.send(BaggageDownstream.incoming(base.resolve(path), token).timeout(Http.TIMEOUT).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    @DisplayName("the shared example: caracal.* from the verified claims replace the caller's, tenant passes, the trace continues")
    void verifiedClaimsReplaceIncomingCaracalBaggage(TestIssuer issuer) throws Exception {
        String token = BaggageDownstream.sharedExampleMandate(issuer);
        try (NettyForTests server = start(issuer)) {
            assertThat(call(server.uri(), "/tool", token)).isEqualTo(200);
        }

        assertThat(downstream.baggage()).containsExactlyInAnyOrderEntriesOf(BaggageDownstream.SHARED_EXAMPLE_SEEN);
        assertThat(downstream.traceparent()).startsWith(BaggageDownstream.INCOMING_TRACE_PREFIX);
        assertThat(Baggage.current().getEntryValue("caracal.session")).as("nothing left current on the test thread").isNull();
    }

    @Test
    @DisplayName("a decision made later on another thread (cold key set): the caller's context of the arrival is the base")
    void contextOfTheArrivalSurvivesAnAsynchronousDecision(TestIssuer issuer) throws Exception {
        String token = issuer.mint().sid("authority-record-2").sign();
        try (NettyForTests server = start(issuer.verifier().build())) {
            assertThat(call(server.uri(), "/tool", token)).isEqualTo(200);
        }

        assertThat(downstream.baggage()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "caracal.session", "authority-record-2",
                "caracal.hop", "0",
                "tenant", "example"));
        assertThat(downstream.traceparent()).startsWith(BaggageDownstream.INCOMING_TRACE_PREFIX);
    }

    @Test
    @DisplayName("an unverified (excluded) request keeps no caracal.* entry of the caller")
    void excludedRequestDropsIncomingCaracalBaggage(TestIssuer issuer) throws Exception {
        try (NettyForTests server = start(issuer)) {
            assertThat(call(server.uri(), "/public/page", null)).isEqualTo(200);
        }

        assertThat(downstream.baggage()).containsExactlyInAnyOrderEntriesOf(Map.of("tenant", "example"));
    }
}
