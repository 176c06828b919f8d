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
}
