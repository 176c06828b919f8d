package ai.caracal.jaxrs.resteasy;

import ai.caracal.jaxrs.JaxrsBaggageContract;
import ai.caracal.jaxrs.JaxrsRuntime;

/** interop.md §1 baggage on RESTEasy 7 (classic) over Undertow. */
class ResteasyBaggageTest extends JaxrsBaggageContract {

    @Override
    protected JaxrsRuntime runtime() {
        return new ResteasyRuntime();
    }
}
