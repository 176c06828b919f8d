package ai.caracal.verify.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * What a connector does with the unread body of a request it answers at the boundary (connectors.md
 * §10.3, "early answers"). The boundary answers before any handler reads the body, often while the
 * client is still sending it. A server that then closes the connection with body bytes unread makes
 * the TCP stack reset it, and a client still writing its body may lose the answer it was sent (Java's
 * {@code HttpClient} reports "header parser received no bytes"). So, on HTTP/1.x:
 *
 * <ul>
 *   <li>{@link Handling#DRAIN}: the answer is written and flushed first, then the connector reads and
 *       discards the rest of the body, at most the drain limit. The connection stays usable.</li>
 *   <li>{@link Handling#CLOSE}: the body is announced larger than the drain limit (or the limit is
 *       {@code 0}). The answer carries {@code Connection: close}, and nothing is read.</li>
 *   <li>{@link Handling#NONE}: no body, or HTTP/2 and later, where the container ends the request
 *       stream on its own without touching the connection.</li>
 * </ul>
 *
 * <p>A chunked body that turns out longer than the limit is read up to the limit; the container then
 * closes the connection (the answer was sent long before). A request with {@code Expect: 100-continue}
 * is drained like any other: some containers (Tomcat, the JDK server) send {@code 100 Continue} before
 * the boundary runs, and their clients then send the body; where the container has not (Jetty), a
 * client that received the final answer instead closes the connection or sends the body anyway, and
 * either ends the drain. Draining holds the request's thread while the client sends, bounded by the
 * drain limit and the container's read timeout. Stateless and thread-safe.
 */
public final class EarlyAnswer {

    /** The default drain limit: 16 MiB, the MCP Java SDK transport's default maximum request size. */
    public static final long DEFAULT_DRAIN_LIMIT = 16L * 1024 * 1024;

    private static final int BUFFER = 8192;

    /** What to do with the unread body of a request answered at the boundary. */
    public enum Handling {
        /** Nothing: there is no body, or the protocol ends the request stream on its own. */
        NONE,
        /** Write the answer, then read and discard the body up to the drain limit. */
        DRAIN,
        /** Add {@code Connection: close} to the answer and read nothing. */
        CLOSE
    }

    private EarlyAnswer() {
    }

    /**
     * @param protocol      the request's protocol, for example {@code HTTP/1.1}
     * @param contentLength the announced body length, or {@code -1} when not announced
     * @param chunked       whether the request has a {@code Transfer-Encoding} (a body of unknown length)
     * @param drainLimit    the most body bytes the connector reads, {@code 0} for none
     * @return how to treat the body
     */
    public static Handling handling(String protocol, long contentLength, boolean chunked, long drainLimit) {
        if (!(chunked || contentLength > 0)) {
            return Handling.NONE;
        }
        if (protocol == null || !protocol.toUpperCase(Locale.ROOT).startsWith("HTTP/1.")) {
            return Handling.NONE;
        }
        if (drainLimit <= 0 || contentLength > drainLimit) {
            return Handling.CLOSE;
        }
        return Handling.DRAIN;
    }

    /**
     * Reads and discards a request body.
     *
     * @param body       the request body; not closed
     * @param drainLimit the most bytes to read
     * @return {@code true} when the body ended within the limit, {@code false} when the limit was reached
     *         first (the connector leaves the rest to the container, which closes the connection)
     * @throws IOException when reading fails (the client went away, or the container's read timeout)
     */
    public static boolean drain(InputStream body, long drainLimit) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long remaining = drainLimit;
        while (true) {
            // One byte past the limit tells a body of exactly the limit from a longer one.
            int n = body.read(buffer, 0, (int) Math.min(buffer.length, remaining + 1));
            if (n < 0) {
                return true;
            }
            remaining -= n;
            if (remaining < 0) {
                return false;
            }
        }
    }
}
