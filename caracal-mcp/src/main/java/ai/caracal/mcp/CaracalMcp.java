package ai.caracal.mcp;

import ai.caracal.verify.AuthError;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.http.AuthErrorBody;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;

/**
 * Caracal for servers built on the MCP Java SDK 2.x. The HTTP boundary is
 * {@link ai.caracal.servlet.CaracalFilter} in front of the SDK's servlet transport: a request with no
 * mandate, or a bad one, gets 401 or 403 and never reaches JSON-RPC parsing. This class carries the
 * verified claims on to the tool handlers, through the SDK's {@link McpTransportContext}, and guards
 * single tools with requirements of their own.
 *
 * <pre>{@code
 * MandateVerifier verifier = MandateVerifier.builder()
 *     .issuer(env("CARACAL_STS_URL")).audience("resource://documents").zoneId(env("CARACAL_ZONE_ID"))
 *     .requiredScopes("tool:call").requireAgent(true).revocations(revocations).build();
 *
 * HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
 *     .mcpEndpoint("/mcp")
 *     .contextExtractor(CaracalMcp.contextExtractor())          // claims -> McpTransportContext
 *     .build();
 *
 * McpSyncServer server = McpServer.sync(transport)
 *     .serverInfo("documents-mcp", "1.0.0")
 *     .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
 *     .tools(search, getDocument)                               // handlers use CaracalMcp.claims(exchange)
 *     .build();
 *
 * CaracalFilter boundary = CaracalFilter.builder().verifier(verifier)
 *     .resourceMetadata(ProtectedResourceMetadata.forResource(publicUrl + "/mcp")).build();
 * // servlet "/mcp" -> transport (asyncSupported); filter "/mcp" (REQUEST, asyncSupported);
 * // servlet "/.well-known/oauth-protected-resource/mcp" -> new ProtectedResourceMetadataServlet(boundary.metadata())
 * // filter "/mcp" after it -> McpBoundary.create(): each session stays with the principal that created it
 * }</pre>
 *
 * <p><b>Sessions.</b> A session ID is never a credential, but without {@link McpBoundary} any verified
 * mandate could call tools in, listen to or end a session whose {@code Mcp-Session-Id} it knows.
 *
 * <p><b>WebFlux.</b> Behind {@link ai.caracal.webflux.CaracalWebFilter}, a WebFlux transport takes
 * {@link #webFluxContextExtractor()} instead, and {@link McpWebFilter} is the WebFlux form of
 * {@link McpBoundary}; everything else here is the same.
 *
 * <p><b>Tool policy at the boundary.</b> {@code McpBoundary.builder().policy(McpPolicy, HttpBoundary)}
 * checks per-tool requirements before the transport sees the request and answers unmet ones with the
 * boundary's 401/403 (a step-up challenge for a missing scope); {@link #guard} answers them in the tool
 * result instead.
 *
 * <p><b>Reading claims.</b> Sync tool handlers run on Reactor's {@code boundedElastic} threads, where
 * nothing a servlet filter bound to its own thread is visible. Read the claims from the exchange,
 * {@link #claims(McpSyncServerExchange)}, never from a {@code ThreadLocal}. The SDK's
 * {@code ServerTransportSecurityValidator} and header validators are not for authentication: they answer
 * through the container's error page and cannot carry claims.
 *
 * <p><b>Per-tool requirements.</b> {@link #guard(Requirements, VerifiedToolHandler)} checks
 * {@link Requirements#check(Claims)} on top of the boundary rule and runs the tool body only when they
 * are met:
 *
 * <pre>{@code
 * McpServerFeatures.SyncToolSpecification getDocument = McpServerFeatures.SyncToolSpecification.builder()
 *     .tool(getDocumentTool)
 *     .callHandler(CaracalMcp.guard(
 *         Requirements.builder().requireDelegation(true).requireChainContains("app_orchestrator").maxHopCount(2).build(),
 *         (exchange, request, claims) -> Tools.readDocument(request.arguments().get("doc_id"), claims)))
 *     .build();
 * }</pre>
 *
 * A failed guard answers with {@link #errorResult(AuthError)}: a normal JSON-RPC result (HTTP 200) with
 * {@code isError} set, so the client sees which requirement was not met. The boundary already checked
 * revocation for the HTTP request that carries the call; guards never consult the revocation store.
 *
 * <p><b>Hosts without an {@code Authorization} header.</b> stdio has no HTTP request, so there is no
 * boundary and no claims in the transport context (a guard answers {@code missing_token}). A host that
 * obtains the mandate some other way verifies it itself with {@link ai.caracal.verify.CaracalAuth} and
 * answers failures in the same shape:
 *
 * <pre>{@code
 * CaracalAuth auth = CaracalAuth.of(verifier);
 * BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler = (exchange, request) -> {
 *     try {
 *         Claims claims = auth.verify(mandateFor(exchange), toolRequirements);
 *         return Tools.search(request, claims);
 *     } catch (CaracalAuthException e) {
 *         return CaracalMcp.errorResult(e.toAuthError());
 *     }
 * };
 * }</pre>
 *
 * <p>Every member is stateless and thread-safe.
 */
