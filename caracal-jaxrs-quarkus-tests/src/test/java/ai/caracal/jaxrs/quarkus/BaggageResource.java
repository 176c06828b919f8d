package ai.caracal.jaxrs.quarkus;

import ai.caracal.testkit.tracing.BaggageDownstream;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The application side of {@link QuarkusBaggageTest}: resources that call a downstream server with their
 * current OpenTelemetry context (as an instrumented client would) and answer with what it saw, in three
 * lines: the resource's thread, the downstream {@code traceparent}, the downstream {@code baggage}.
 * {@code /baggage/public} is excluded in the test's profile ({@link ColdBaggage}).
 */
@Path("/baggage")
@jakarta.ws.rs.Produces(MediaType.TEXT_PLAIN)
public class BaggageResource {

    @Inject
    BaggageDownstream downstream;

    /** Quarkus' default for a non-reactive signature: a worker thread. */
    @GET
    @Path("blocking")
    public String blocking() throws IOException, InterruptedException {
        String thread = Thread.currentThread().getName();
        downstream.call(Context.current());
        return seen(thread);
    }

    /** A {@link Uni} signature: the method runs on the event loop. */
    @GET
    @Path("nonblocking")
    public Uni<String> nonBlocking() {
        String thread = Thread.currentThread().getName();
        CompletableFuture<Void> call = downstream.callAsync(Context.current());
        return Uni.createFrom().completionStage(call).map(done -> seen(thread));
    }

    /** Excluded from verification ({@link ColdBaggage}); a worker thread. */
    @GET
    @Path("public")
    public String open() throws IOException, InterruptedException {
        return blocking();
    }

    private String seen(String thread) {
        Map<String, String> baggage = downstream.baggage();
        return thread + "\n" + downstream.traceparent() + "\n"
                + baggage.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The downstream server: one for the application, on a loopback port. */
    @Singleton
    static class Downstream {

        @Produces
        @Singleton
        BaggageDownstream start() throws IOException {
            return BaggageDownstream.start();
        }

        void stop(@Disposes BaggageDownstream downstream) {
            downstream.close();
        }
    }
}
