package ai.caracal.spring;

import ai.caracal.verify.http.BoundaryResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Writes a {@link BoundaryResponse} exactly as {@code CaracalFilter} does: status, headers in order,
 * and the body unless it is a HEAD.
 */
final class ServletRejections {

    private ServletRejections() {
    }

    static void write(BoundaryResponse response, HttpServletResponse servletResponse) throws IOException {
        servletResponse.setStatus(response.status());
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            servletResponse.setHeader(header.getKey(), header.getValue());
        }
        if (response.headers().containsKey("Content-Type")) {
            servletResponse.setCharacterEncoding("UTF-8");
        }
        servletResponse.setContentLength(response.bodyLength());
        if (response.includeBody()) {
            try (OutputStream out = servletResponse.getOutputStream()) {
                out.write(response.body());
            }
        } else {
            servletResponse.flushBuffer();
        }
    }
}
