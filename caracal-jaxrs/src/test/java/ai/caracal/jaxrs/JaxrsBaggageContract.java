package ai.caracal.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.tracing.BaggageDownstream;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * interop.md §1 for {@link CaracalRequestFilter} on one runtime: the caller's {@code traceparent} and
 * {@code baggage} are extracted with OpenTelemetry's W3C propagators by a filter in front (as a server
 * instrumentation does), the resource calls a downstream server through the same propagators, and that
 * server sees the {@code caracal.*} entries of the verified claims, the third-party entry unchanged and
 * none of the caller's forged {@code caracal.*}. After Caracal's response filter, the context in front is
 * current again: the filter's scope was closed on its thread, with and without an entity.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
public abstract class JaxrsBaggageContract {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<JaxrsRuntime> started = new ArrayList<>();
    private final ExecutorService resumers = Executors.newSingleThreadExecutor();
    private final AtomicReference<String> sessionAfterCaracal = new AtomicReference<>();
    private BaggageDownstream downstream;

    /** @return a fresh, unstarted runtime */
    protected abstract JaxrsRuntime runtime();

    @BeforeEach
    final void startDownstream() throws IOException {
        downstream = BaggageDownstream.start();
    }

    @AfterEach
    final void stopAll() throws Exception {
        for (JaxrsRuntime runtime : started) {
            runtime.stop();
        }
        resumers.shutdownNow();
        downstream.close();
    }

    @Test
    @DisplayName("the shared example: caracal.* from the verified claims replace the caller's, tenant passes, the trace continues; the scope is closed by the response filters")
    void verifiedClaimsReplaceIncomingCaracalBaggage(TestIssuer issuer) throws Exception {
        URI base = serve(issuer);
        String token = BaggageDownstream.sharedExampleMandate(issuer);

        HttpResponse<String> response = call(base, "/baggage/tool", token);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("called");
        assertThat(downstream.baggage()).containsExactlyInAnyOrderEntriesOf(BaggageDownstream.SHARED_EXAMPLE_SEEN);
        assertThat(downstream.traceparent()).startsWith(BaggageDownstream.INCOMING_TRACE_PREFIX);
        assertThat(sessionAfterCaracal.get()).as("the caller's context is current again after the response")
                .isEqualTo("forged-session");
    }

    @Test
    @DisplayName("a response without an entity closes the scope too")
    void scopeClosesWithoutAnEntity(TestIssuer issuer) throws Exception {
        URI base = serve(issuer);

        HttpResponse<String> response = call(base, "/baggage/empty", issuer.mint().sid("sid-empty").sign());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(downstream.baggage()).containsEntry("caracal.session", "sid-empty");
        assertThat(sessionAfterCaracal.get()).isEqualTo("forged-session");
    }

    @Test
    @DisplayName("an excluded (unverified) request keeps no caracal.* entry of the caller")
    void excludedRequestDropsIncomingCaracalBaggage(TestIssuer issuer) throws Exception {
        URI base = serve(issuer);

        assertThat(call(base, "/baggage/public", null).statusCode()).isEqualTo(200);

        assertThat(downstream.baggage()).containsExactlyInAnyOrderEntriesOf(Map.of("tenant", "example"));
    }

    @Test
    @DisplayName("a rejected request never reaches the resource, and the caller's context is left as it was")
    void rejectedRequestOpensNoScope(TestIssuer issuer) throws Exception {
        URI base = serve(issuer);

        assertThat(call(base, "/baggage/tool", null).statusCode()).isEqualTo(401);

        assertThat(downstream.baggage()).isEmpty();
        assertThat(sessionAfterCaracal.get()).isEqualTo("forged-session");
    }

    @Test
    @DisplayName("an asynchronous resource (@Suspended) has the verified baggage while its method runs; its response is written by another thread")
    void asynchronousResourceHasTheBaggageInItsMethod(TestIssuer issuer) throws Exception {
        URI base = serve(issuer);

        HttpResponse<String> response = call(base, "/baggage/async", issuer.mint().sid("sid-async").sign());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("resumed");
        assertThat(downstream.baggage()).containsEntry("caracal.session", "sid-async").containsEntry("tenant", "example");
        // The next request on any worker thread gets its own entries, never the earlier request's.
        assertThat(call(base, "/baggage/tool", issuer.mint().sid("sid-next").sign()).statusCode()).isEqualTo(200);
        assertThat(downstream.baggage()).containsEntry("caracal.session", "sid-next");
    }

    private URI serve(TestIssuer issuer) throws Exception {
        CaracalRequestFilter caracal = CaracalRequestFilter.builder().verifier(issuer.verifier().build())
                .exclude("/baggage/public").build();
        JaxrsRuntime runtime = runtime();
        URI base = runtime.start(new Application() {
            @Override
            public Set<Object> getSingletons() {
                return Set.of(new ExtractContext(), caracal, new Resource());
            }
        });
        started.add(runtime);
        return base;
    }

    private HttpResponse<String> call(URI base, String path, String token) throws Exception {
        return http.send(BaggageDownstream.incoming(base.resolve(path), token).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * What a server instrumentation does, in front of Caracal: extracts the incoming context and makes it
     * current; in its response filter (which runs after Caracal's, as its priority is lower), records the
     * {@code caracal.session} then current and restores the thread.
     */
    @PreMatching
    @Priority(100)
    public final class ExtractContext implements ContainerRequestFilter, ContainerResponseFilter {

        private static final String SCOPE = "test.extracted";

        @Override
        public void filter(ContainerRequestContext request) {
            Context extracted = BaggageDownstream.W3C.extract(Context.root(), request, new TextMapGetter<>() {
                @Override
                public Iterable<String> keys(ContainerRequestContext carrier) {
                    return carrier.getHeaders().keySet();
                }

                @Override
                public String get(ContainerRequestContext carrier, String key) {
                    return carrier.getHeaderString(key);
                }
            });
            request.setProperty(SCOPE, extracted.makeCurrent());
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (request.getProperty(SCOPE) instanceof Scope scope) {
                request.removeProperty(SCOPE);
                close(scope);
            }
        }

        private void close(Scope scope) {
            sessionAfterCaracal.set(Baggage.current().getEntryValue("caracal.session"));
            scope.close();
        }
    }

    /** The application: calls the downstream server, its client propagating the current context. */
    @Path("/baggage")
    public final class Resource {

        @GET
        @Path("tool")
        public String tool() throws InterruptedException {
            callDownstream();
            return "called";
        }

        @GET
        @Path("empty")
        public void empty() throws InterruptedException {
            callDownstream();
        }

        @GET
        @Path("public")
        public String open() throws InterruptedException {
            callDownstream();
            return "open";
        }

        @GET
        @Path("async")
        public void async(@Suspended AsyncResponse response) throws InterruptedException {
            callDownstream();
            resumers.execute(() -> response.resume(Response.ok("resumed").build()));
        }

        private void callDownstream() throws InterruptedException {
            try {
                downstream.call(Context.current());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
