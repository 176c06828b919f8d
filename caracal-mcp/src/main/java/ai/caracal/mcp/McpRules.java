package ai.caracal.mcp;

import ai.caracal.verify.AuthError;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.ScopeHierarchy;
import ai.caracal.verify.http.BoundaryResponse;
import ai.caracal.verify.http.HttpBoundary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The request rules of connectors.md §10.2 M9 and M10, shared by the servlet ({@link McpBoundary}) and
 * WebFlux ({@link McpWebFilter}) forms: the body is one JSON-RPC message, the routing headers agree with
 * it, and the caller's claims meet every rule of {@link McpPolicy} for the operation; listings show only
 * what the claims may use. Unmet rules are answered by the {@link HttpBoundary} the connector sits behind,
 * so the answer has its challenge settings, with {@code scope} naming every scope the operation needs.
 * Immutable and thread-safe.
 */
final class McpRules {

    private final McpPolicy policy;
    private final HttpBoundary boundary;
    private final ScopeHierarchy hierarchy;

    McpRules(McpPolicy policy, HttpBoundary boundary) {
        this.policy = policy;
        this.boundary = boundary;
        this.hierarchy = boundary.verifier().options().scopeHierarchy();
    }

    /**
     * What the boundary found: the message to pass on, or the answer to write instead.
     *
     * @param message the parsed body, or {@code null} for a request without one (or when answering)
     * @param answer  the answer, or {@code null} to go on
     */
    record Outcome(McpMessage message, BoundaryResponse answer) {
        static Outcome proceed(McpMessage message) {
            return new Outcome(message, null);
        }

        static Outcome answer(BoundaryResponse answer) {
            return new Outcome(null, answer);
        }
    }

    /**
     * Checks a request without a body (GET, DELETE): routing headers must not be there.
     *
     * @return the outcome
     */
    Outcome withoutBody(List<String> methods, List<String> names, String httpMethod) {
        String disagreement = RoutingHeaders.disagreement(methods, names, null);
        return disagreement == null ? Outcome.proceed(null)
                : Outcome.answer(JsonRpcAnswers.error(400, null, JsonRpcAnswers.HEADER_MISMATCH, disagreement, httpMethod));
    }

    /**
     * Checks a request with a body (POST): one JSON-RPC message, routing headers that agree, the policy met.
     *
     * @param contentType the request's {@code Content-Type}, or {@code null}
     * @param claims      the verified claims, empty when the boundary did not verify the request
     * @param path        the request path, for the scopes of the boundary's rule
     * @return the outcome
     */
    Outcome withBody(byte[] body, String contentType, List<String> methods, List<String> names, Optional<Claims> claims,
            String path, String httpMethod) {
        if (!isUtf8(contentType)) {
            return Outcome.answer(JsonRpcAnswers.error(400, null, McpMessage.INVALID_REQUEST,
                    "Invalid Request: the body must be UTF-8", httpMethod));
        }
        McpMessage message;
        try {
            message = McpMessage.parse(body);
        } catch (McpMessage.Invalid e) {
            return Outcome.answer(JsonRpcAnswers.error(400, null, e.code(), e.getMessage(), httpMethod));
        }
        String disagreement = RoutingHeaders.disagreement(methods, names, message);
        if (disagreement != null) {
            return Outcome.answer(JsonRpcAnswers.error(400, message.id(), JsonRpcAnswers.HEADER_MISMATCH, disagreement, httpMethod));
        }
        if (message.method() == null) {
            return Outcome.proceed(message);
        }
        List<Requirements> rules = policy.requirementsFor(message.method(), message.name());
        AuthError failure = rules.isEmpty() ? null : failure(rules, claims);
        if (failure != null) {
            return Outcome.answer(boundary.rejection(failure, scopes(path, rules), httpMethod));
        }
        if (message.invalidParams() != null) {
            // After the policy, so that a caller who may not make the call learns nothing more than 401/403.
            return Outcome.answer(JsonRpcAnswers.error(200, message.id(), McpMessage.INVALID_PARAMS,
                    message.invalidParams(), httpMethod));
        }
        return Outcome.proceed(message);
    }

    /**
     * @return whether a listed item is shown to these claims (M10): its call would pass every rule
     */
    boolean visible(String listMethod, String itemName, Optional<Claims> claims) {
        List<Requirements> rules = policy.requirementsFor(McpPolicy.callOf(listMethod), itemName);
        return rules.isEmpty() || failure(rules, claims) == null;
    }

    /** @return whether responses to this message are listings the policy filters */
    boolean filtersListing(McpMessage message) {
        return message != null && message.isRequest() && policy.filters(message.method());
    }

    private AuthError failure(List<Requirements> rules, Optional<Claims> claims) {
        if (claims.isEmpty()) {
            return AuthError.of(ErrorCode.MISSING_TOKEN);
        }
        for (Requirements rule : rules) {
            Optional<AuthError> failure = rule.check(claims.get(), hierarchy);
            if (failure.isPresent()) {
                return failure.get();
            }
        }
        return null;
    }

    /** Every scope the operation needs: the boundary rule's, then each policy rule's, once each. */
    private List<String> scopes(String path, List<Requirements> rules) {
        Set<String> scopes = new LinkedHashSet<>(boundary.requiredScopes(path));
        for (Requirements rule : rules) {
            rule.requiredScopes().ifPresent(scopes::addAll);
        }
        return new ArrayList<>(scopes);
    }

    /** @return whether the declared charset, if any, is UTF-8 (the only one JSON has, RFC 8259 §8.1) */
    static boolean isUtf8(String contentType) {
        if (contentType == null) {
            return true;
        }
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                String charset = pair[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
                return charset.equals("utf-8") || charset.equals("utf8");
            }
        }
        return true;
    }
}
