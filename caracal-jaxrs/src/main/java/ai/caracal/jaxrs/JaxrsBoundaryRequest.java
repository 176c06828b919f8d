package ai.caracal.jaxrs;

import ai.caracal.verify.http.BoundaryRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** A Jakarta REST request as the boundary sees it: the application-relative path of {@link JaxrsPath}. */
final class JaxrsBoundaryRequest implements BoundaryRequest {

    private final ContainerRequestContext context;
    private final String path;

    JaxrsBoundaryRequest(ContainerRequestContext context) {
        this.context = context;
        UriInfo uri = context.getUriInfo();
        this.path = JaxrsPath.of(uri.getRequestUri(), uri.getBaseUri());
    }

    @Override
    public String method() {
        return context.getMethod();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<String> headers(String name) {
        List<String> values = context.getHeaders().get(name);
        return values == null ? List.of() : values;
    }
}
