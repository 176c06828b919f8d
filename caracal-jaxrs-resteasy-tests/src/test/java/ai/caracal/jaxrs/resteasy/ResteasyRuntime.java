package ai.caracal.jaxrs.resteasy;

import ai.caracal.jaxrs.JaxrsRuntime;
import io.undertow.Undertow;
import jakarta.ws.rs.core.Application;
import java.net.InetSocketAddress;
import java.net.URI;
import org.jboss.resteasy.plugins.server.undertow.UndertowJaxrsServer;

/** RESTEasy 7 (classic) deployed on embedded Undertow, listening on 127.0.0.1. */
final class ResteasyRuntime implements JaxrsRuntime {

    private Server server;

    @Override
    public URI start(Application application) {
        server = new Server();
        server.start(Undertow.builder().addHttpListener(0, "127.0.0.1"));
        server.deploy(application);
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void stop() {
        server.stop();
    }

    /** Exposes the port Undertow bound. */
    private static final class Server extends UndertowJaxrsServer {
        int port() {
            return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        }
    }
}
