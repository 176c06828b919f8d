package ai.caracal.jaxrs;

import ai.caracal.verify.http.BoundaryRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** A Jakarta REST request as the boundary sees it, under one of the path readings of {@link JaxrsPath}. */
final class JaxrsBoundaryRequest implements BoundaryRequest {

    private final ContainerRequestContext context;
    private final String path;

    private JaxrsBoundaryRequest(ContainerRequestContext context, String path) {
        this.context = context;
        this.path = path;
    }

    /** @return one view per reading of the request's path: usually one, two when runtimes could disagree */
    static List<JaxrsBoundaryRequest> readings(ContainerRequestContext context) {
        UriInfo uri = context.getUriInfo();
        List<String> paths = JaxrsPath.readings(uri.getRequestUri(), uri.getBaseUri());
        List<JaxrsBoundaryRequest> views = new ArrayList<>(paths.size());
        for (String path : paths) {
            views.add(new JaxrsBoundaryRequest(context, path));
        }
        return views;
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

    @Override
    public String targetOrigin() {
        URI uri = context.getUriInfo().getRequestUri();
        String host = uri.getHost();
        if (uri.getScheme() == null || host == null || host.isEmpty()) {
            return null;
        }
        String bracketed = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return uri.getScheme() + "://" + bracketed + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
