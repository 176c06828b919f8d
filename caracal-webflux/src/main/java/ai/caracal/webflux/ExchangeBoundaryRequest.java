package ai.caracal.webflux;

import ai.caracal.verify.http.BoundaryRequest;
import java.net.URI;
import java.util.List;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** A WebFlux request as the boundary sees it: the decoded path within the application, as routing matches it. */
final class ExchangeBoundaryRequest implements BoundaryRequest {

    private final ServerHttpRequest request;
    private final String path;

    ExchangeBoundaryRequest(ServerHttpRequest request, String path) {
        this.request = request;
        this.path = path;
    }

    @Override
    public String method() {
        return request.getMethod().name();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<String> headers(String name) {
        return HeaderValues.of(request.getHeaders(), name);
    }

    @Override
    public String targetOrigin() {
        URI uri = request.getURI();
        String host = uri.getHost();
        if (uri.getScheme() == null || host == null || host.isEmpty()) {
            return null;
        }
        String bracketed = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return uri.getScheme() + "://" + bracketed + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
