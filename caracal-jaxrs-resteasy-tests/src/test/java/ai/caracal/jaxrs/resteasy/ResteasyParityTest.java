package ai.caracal.jaxrs.resteasy;

import ai.caracal.jaxrs.JaxrsParityContract;
import ai.caracal.jaxrs.JaxrsRuntime;

/**
 * connectors.md §9 on RESTEasy 7 over Undertow: every row P1–P45. P45 runs too: no WebSocket endpoint is
 * deployed, so the upgrade request is an ordinary request and is rejected before any resource.
 */
class ResteasyParityTest extends JaxrsParityContract {

    @Override
    protected JaxrsRuntime runtime() {
        return new ResteasyRuntime();
    }
}
