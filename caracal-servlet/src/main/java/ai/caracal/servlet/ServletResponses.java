package ai.caracal.servlet;

import ai.caracal.verify.http.BoundaryResponse;
import ai.caracal.verify.http.EarlyAnswer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link BoundaryResponse} to a servlet response: status, headers in order, and the body unless
 * the request was {@code HEAD}. For integrations that find a failure outside the filter (per-handler
 * annotations, for example) and must answer exactly as the filter does.
 */
public final class ServletResponses {

    private static final Logger log = LoggerFactory.getLogger(ServletResponses.class);

    private ServletResponses() {
    }

    /**
     * Answers a request whose body nothing has read yet (connectors.md §10.3): writes the response as
     * {@link #write} does, then deals with the unread body as {@link EarlyAnswer#handling} says, so that
     * a client still sending its body receives the answer instead of a connection reset. Draining
     * happens on the calling thread, after the answer is on the wire, and ends at the end of the body,
     * at {@code drainLimit} bytes, or at the container's read timeout.
     *
     * @param response        what the boundary wants written
     * @param request         the request being answered; its body is read (and discarded) at most up to
     *                        {@code drainLimit} bytes
     * @param servletResponse the response to write to; committed afterwards
     * @param drainLimit      the most body bytes to read, for example {@code HttpBoundary.drainLimit()}
     * @throws IOException when the client went away before the answer was written
     */
    public static void answer(BoundaryResponse response, HttpServletRequest request, HttpServletResponse servletResponse,
                              long drainLimit) throws IOException {
        EarlyAnswer.Handling body = EarlyAnswer.handling(request.getProtocol(), request.getContentLengthLong(),
                request.getHeader("Transfer-Encoding") != null, drainLimit);
        if (body == EarlyAnswer.Handling.CLOSE) {
            servletResponse.setHeader("Connection", "close");
        }
        boolean wroteBody = writeAndFlush(response, servletResponse);
        if (body == EarlyAnswer.Handling.DRAIN) {
            try {
                if (!EarlyAnswer.drain(request.getInputStream(), drainLimit)) {
                    log.debug("Request body longer than the drain limit of {} bytes; the container closes the connection", drainLimit);
                }
            } catch (IOException | IllegalStateException e) {
                // The answer is out; a client that stops sending only loses its own connection.
                log.debug("Request body not drained after the answer: {}", e.toString());
            }
        }
        if (wroteBody) {
            servletResponse.getOutputStream().close();
        }
    }

    /**
     * @param response        what the boundary wants written
     * @param servletResponse the response to write it to; committed afterwards
     * @throws IOException when the client went away
     */
    public static void write(BoundaryResponse response, HttpServletResponse servletResponse) throws IOException {
        if (writeAndFlush(response, servletResponse)) {
            servletResponse.getOutputStream().close();
        }
    }

    /**
     * Writes the whole response and flushes it, leaving the output stream open: Tomcat closes the
     * request body when the response's output stream is closed, so a drain must come before that.
     *
     * @return whether a body was written (through the output stream)
     */
    private static boolean writeAndFlush(BoundaryResponse response, HttpServletResponse servletResponse) throws IOException {
        servletResponse.setStatus(response.status());
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            servletResponse.setHeader(header.getKey(), header.getValue());
        }
        if (response.headers().containsKey("Content-Type")) {
            servletResponse.setCharacterEncoding("UTF-8");
        }
        servletResponse.setContentLength(response.bodyLength());
        if (!response.includeBody()) {
            servletResponse.flushBuffer();
            return false;
        }
        OutputStream out = servletResponse.getOutputStream();
        out.write(response.body());
        out.flush();
        return true;
    }
}
