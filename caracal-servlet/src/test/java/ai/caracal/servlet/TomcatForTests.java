package ai.caracal.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** A real embedded Tomcat 10.1 (Servlet 6.0) on 127.0.0.1 with filters and servlets, for tests. */
final class TomcatForTests implements AutoCloseable {

    private final Tomcat tomcat = new Tomcat();
    private final Connector connector = new Connector();
    private final Context context;
    private int names;

    TomcatForTests() {
        try {
            tomcat.setBaseDir(Files.createTempDirectory("caracal-tomcat").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        context = tomcat.addContext("", null);
    }

    /** Maps the filter like production code should: async-supported, REQUEST dispatcher only. */
    TomcatForTests filter(Filter filter, String urlPattern) {
        String name = "filter-" + names++;
        FilterDef def = new FilterDef();
        def.setFilterName(name);
        def.setFilter(filter);
        def.setAsyncSupported("true");
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName(name);
        map.addURLPattern(urlPattern);
        map.setDispatcher("REQUEST");
        context.addFilterMap(map);
        return this;
    }

    /**
     * Registers the filter at start-up through the Servlet API, as the README shows ({@code addFilter},
     * async-supported, {@code addMappingForUrlPatterns(REQUEST, false, urlPattern)}), from an initializer that
     * runs after the ones added before it (for example after Tomcat's {@code WsSci}).
     */
    TomcatForTests dynamicFilter(Filter filter, String urlPattern) {
        String name = "filter-" + names++;
        context.addServletContainerInitializer((classes, servletContext) -> {
            jakarta.servlet.FilterRegistration.Dynamic registration = servletContext.addFilter(name, filter);
            registration.setAsyncSupported(true);
            registration.addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), false,
                    urlPattern);
        }, null);
        return this;
    }

    TomcatForTests servlet(HttpServlet servlet, String urlPattern) {
        String name = "servlet-" + names++;
        Tomcat.addServlet(context, name, servlet).setAsyncSupported(true);
        context.addServletMappingDecoded(urlPattern, name);
        return this;
    }

    /**
     * Adds Tomcat's WebSocket implementation (its {@code WsSci}, which registers the {@code WsFilter} after
     * the application's filters) and the given endpoints: {@link jakarta.websocket.server.ServerEndpointConfig}s
     * or {@code @ServerEndpoint} classes.
     */
    TomcatForTests webSockets(Object... endpoints) {
        context.addServletContainerInitializer(new org.apache.tomcat.websocket.server.WsSci(), null);
        context.addServletContainerInitializer((classes, servletContext) -> {
            jakarta.websocket.server.ServerContainer container = (jakarta.websocket.server.ServerContainer)
                    servletContext.getAttribute(jakarta.websocket.server.ServerContainer.class.getName());
            for (Object endpoint : endpoints) {
                try {
                    if (endpoint instanceof jakarta.websocket.server.ServerEndpointConfig config) {
                        container.addEndpoint(config);
                    } else {
                        container.addEndpoint((Class<?>) endpoint);
                    }
                } catch (jakarta.websocket.DeploymentException e) {
                    throw new jakarta.servlet.ServletException(e);
                }
            }
        }, null);
        return this;
    }

    URI start() {
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            throw new IllegalStateException("Tomcat did not start", e);
        }
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
            deleteTree(Path.of(tomcat.getServer().getCatalinaBase().getPath()));
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
