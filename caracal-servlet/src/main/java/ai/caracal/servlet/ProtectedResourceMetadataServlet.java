package ai.caracal.servlet;

import ai.caracal.verify.http.ResourceMetadataEndpoint;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * Serves the RFC 9728 protected resource metadata document, for deployments where {@link CaracalFilter}
 * is mapped narrowly (for example only {@code /mcp}). Map it at the document path, for example
 * {@code /.well-known/oauth-protected-resource/mcp}, at the host root:
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new ProtectedResourceMetadataServlet(filter.metadata())),
 *         filter.metadata().documentPath());
 * }</pre>
 *
 * <p>{@code GET} and {@code HEAD} get the document without authentication; any other method gets 405.
 * Thread-safe.
 */
public final class ProtectedResourceMetadataServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient ResourceMetadataEndpoint endpoint;

    /**
     * @param endpoint the document to serve, from {@link CaracalFilter#metadata()}
     */
    public ProtectedResourceMetadataServlet(ResourceMetadataEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletResponses.write(endpoint.response(request.getMethod()), response);
    }
}
