package ai.caracal.jaxrs.quarkus;

import ai.caracal.jaxrs.CaracalRequestFilter;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * How a Quarkus application registers the filter: Quarkus REST creates providers itself, so this one
 * delegates to the filter built in {@link CaracalSetup}, with the filter's own annotations. It delegates
 * the request filter (verification; on a verified request it also watches for an SSE response, connectors.md
 * §10.4) and the response filter (an SSE response written as an entity, such as a {@code StreamingOutput}).
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class CaracalProvider implements ContainerRequestFilter, ContainerResponseFilter {

    @Inject
    CaracalRequestFilter caracal;

    @Override
    public void filter(ContainerRequestContext request) {
        caracal.filter(request);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        caracal.filter(request, response);
    }
}
