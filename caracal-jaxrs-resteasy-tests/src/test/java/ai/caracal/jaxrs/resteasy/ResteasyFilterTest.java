package ai.caracal.jaxrs.resteasy;

import ai.caracal.jaxrs.JaxrsFilterContract;
import ai.caracal.jaxrs.JaxrsRuntime;

/** connectors.md §10.1 on RESTEasy 7 over Undertow. */
class ResteasyFilterTest extends JaxrsFilterContract {

    @Override
    protected JaxrsRuntime runtime() {
        return new ResteasyRuntime();
    }
}
