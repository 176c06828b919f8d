package ai.caracal.verify.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response the boundary wants written instead of running the application: a rejection (401/403
 * with the JSON error body) or the protected resource metadata document. Immutable.
 *
 * <p>Connectors write {@link #status()}, every entry of {@link #headers()} in order, and, unless the
 * request was {@code HEAD} ({@link #includeBody()} is then {@code false}), {@link #body()}.
 */
public final class BoundaryResponse {

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;
    private final boolean includeBody;

    BoundaryResponse(int status, Map<String, String> headers, byte[] body, boolean includeBody) {
        this.status = status;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.body = body;
        this.includeBody = includeBody;
    }

    /**
     * A JSON answer a connector writes itself (for example the MCP boundary's JSON-RPC errors), with the
     * headers every boundary answer has: {@code Content-Type: application/json},
     * {@code Cache-Control: no-store}.
     *
     * @param status      the HTTP status
     * @param body        UTF-8 JSON; copied
     * @param includeBody {@code false} for a {@code HEAD} request
     * @return the response
     */
    public static BoundaryResponse json(int status, byte[] body, boolean includeBody) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", HttpBoundary.APPLICATION_JSON);
        headers.put("Cache-Control", "no-store");
        return new BoundaryResponse(status, headers, body.clone(), includeBody);
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the headers to set, in order (for example {@code Content-Type}, {@code Cache-Control}) */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the body bytes (UTF-8 JSON, possibly empty); a copy */
    public byte[] body() {
        return body.clone();
    }

    /** @return the body length in bytes */
    public int bodyLength() {
        return body.length;
    }

    /** @return {@code false} for a {@code HEAD} request: same status and headers, no body */
    public boolean includeBody() {
        return includeBody && body.length > 0;
    }

    @Override
    public String toString() {
        return "BoundaryResponse[" + status + " " + headers + "]";
    }
}
