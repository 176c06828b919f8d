package ai.caracal.jaxrs.quarkus;

import ai.caracal.jaxrs.CaracalRequestFilter;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * How a Quarkus application registers the filter: Quarkus REST creates providers itself, so this one
 * delegates to the filter built in {@link CaracalSetup}, with the filter's own annotations.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class CaracalProvider implements ContainerRequestFilter {

    @Inject
    CaracalRequestFilter caracal;

    @Override
    public void filter(ContainerRequestContext request) {
        caracal.filter(request);
    }
}
