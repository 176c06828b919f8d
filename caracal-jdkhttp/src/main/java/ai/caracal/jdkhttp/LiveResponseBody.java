package ai.caracal.jdkhttp;

import ai.caracal.verify.Claims;
import ai.caracal.verify.http.LiveConnection;
import ai.caracal.verify.http.LiveConnections;
import ai.caracal.verify.http.StreamGuard;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * The response body of a verified exchange, as the handler sees it (connectors.md §10.4). At the first
 * write or flush, a response whose {@code Content-Type} is {@code text/event-stream} is registered with the
 * boundary's {@link LiveConnections} and every write goes through a {@link StreamGuard}; ending it closes
 * the server's stream, which ends the exchange, and the handler's next write fails. Other responses pass
 * through unchanged.
 */
final class LiveResponseBody extends OutputStream {

    private final HttpExchange exchange;
    private final OutputStream target;
    private final Claims claims;
    private final LiveConnections registry;
    private volatile boolean decided;
    private volatile StreamGuard guard;
    private volatile LiveConnection connection;

    LiveResponseBody(HttpExchange exchange, OutputStream target, Claims claims, LiveConnections registry) {
        this.exchange = exchange;
        this.target = target;
        this.claims = claims;
        this.registry = registry;
    }

    @Override
    public void write(int b) throws IOException {
        StreamGuard live = tracked();
        if (live == null) {
            target.write(b);
            return;
        }
        live.enter();
        try {
            target.write(b);
        } finally {
            live.exit();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        StreamGuard live = tracked();
        if (live == null) {
            target.write(b, off, len);
            return;
        }
        live.enter();
        try {
            target.write(b, off, len);
        } finally {
            live.exit();
        }
    }

    @Override
    public void flush() throws IOException {
        StreamGuard live = tracked();
        if (live == null) {
            target.flush();
            return;
        }
        live.enter();
        try {
            target.flush();
        } finally {
            live.exit();
        }
    }

    @Override
    public void close() throws IOException {
        LiveConnection tracked = connection;
        StreamGuard live = guard;
        if (tracked != null) {
            tracked.close();
        }
        if (live != null) {
            live.closeFromApplication();
        } else {
            target.close();
        }
    }

    /** @return the guard of an event stream, decided at the first write or flush; {@code null} otherwise */
    private StreamGuard tracked() {
        if (!decided) {
            synchronized (this) {
                if (!decided) {
                    String type = exchange.getResponseHeaders().getFirst("Content-Type");
                    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
                        StreamGuard created = new StreamGuard(target);
                        guard = created;
                        connection = registry.open(claims, created::end);
                    }
                    decided = true;
                }
            }
        }
        return guard;
    }
}
