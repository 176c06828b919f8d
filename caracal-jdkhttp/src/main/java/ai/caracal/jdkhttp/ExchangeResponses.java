package ai.caracal.jdkhttp;

import ai.caracal.verify.http.BoundaryResponse;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** Writes a {@link BoundaryResponse} and closes the exchange: status, headers in order, body unless HEAD. */
final class ExchangeResponses {

    private ExchangeResponses() {
    }

    static void write(BoundaryResponse response, HttpExchange exchange) throws IOException {
        try (exchange) {
            Headers headers = exchange.getResponseHeaders();
            response.headers().forEach(headers::set);
            if (response.includeBody()) {
                exchange.sendResponseHeaders(response.status(), response.bodyLength());
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            } else {
                exchange.sendResponseHeaders(response.status(), -1);
            }
        }
    }
}
