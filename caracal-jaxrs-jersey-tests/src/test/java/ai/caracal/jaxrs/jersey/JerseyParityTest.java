package ai.caracal.jaxrs.jersey;

import ai.caracal.jaxrs.JaxrsParityContract;
import ai.caracal.jaxrs.JaxrsRuntime;

/**
 * connectors.md §9 on Jersey 4 over the JDK HttpServer: every row P1–P45. P45 runs too: the JDK server
 * has no WebSocket support, so it never answers {@code 101}, and the upgrade request is rejected like
 * any other.
 */
class JerseyParityTest extends JaxrsParityContract {

    @Override
    protected JaxrsRuntime runtime() {
        return new JerseyRuntime();
    }
}
