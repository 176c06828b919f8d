package ai.caracal.verify.http;

import java.util.List;

/**
 * The parts of an HTTP request the boundary reads, as a connector sees them. Implementations are
 * thin views over the framework's request.
 */
public interface BoundaryRequest {

    /** @return the method, for example {@code GET}; never {@code null} */
    String method();

    /**
     * @return the path used for matching: for servlets {@code getServletPath() + getPathInfo()}
     *         (context-relative, decoded and normalised by the container; empty counts as {@code /}),
     *         for the JDK server the decoded request URI path (not normalised). Never the raw request
     *         URI. Never {@code null}.
     */
    String path();

    /**
     * @param name a header name, matched case-insensitively
     * @return every value of that header, in order; empty when absent; never {@code null}
     */
    List<String> headers(String name);

    /**
     * The origin this request was sent to, for the {@code Origin} rule (connectors.md §10.2 M8): the
     * request's scheme and the host and port it was addressed to (its {@code Host}), written
     * {@code scheme://host:port} (IPv6 hosts in brackets). The default implementation cannot tell and
     * returns {@code null}: with the rule on, only the configured {@code allowedOrigins} then pass.
     *
     * @return for example {@code http://127.0.0.1:8080}, or {@code null} when unknown
     */
    default String targetOrigin() {
        return null;
    }
}
