package ai.caracal.jdkhttp;

import ai.caracal.verify.http.BoundaryResponse;
import ai.caracal.verify.http.EarlyAnswer;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link BoundaryResponse} and closes the exchange: status, headers in order, body unless
 * HEAD. The request body nothing has read is handled as {@link EarlyAnswer} says (connectors.md §10.3):
 * the answer is flushed first, then the body is drained up to the drain limit, before the exchange is
 * closed. Without that, the JDK server itself drains only 64 KiB ({@code sun.net.httpserver.drainAmount})
 * and then closes the connection under a client still sending, which resets it.
 */
final class ExchangeResponses {

    private static final Logger log = LoggerFactory.getLogger(ExchangeResponses.class);

    private ExchangeResponses() {
    }

    static void write(BoundaryResponse response, HttpExchange exchange, long drainLimit) throws IOException {
        try (exchange) {
            Headers request = exchange.getRequestHeaders();
            EarlyAnswer.Handling body = EarlyAnswer.handling(exchange.getProtocol(), contentLength(request),
                    request.containsKey("Transfer-Encoding"), drainLimit);
            if (body == EarlyAnswer.Handling.DRAIN && !response.includeBody()) {
                // Without a response body the JDK server finishes the exchange at once, before any drain.
                body = EarlyAnswer.Handling.CLOSE;
            }
            Headers headers = exchange.getResponseHeaders();
            response.headers().forEach(headers::set);
            if (body == EarlyAnswer.Handling.CLOSE) {
                headers.set("Connection", "close");
            }
            if (!response.includeBody()) {
                exchange.sendResponseHeaders(response.status(), -1);
                return;
            }
            exchange.sendResponseHeaders(response.status(), response.bodyLength());
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
                out.flush();
                if (body == EarlyAnswer.Handling.DRAIN) {
                    drain(exchange, drainLimit);
                }
            }
        }
    }

    private static void drain(HttpExchange exchange, long drainLimit) {
        try {
            if (!EarlyAnswer.drain(exchange.getRequestBody(), drainLimit)) {
                log.debug("Request body longer than the drain limit of {} bytes; the server closes the connection", drainLimit);
            }
        } catch (IOException e) {
            // The answer is out; a client that stops sending only loses its own connection.
            log.debug("Request body not drained after the answer: {}", e.toString());
        }
    }

    /** @return the announced body length, {@code -1} when absent or unreadable (the server rejects those) */
    private static long contentLength(Headers request) {
        String value = request.getFirst("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
