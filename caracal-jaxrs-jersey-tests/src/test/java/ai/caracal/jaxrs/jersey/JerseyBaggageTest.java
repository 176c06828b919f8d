package ai.caracal.jaxrs.jersey;

import ai.caracal.jaxrs.JaxrsBaggageContract;
import ai.caracal.jaxrs.JaxrsRuntime;

/** interop.md §1 baggage on Jersey 4 over Grizzly (the JDK HttpServer container cannot suspend a request, so @Suspended needs Grizzly). */
class JerseyBaggageTest extends JaxrsBaggageContract {

    @Override
    protected JaxrsRuntime runtime() {
        return new JerseyGrizzlyRuntime();
    }
}
