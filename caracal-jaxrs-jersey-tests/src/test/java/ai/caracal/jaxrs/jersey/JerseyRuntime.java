package ai.caracal.jaxrs.jersey;

import ai.caracal.jaxrs.JaxrsRuntime;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import jakarta.ws.rs.core.Application;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * Jersey 4 on a JDK {@link HttpServer} bound to 127.0.0.1: the JDK server hands the request target to
 * Jersey as sent, so dot segments and encoded characters reach the filter un-normalised.
 */
final class JerseyRuntime implements JaxrsRuntime {

    private HttpServer server;
    private ExecutorService threads;

    @Override
    public URI start(Application application) throws Exception {
        HttpHandler jersey = ContainerFactory.createContainer(HttpHandler.class, ResourceConfig.forApplication(application));
        threads = Executors.newFixedThreadPool(16);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", jersey);
        server.setExecutor(threads);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        server.stop(0);
        threads.shutdownNow();
    }
}
