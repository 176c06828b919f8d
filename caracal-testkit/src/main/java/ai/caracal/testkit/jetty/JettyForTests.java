package ai.caracal.testkit.jetty;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 (EE10) server on {@code 127.0.0.1} (an ephemeral port) with one servlet context, for
 * tests: add filters and servlets, {@link #start()}, send real HTTP, {@link #close()}. Filters are mapped
 * the way production code should map the Caracal filter (connectors.md §7): async-supported, for the
 * REQUEST dispatcher only.
 *
 * <p>Needs {@code org.eclipse.jetty.ee10:jetty-ee10-servlet} on the test classpath (an optional
 * dependency of the test kit).
 *
 * <pre>{@code
 * try (JettyForTests jetty = new JettyForTests().filter(caracalFilter, "/*").servlet(new Echo(), "/*")) {
 *     URI base = jetty.start();
 *     // send requests to base
 * }
 * }</pre>
 */
public final class JettyForTests implements AutoCloseable {

    private final Server server = new Server();
    private final ServletContextHandler context = new ServletContextHandler();

    /** A server with one context at {@code /}, not started. */
    public JettyForTests() {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(context);
    }

    /** @return the servlet context, for example to set attributes before {@link #start()} */
    public ServletContextHandler context() {
        return context;
    }

    /**
     * Maps a filter async-supported, for the REQUEST dispatcher only. Filters run in the order they are added.
     *
     * @param filter   the filter
     * @param pathSpec where, for example {@code /*}
     * @return this server
     */
    public JettyForTests filter(Filter filter, String pathSpec) {
        FilterHolder holder = new FilterHolder(filter);
        holder.setAsyncSupported(true);
        context.addFilter(holder, pathSpec, EnumSet.of(DispatcherType.REQUEST));
        return this;
    }

    /**
     * Maps a filter holder as given (its init parameters and async support are the caller's), for the
     * REQUEST dispatcher only.
     *
     * @param holder   the filter holder
     * @param pathSpec where, for example {@code /*}
     * @return this server
     */
    public JettyForTests filter(FilterHolder holder, String pathSpec) {
        context.addFilter(holder, pathSpec, EnumSet.of(DispatcherType.REQUEST));
        return this;
    }

    /**
     * Maps a servlet, async-supported.
     *
     * @param servlet  the servlet
     * @param pathSpec where, for example {@code /*}
     * @return this server
     */
    public JettyForTests servlet(Servlet servlet, String pathSpec) {
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, pathSpec);
        return this;
    }

    /**
     * Starts the server.
     *
     * @return its base address, {@code http://127.0.0.1:<port>}
     * @throws IllegalStateException when Jetty does not start
     */
    public URI start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not start", e);
        }
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    /**
     * Stops the server.
     *
     * @throws IllegalStateException when Jetty does not stop
     */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
