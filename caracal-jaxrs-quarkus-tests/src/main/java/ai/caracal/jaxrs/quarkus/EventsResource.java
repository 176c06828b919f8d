package ai.caracal.jaxrs.quarkus;

import ai.caracal.jaxrs.CaracalClaims;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * Server-sent event streams behind the filter (connectors.md §10.4), each living as long as its mandate
 * holds: {@code /streams/events} with an {@code SseEventSink}, {@code /streams/ticks} a {@code Multi},
 * {@code /streams/output} an entity ({@code StreamingOutput}) written in a loop on a worker thread.
 */
@Path("/streams")
public class EventsResource {

    @Inject
    EventStreams streams;

    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@Context SseEventSink sink, @Context Sse sse, @Context SecurityContext security) {
        streams.start(CaracalClaims.require(security).sub(), sink, sse);
    }

    @GET
    @Path("ticks")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<String> ticks(@Context SecurityContext security) {
        String subject = CaracalClaims.require(security).sub();
        return Multi.createFrom().ticks().every(Duration.ofMillis(50)).map(n -> "tick " + n)
                .onCancellation().invoke(() -> streams.ended(subject));
    }

    @GET
    @Path("output")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public StreamingOutput output(@Context SecurityContext security) {
        String subject = CaracalClaims.require(security).sub();
        return out -> {
            try {
                write(out, "open");
                while (true) {
                    Thread.sleep(50);
                    write(out, "tick");
                }
            } catch (IOException ended) {
                streams.ended(subject);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static void write(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
