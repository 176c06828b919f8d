package ai.caracal.jaxrs.jersey;

import ai.caracal.jaxrs.JaxrsFilterContract;
import ai.caracal.jaxrs.JaxrsRuntime;

/** connectors.md §10.1 on Jersey 4 over the JDK HttpServer (un-normalised paths reach Jersey). */
class JerseyFilterTest extends JaxrsFilterContract {

    @Override
    protected JaxrsRuntime runtime() {
        return new JerseyRuntime();
    }
}
