package ai.caracal.jdkhttp;

import ai.caracal.verify.http.BoundaryRequest;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import java.util.List;

/** An exchange as the boundary sees it: the decoded, absolute, un-normalised request path. */
final class ExchangeBoundaryRequest implements BoundaryRequest {

    private final HttpExchange exchange;

    ExchangeBoundaryRequest(HttpExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public String method() {
        return exchange.getRequestMethod();
    }

    @Override
    public String path() {
        String path = exchange.getRequestURI().getPath();
        return path == null ? "" : path;
    }

    @Override
    public List<String> headers(String name) {
        List<String> values = exchange.getRequestHeaders().get(name);
        return values == null ? List.of() : values;
    }

    @Override
    public String targetOrigin() {
        List<String> host = headers("Host");
        if (host.size() != 1 || host.get(0).isEmpty()) {
            return null;
        }
        return (exchange instanceof HttpsExchange ? "https" : "http") + "://" + host.get(0);
    }
}
