package ai.caracal.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.AuthError;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.http.AuthErrorBody;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

/** connectors.md §7 and §7.1: claims accessors, the context extractor's key, and the per-tool guards. */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class CaracalMcpTest {

    private static final CallToolRequest CALL = new CallToolRequest("get_document", Map.of("doc_id", "7"));
    private static final Requirements DELEGATED = Requirements.builder()
            .requireDelegation(true).requireChainContains("app_orchestrator").maxHopCount(2).build();

    private TestIssuer issuer;
    private CountingStore store;
    private MandateVerifier verifier;

    @BeforeEach
    void setUp(TestIssuer issuer) {
        this.issuer = issuer;
        this.store = new CountingStore(issuer.revocations());
        this.verifier = issuer.verifier().revocations(store).build();
    }

    private Claims verified(MandateBuilder mandate) {
        AuthResult result = verifier.authenticate(mandate.sign());
        assertThat(result.ok()).as("test mandate verifies: %s", result).isTrue();
        return result.principal();
    }

    private static McpTransportContext contextWith(Claims claims) {
        return McpTransportContext.create(Map.of(CaracalMcp.CLAIMS_KEY, claims));
    }

    private static McpAsyncServerExchange asyncExchange(McpTransportContext context) {
        return new McpAsyncServerExchange("session-1", null, null, null, context);
    }

    private static McpSyncServerExchange syncExchange(McpTransportContext context) {
        return new McpSyncServerExchange(asyncExchange(context));
    }

    private MandateBuilder delegated() {
        return issuer.mint().agentSession().delegationEdge().chain("app_orchestrator", "app-1").hopCount(1);
    }

    private static void assertFailure(CallToolResult result, ErrorCode code) {
        assertThat(result.isError()).isTrue();
        assertThat(result.content()).hasSize(1);
        TextContent text = (TextContent) result.content().get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> structured = (Map<String, Object>) result.structuredContent();
        assertThat(structured).containsOnlyKeys("error", "error_description", "error_hint");
        assertThat(structured.keySet()).containsExactly("error", "error_description", "error_hint");
        assertThat(structured.get("error")).isEqualTo(code.wire());
        AuthError error = new AuthError(code, (String) structured.get("error_description"), (String) structured.get("error_hint"));
        assertThat(text.text()).isEqualTo(AuthErrorBody.json(error));
    }

    @Test
    @DisplayName("the context key is ai.caracal.claims")
    void claimsKey() {
        assertThat(CaracalMcp.CLAIMS_KEY).isEqualTo("ai.caracal.claims");
    }

    @Test
    @DisplayName("claims(context) returns the claims stored under the key")
    void claimsFromContext() {
        Claims claims = verified(issuer.mint());

        assertThat(CaracalMcp.claims(contextWith(claims))).containsSame(claims);
    }

    @Test
    @DisplayName("claims(context) is empty for EMPTY, null, and a non-Claims value under the key")
    void noClaimsInContext() {
        assertThat(CaracalMcp.claims(McpTransportContext.EMPTY)).isEmpty();
        assertThat(CaracalMcp.claims((McpTransportContext) null)).isEmpty();
        assertThat(CaracalMcp.claims(McpTransportContext.create(Map.of(CaracalMcp.CLAIMS_KEY, "user-1")))).isEmpty();
    }

    @Test
    @DisplayName("claims(exchange) reads the exchange's transport context, sync and async")
    void claimsFromExchanges() {
        Claims claims = verified(issuer.mint());

        assertThat(CaracalMcp.claims(syncExchange(contextWith(claims)))).containsSame(claims);
        assertThat(CaracalMcp.claims(asyncExchange(contextWith(claims)))).containsSame(claims);
        assertThat(CaracalMcp.claims(syncExchange(McpTransportContext.EMPTY))).isEmpty();
        assertThat(CaracalMcp.claims(asyncExchange(McpTransportContext.EMPTY))).isEmpty();
    }

    @Test
    @DisplayName("guard with requirements met runs the body with the verified claims and returns its result")
    void guardRunsBodyWhenMet() {
        Claims claims = verified(delegated());
        CallToolResult ok = CallToolResult.builder().addTextContent("ok").build();
        AtomicInteger runs = new AtomicInteger();

        CallToolResult result = CaracalMcp.guard(DELEGATED, (exchange, request, seen) -> {
            runs.incrementAndGet();
            assertThat(seen).isSameAs(claims);
            assertThat(request).isSameAs(CALL);
            return ok;
        }).apply(syncExchange(contextWith(claims)), CALL);

        assertThat(result).isSameAs(ok);
        assertThat(runs).hasValue(1);
    }

    @Test
    @DisplayName("guard without claims in the context answers missing_token and does not run the body")
    void guardWithoutClaims() {
        AtomicInteger runs = new AtomicInteger();

        CallToolResult result = CaracalMcp.guard(Requirements.NONE, (exchange, request, claims) -> {
            runs.incrementAndGet();
            return CallToolResult.builder().build();
        }).apply(syncExchange(McpTransportContext.EMPTY), CALL);

        assertFailure(result, ErrorCode.MISSING_TOKEN);
        assertThat(runs).hasValue(0);
    }

    static Stream<Arguments> unmetRequirements() {
        return Stream.of(
                Arguments.of("no delegation edge", DELEGATED,
                        (Function<TestIssuer, MandateBuilder>) i -> i.mint().agentSession(), ErrorCode.DELEGATION_REQUIRED),
                Arguments.of("chain lacks app_orchestrator", DELEGATED,
                        (Function<TestIssuer, MandateBuilder>) i -> i.mint().delegationEdge().chain("app_other", "app-1").hopCount(1),
                        ErrorCode.CHAIN_MISMATCH),
                Arguments.of("three hops with maxHopCount 2", DELEGATED,
                        (Function<TestIssuer, MandateBuilder>) i -> i.mint().delegationEdge().chain("app_orchestrator", "app-1").hopCount(3),
                        ErrorCode.HOP_COUNT_EXCEEDED),
                Arguments.of("scope missing", Requirements.builder().requiredScopes("documents:write").build(),
                        (Function<TestIssuer, MandateBuilder>) i -> i.mint(), ErrorCode.INSUFFICIENT_SCOPE),
                Arguments.of("no agent session", Requirements.builder().requireAgent(true).build(),
                        (Function<TestIssuer, MandateBuilder>) i -> i.mint(), ErrorCode.AGENT_REQUIRED));
    }

    @ParameterizedTest(name = "guard: {0} -> {3}")
    @MethodSource("unmetRequirements")
    void guardWithUnmetRequirements(String name, Requirements requirements, Function<TestIssuer, MandateBuilder> mandate,
                                    ErrorCode expected) {
        Claims claims = verified(mandate.apply(issuer));
        AtomicInteger runs = new AtomicInteger();

        CallToolResult result = CaracalMcp.guard(requirements, (exchange, request, seen) -> {
            runs.incrementAndGet();
            return CallToolResult.builder().build();
        }).apply(syncExchange(contextWith(claims)), CALL);

        assertFailure(result, expected);
        assertThat(runs).hasValue(0);
    }

    @Test
    @DisplayName("a failed guard's result is the boundary's JSON body as text, and its members as structuredContent")
    void errorResultShape() {
        Claims claims = verified(issuer.mint().agentSession());

        CallToolResult result = CaracalMcp.guard(DELEGATED, (exchange, request, seen) -> CallToolResult.builder().build())
                .apply(syncExchange(contextWith(claims)), CALL);

        AuthError expected = Requirements.builder().requireDelegation(true).build().check(claims).orElseThrow();
        assertThat(result.isError()).isTrue();
        assertThat(result.content()).singleElement().isInstanceOfSatisfying(TextContent.class,
                text -> assertThat(text.text()).isEqualTo(AuthErrorBody.json(expected)));
        assertThat(result.structuredContent()).isEqualTo(AuthErrorBody.members(expected));
        assertThat(CaracalMcp.errorResult(expected)).isEqualTo(result);
    }

    @Test
    @DisplayName("the guard never consults the revocation store: revocation is the boundary's job")
    void guardDoesNotConsultStore() {
        String agent = "agent-guarded";
        Claims claims = verified(issuer.mint().agentSession(agent));
        int checksAtBoundary = store.calls.get();
        issuer.revoke(agent);

        CallToolResult result = CaracalMcp.guard(Requirements.builder().requireAgent(true).build(),
                (exchange, request, seen) -> CallToolResult.builder().addTextContent("ran").build())
                .apply(syncExchange(contextWith(claims)), CALL);

        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(store.calls).hasValue(checksAtBoundary);
    }

    @Test
    @DisplayName("guardAsync checks on subscription: met -> body's Mono, unmet -> error result, no claims -> missing_token")
    void guardAsync() {
        Claims delegatedClaims = verified(delegated());
        Claims plainClaims = verified(issuer.mint().agentSession());
        AtomicInteger runs = new AtomicInteger();
        var handler = CaracalMcp.guardAsync(DELEGATED, (exchange, request, seen) -> {
            runs.incrementAndGet();
            return Mono.just(CallToolResult.builder().addTextContent(seen.sub()).build());
        });

        Mono<CallToolResult> notSubscribed = handler.apply(asyncExchange(contextWith(delegatedClaims)), CALL);
        assertThat(runs).hasValue(0);
        CallToolResult ok = notSubscribed.block(Duration.ofSeconds(5));
        assertThat(((TextContent) ok.content().get(0)).text()).isEqualTo("user-1");
        assertThat(runs).hasValue(1);

        assertFailure(handler.apply(asyncExchange(contextWith(plainClaims)), CALL).block(Duration.ofSeconds(5)),
                ErrorCode.DELEGATION_REQUIRED);
        assertFailure(handler.apply(asyncExchange(McpTransportContext.EMPTY), CALL).block(Duration.ofSeconds(5)),
                ErrorCode.MISSING_TOKEN);
        assertThat(runs).hasValue(1);
    }

    @Test
    @DisplayName("guardStateless reads the transport context it is handed")
    void guardStateless() {
        Claims delegatedClaims = verified(delegated());
        Claims plainClaims = verified(issuer.mint().agentSession());
        AtomicInteger runs = new AtomicInteger();
        var handler = CaracalMcp.guardStateless(DELEGATED, (context, request, seen) -> {
            runs.incrementAndGet();
            assertThat(CaracalMcp.claims(context)).containsSame(seen);
            return CallToolResult.builder().addTextContent(seen.sub()).build();
        });

        assertThat(((TextContent) handler.apply(contextWith(delegatedClaims), CALL).content().get(0)).text()).isEqualTo("user-1");
        assertFailure(handler.apply(contextWith(plainClaims), CALL), ErrorCode.DELEGATION_REQUIRED);
        assertFailure(handler.apply(McpTransportContext.EMPTY, CALL), ErrorCode.MISSING_TOKEN);
        assertFailure(handler.apply(null, CALL), ErrorCode.MISSING_TOKEN);
        assertThat(runs).hasValue(1);
    }

    @Test
    @DisplayName("guards reject null requirements and handlers, naming the argument")
    void guardsRejectNulls() {
        assertThatThrownBy(() -> CaracalMcp.guard(null, (e, r, c) -> null))
                .isInstanceOf(NullPointerException.class).hasMessage("requirements");
        assertThatThrownBy(() -> CaracalMcp.guardAsync(Requirements.NONE, null))
                .isInstanceOf(NullPointerException.class).hasMessage("handler");
        assertThatThrownBy(() -> CaracalMcp.guardStateless(null, (c, r, cl) -> null))
                .isInstanceOf(NullPointerException.class).hasMessage("requirements");
        assertThatThrownBy(() -> CaracalMcp.errorResult(null)).isInstanceOf(NullPointerException.class);
    }

    /** A store that counts every lookup, to show which component consults it. */
    static final class CountingStore implements RevocationStore {
        final AtomicInteger calls = new AtomicInteger();
        private final InMemoryRevocationStore delegate;

        CountingStore(InMemoryRevocationStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean isRevoked(String anchor) {
            calls.incrementAndGet();
            return delegate.isRevoked(anchor);
        }

        @Override
        public void revoke(String anchor, Duration ttl) {
            delegate.revoke(anchor, ttl);
        }

        @Override
        public long currentDelegationEpoch(String zoneId) {
            calls.incrementAndGet();
            return delegate.currentDelegationEpoch(zoneId);
        }

        @Override
        public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
            return delegate.advanceDelegationEpoch(zoneId, epoch, ttl);
        }

        @Override
        public RevocationCheck check(List<String> anchors, String zoneId) {
            calls.incrementAndGet();
            return delegate.check(anchors, zoneId);
        }
    }
}
