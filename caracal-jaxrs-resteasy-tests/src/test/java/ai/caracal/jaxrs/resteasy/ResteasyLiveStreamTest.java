package ai.caracal.jaxrs.resteasy;

import ai.caracal.jaxrs.JaxrsLiveStreamContract;
import ai.caracal.servlet.CaracalFilter;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.LiveConnections;
import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.core.Application;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.undertow.UndertowJaxrsServer;
import org.jboss.resteasy.spi.ResteasyDeployment;

/**
 * connectors.md §10.4 on RESTEasy 7 (classic) on Undertow, guarded by the servlet {@link CaracalFilter}
 * in front of the RESTEasy servlet: RESTEasy closes the Jakarta REST entity stream when its dispatch
 * returns and keeps writing the events to the servlet response, which the servlet filter guards.
 */
class ResteasyLiveStreamTest extends JaxrsLiveStreamContract {

    private Server server;

    @Override
    protected URI serve(MandateVerifier verifier, LiveConnections live, Object resource) {
        CaracalFilter filter = CaracalFilter.builder().verifier(verifier).liveConnections(live).build();
        ResteasyDeployment deployment = new ResteasyDeploymentImpl();
        deployment.setApplication(new Application() {
            @Override
            public Set<Object> getSingletons() {
                return Set.of(resource);
            }
        });
        server = new Server();
        server.start(Undertow.builder().addHttpListener(0, "127.0.0.1"));
        DeploymentInfo info = server.undertowDeployment(deployment)
                .setContextPath("/").setDeploymentName("live-" + System.nanoTime())
                .setClassLoader(ResteasyLiveStreamTest.class.getClassLoader())
                .addFilter(Servlets.filter("caracal", CaracalFilter.class, new ImmediateInstanceFactory<>(filter))
                        .setAsyncSupported(true))
                .addFilterUrlMapping("caracal", "/*", DispatcherType.REQUEST);
        server.deploy(info);
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    protected void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    /** Exposes the port Undertow bound. */
    private static final class Server extends UndertowJaxrsServer {
        int port() {
            return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        }
    }
}
