package ai.caracal.mcp;

import io.modelcontextprotocol.spec.HttpHeaders;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The request as the transport sees it when the caller named a session that is not theirs: the one
 * {@code Mcp-Session-Id} it carries is an ID no session has, so the transport answers exactly as for an
 * unknown session and never touches the one that was named. Every header accessor agrees (the servlet
 * transport reads {@code getHeader}, Spring's {@code ServerRequest} reads {@code getHeaderNames} and
 * {@code getHeaders}).
 */
final class SubstitutedSessionRequest extends HttpServletRequestWrapper {

    private final String sessionId;

    SubstitutedSessionRequest(HttpServletRequest request, String sessionId) {
        super(request);
        this.sessionId = sessionId;
    }

    @Override
    public String getHeader(String name) {
        return isSessionHeader(name) ? sessionId : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return isSessionHeader(name) ? Collections.enumeration(Collections.singletonList(sessionId)) : super.getHeaders(name);
    }

    static boolean isSessionHeader(String name) {
        return HttpHeaders.MCP_SESSION_ID.equalsIgnoreCase(name);
    }
}
