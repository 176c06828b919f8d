package ai.caracal.mcp;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.util.function.BiConsumer;

/**
 * Watches the transport answer a request: when it sets {@code Mcp-Session-Id} (the answer to
 * {@code initialize}, which creates the session), the new session is bound to the principal of the
 * request before the header is passed on, so the client can never name the session before it has an
 * owner. The principal is read at that moment, from the claims {@code CaracalFilter} attached.
 */
final class SessionBindingResponse extends HttpServletResponseWrapper {

    private final HttpServletRequest request;
    private final BiConsumer<String, HttpServletRequest> bind;

    /**
     * @param bind called with the new session ID and the request, before the header is set
     */
    SessionBindingResponse(HttpServletResponse response, HttpServletRequest request, BiConsumer<String, HttpServletRequest> bind) {
        super(response);
        this.request = request;
        this.bind = bind;
    }

    @Override
    public void setHeader(String name, String value) {
        created(name, value);
        super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        created(name, value);
        super.addHeader(name, value);
    }

    private void created(String name, String value) {
        if (value != null && SubstitutedSessionRequest.isSessionHeader(name)) {
            bind.accept(value, request);
        }
    }
}