public final class CaracalMcp {

    /** The {@link McpTransportContext} key under which {@link #contextExtractor()} puts the {@link Claims}. */
    public static final String CLAIMS_KEY = "ai.caracal.claims";

    private CaracalMcp() {
    }

    /**
     * The context extractor for the SDK's servlet transports
     * ({@code HttpServletStreamableServerTransportProvider}, {@code HttpServletStatelessServerTransport}):
     * the claims {@link ai.caracal.servlet.CaracalFilter} attached to the HTTP request, under
     * {@link #CLAIMS_KEY}.
     *
     * @return an extractor yielding {@code McpTransportContext.create(Map.of(CLAIMS_KEY, claims))}, or
     *         {@link McpTransportContext#EMPTY} when the filter did not verify the request
     */
    public static McpTransportContextExtractor<HttpServletRequest> contextExtractor() {
        return ServletContextExtractor.INSTANCE;
    }

    /**
     * The context extractor for WebFlux transports (for example Spring AI's
     * {@code WebFluxStreamableServerTransportProvider} and {@code WebFluxStatelessServerTransport}): the
     * claims {@link ai.caracal.webflux.CaracalWebFilter} attached to the exchange, under
     * {@link #CLAIMS_KEY}. Needs {@code ai.caracal:caracal-webflux} and Spring WebFlux on the class path
     * (optional dependencies of this module); nothing of them is loaded until this method is called.
     *
     * @return an extractor of {@code org.springframework.web.reactive.function.server.ServerRequest}s
     *         yielding {@code McpTransportContext.create(Map.of(CLAIMS_KEY, claims))}, or
     *         {@link McpTransportContext#EMPTY} when the filter did not verify the request
     */
    public static McpTransportContextExtractor<org.springframework.web.reactive.function.server.ServerRequest> webFluxContextExtractor() {
        return WebFluxContextExtractor.INSTANCE;
    }

    /**
     * @param exchange the exchange a sync tool handler received; never {@code null}
     * @return the verified claims of the HTTP request that carried this call, or empty when there are
     *         none (no filter in front of the transport, or no {@link #contextExtractor()})
     */
    public static Optional<Claims> claims(McpSyncServerExchange exchange) {
        return claims(Objects.requireNonNull(exchange, "exchange").transportContext());
    }

    /**
     * @param exchange the exchange an async tool handler received; never {@code null}
     * @return the verified claims of the HTTP request that carried this call, or empty when there are none
     */
    public static Optional<Claims> claims(McpAsyncServerExchange exchange) {
        return claims(Objects.requireNonNull(exchange, "exchange").transportContext());
    }

