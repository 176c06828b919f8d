package ai.caracal.jaxrs;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/** A later provider reading the claims from the request property: echoes their sub as {@code X-Claims-Property}. */
public final class ClaimsPropertyProbe implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle("X-Claims-Property", CaracalClaims.from(request).map(c -> c.sub()).orElse("none"));
    }
}
