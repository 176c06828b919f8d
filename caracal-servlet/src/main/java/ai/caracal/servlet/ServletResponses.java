package ai.caracal.servlet;

import ai.caracal.verify.http.BoundaryResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Writes a {@link BoundaryResponse} to a servlet response: status, headers in order, and the body unless
 * the request was {@code HEAD}. For integrations that find a failure outside the filter (per-handler
 * annotations, for example) and must answer exactly as the filter does.
 */
public final class ServletResponses {

    private ServletResponses() {
    }

    /**
     * @param response        what the boundary wants written
     * @param servletResponse the response to write it to; committed afterwards
     * @throws IOException when the client went away
     */
    public static void write(BoundaryResponse response, HttpServletResponse servletResponse) throws IOException {
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