    /**
     * @param context a transport context, for example the one a stateless tool handler received;
     *                {@code null} counts as empty
     * @return the claims under {@link #CLAIMS_KEY}, or empty when there are none
     */
    public static Optional<Claims> claims(McpTransportContext context) {
        Object claims = context == null ? null : context.get(CLAIMS_KEY);
        return claims instanceof Claims verified ? Optional.of(verified) : Optional.empty();
    }

    /**
     * Guards a sync tool: the body runs only when the call's claims meet {@code requirements}.
     *
     * @param requirements checked with {@link Requirements#check(Claims)}, in addition to the boundary rule
     * @param handler      the tool body; receives the verified claims
     * @return the SDK call handler; without claims it answers {@code missing_token}, with unmet
     *         requirements the first failure, each as {@link #errorResult(AuthError)}
     */
    public static BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> guard(
            Requirements requirements, VerifiedToolHandler<McpSyncServerExchange, CallToolResult> handler) {
        Objects.requireNonNull(requirements, "requirements");
        Objects.requireNonNull(handler, "handler");
        return (exchange, request) -> {
            Optional<Claims> claims = claims(exchange.transportContext());
            AuthError failure = failure(requirements, claims);
            return failure != null ? errorResult(failure) : handler.call(exchange, request, claims.get());
        };
    }

    /**
     * Guards an async tool, like {@link #guard}. The check runs when the returned {@code Mono} is
     * subscribed to.
     *
     * @param requirements checked with {@link Requirements#check(Claims)}, in addition to the boundary rule
     * @param handler      the tool body; receives the verified claims
     * @return the SDK call handler
     */
    public static BiFunction<McpAsyncServerExchange, CallToolRequest, Mono<CallToolResult>> guardAsync(
            Requirements requirements, VerifiedToolHandler<McpAsyncServerExchange, Mono<CallToolResult>> handler) {
        Objects.requireNonNull(requirements, "requirements");
        Objects.requireNonNull(handler, "handler");
        return (exchange, request) -> Mono.defer(() -> {
            Optional<Claims> claims = claims(exchange.transportContext());
            AuthError failure = failure(requirements, claims);
            return failure != null ? Mono.just(errorResult(failure)) : handler.call(exchange, request, claims.get());
        });
    }

    /**
     * Guards a tool of a stateless server ({@code HttpServletStatelessServerTransport} with
     * {@link #contextExtractor()}), like {@link #guard}.
     *
     * @param requirements checked with {@link Requirements#check(Claims)}, in addition to the boundary rule
     * @param handler      the tool body; receives the transport context and the verified claims
     * @return the SDK call handler
     */
    public static BiFunction<McpTransportContext, CallToolRequest, CallToolResult> guardStateless(
            Requirements requirements, VerifiedToolHandler<McpTransportContext, CallToolResult> handler) {
        Objects.requireNonNull(requirements, "requirements");
        Objects.requireNonNull(handler, "handler");
        return (context, request) -> {
            Optional<Claims> claims = claims(context);
            AuthError failure = failure(requirements, claims);
            return failure != null ? errorResult(failure) : handler.call(context, request, claims.get());
        };
    }

    /**
     * The tool result for a verification failure: {@code isError=true}, one text content item holding
     * the JSON body of the HTTP boundary ({@code {"error":…,"error_description":…,"error_hint":…}}), and
     * the same three members as {@code structuredContent}.
     *
     * @param error the failure; never {@code null}
     * @return the result to answer the tool call with
     */
    public static CallToolResult errorResult(AuthError error) {
        return CallToolResult.builder()
                .isError(true)
                .addTextContent(AuthErrorBody.json(error))
                .structuredContent(AuthErrorBody.members(error))
                .build();
    }

    /** @return the first failure, or {@code null} when the claims are present and meet the requirements */
    private static AuthError failure(Requirements requirements, Optional<Claims> claims) {
        if (claims.isEmpty()) {
            return AuthError.of(ErrorCode.MISSING_TOKEN);
        }
        return requirements.check(claims.get()).orElse(null);
    }
}
