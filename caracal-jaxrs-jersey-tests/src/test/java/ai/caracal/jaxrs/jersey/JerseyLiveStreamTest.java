package ai.caracal.jaxrs.jersey;

import ai.caracal.jaxrs.CaracalRequestFilter;
import ai.caracal.jaxrs.JaxrsLiveStreamContract;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.LiveConnections;
import jakarta.ws.rs.core.Application;
import java.net.URI;
import java.util.Set;

/**
 * connectors.md §10.4 on Jersey 4 over Grizzly (the JDK server container cannot suspend a request for an
 * {@code SseEventSink}), guarded by {@link CaracalRequestFilter}: Jersey writes the events through the
 * response's entity stream, which the filter replaces.
 */
class JerseyLiveStreamTest extends JaxrsLiveStreamContract {

    private final JerseyGrizzlyRuntime runtime = new JerseyGrizzlyRuntime();

    @Override
    protected URI serve(MandateVerifier verifier, LiveConnections live, Object resource) throws Exception {
        CaracalRequestFilter filter = CaracalRequestFilter.builder().verifier(verifier).liveConnections(live).build();
        return runtime.start(new Application() {
            @Override
            public Set<Object> getSingletons() {
                return Set.of(filter, resource);
            }
        });
    }

    @Override
    protected void stopServer() {
        runtime.stop();
    }
}
