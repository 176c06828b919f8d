package ai.caracal.jaxrs.jersey;

import ai.caracal.jaxrs.JaxrsRuntime;
import jakarta.ws.rs.core.Application;
import java.net.URI;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * Jersey 4 on its Grizzly container, bound to 127.0.0.1: unlike the JDK server container it can suspend
 * a request, which an {@code SseEventSink} needs.
 */
final class JerseyGrizzlyRuntime implements JaxrsRuntime {

    private HttpServer server;

    @Override
    public URI start(Application application) throws Exception {
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"),
                ResourceConfig.forApplication(application), true);
        return URI.create("http://127.0.0.1:" + server.getListener("grizzly").getPort());
    }

    @Override
    public void stop() {
        server.shutdownNow();
    }
}
