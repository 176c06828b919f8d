package ai.caracal.servlet;

import ai.caracal.verify.http.BoundaryRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;

/** A servlet request as the boundary sees it: context-relative, container-normalised path. */
final class ServletBoundaryRequest implements BoundaryRequest {

    private final HttpServletRequest request;

    ServletBoundaryRequest(HttpServletRequest request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public List<String> headers(String name) {
        return Collections.list(request.getHeaders(name));
    }

    @Override
    public String targetOrigin() {
        String host = request.getServerName();
        if (host == null || host.isEmpty()) {
            return null;
        }
        String bracketed = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return request.getScheme() + "://" + bracketed + ":" + request.getServerPort();
    }
}
