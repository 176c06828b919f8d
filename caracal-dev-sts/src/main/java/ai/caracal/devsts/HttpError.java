package ai.caracal.devsts;

/**
 * An HTTP error answer, {@code {"error":…,"error_description":…}}, thrown inside a handler. The
 * description never contains a token or key material.
 */
final class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String allow;

    private HttpError(int status, String code, String description, String allow) {
        super(description, null, false, false);
        this.status = status;
        this.code = code;
        this.allow = allow;
    }

    static HttpError badRequest(String description) {
        return new HttpError(400, "invalid_request", description, null);
    }

    static HttpError notFound(String description) {
        return new HttpError(404, "not_found", description, null);
    }

    static HttpError methodNotAllowed(String allow) {
        return new HttpError(405, "method_not_allowed", "use " + allow + " for this path", allow);
    }

    static HttpError misdirected() {
        return new HttpError(421, "misdirected_request", "the Host header must name this dev STS: 127.0.0.1, localhost,"
                + " [::1], its bind host or its issuer's host (DNS rebinding protection)", null);
    }

    static HttpError payloadTooLarge(int limit) {
        return new HttpError(413, "payload_too_large", "request body must be at most " + limit + " bytes", null);
    }

    static HttpError unsupportedMediaType() {
        return new HttpError(415, "unsupported_media_type", "Content-Type must be application/json", null);
    }

    static HttpError unavailable(String description) {
        return new HttpError(503, "temporarily_unavailable", description, null);
    }

    static HttpError serverError() {
        return new HttpError(500, "server_error", "the dev STS failed to handle the request", null);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** @return the {@code Allow} header value of a 405, otherwise {@code null} */
    String allow() {
        return allow;
    }
}
