package ai.caracal.devsts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.testkit.TestClock;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.JwksCache;
import ai.caracal.verify.MandateVerifier;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Minted mandates against a real {@link MandateVerifier} that fetches the JWKS from the dev STS over
 * loopback HTTP (issuer {@code http://127.0.0.1:<port>} is allowed because it is loopback).
 */
class MintVerificationTest {

    private static final String AUD = "resource://documents";
    private final TestClock clock = new TestClock();
    private final InMemoryRevocationStore store = InMemoryRevocationStore.builder().clock(clock).build();
    private DevSts sts;
    private MandateVerifier verifier;

    @BeforeEach
    void start() {
        sts = DevSts.builder().clock(clock).revocations(store).start();
        verifier = MandateVerifier.builder().issuer(sts.issuer()).audience(AUD).zoneId("zone_dev")
                .revocations(store).clock(clock).jwksTtl(JwksCache.DEFAULT_TTL).build();
    }

    @AfterEach
    void stop() {
        sts.close();
    }

    private static MintRequest.Builder agentMandate() {
        return MintRequest.builder().audience(AUD).scope("tool:call").agentSessionId(MintRequest.NEW);
    }

    @Test
    void issuerIsTheLoopbackUrl() {
        assertThat(sts.issuer()).isEqualTo("http://127.0.0.1:" + sts.port()).isEqualTo(sts.url());
    }

    @Test
    void mintedMandateVerifiesWithZoneAndAudience() {
        MintResponse minted = sts.mint(agentMandate().build());

        AuthResult result = MandateVerifier.builder().issuer(sts.issuer()).audience(AUD).zoneId("zone_dev")
                .requiredScopes("tool:call").requireAgent(true).revocations(store).clock(clock)
                .jwksTtl(JwksCache.DEFAULT_TTL).build().authenticate(minted.accessToken());

        assertThat(result.ok()).as("%s", result).isTrue();
        assertThat(result.principal().zoneId()).isEqualTo("zone_dev");
        assertThat(result.principal().sid()).isEqualTo(minted.sid());
    }

    @Test
    void mintedMandateOverHttpVerifies() {
        Http.Answer answer = new Http(sts).postJson("/dev/mint", Map.of("audience", AUD, "scope", "tool:call"));

        assertThat(verifier.authenticate((String) answer.object().get("access_token")).ok()).isTrue();
    }

    @Test
    void sessionMandateVerifiesOnlyAsSession() {
        MintResponse minted = sts.mint(MintRequest.builder().use("session").build());
        MandateVerifier sessions = MandateVerifier.builder().issuer(sts.issuer()).audience(sts.issuer()).zoneId("zone_dev")
                .requiredUse("session").revocations(store).clock(clock).jwksTtl(JwksCache.DEFAULT_TTL).build();

        assertThat(sessions.authenticate(minted.accessToken()).ok()).isTrue();
    }

    @Test
    void delegatedMandateVerifies() {
        MintResponse minted = sts.mint(agentMandate().delegationEdgeId(MintRequest.NEW).chainHop("app_orchestrator")
                .chainHop("app_dev").delegationPath("edge-1").build());

        AuthResult result = verifier.require(ai.caracal.verify.Requirements.builder().requireDelegation(true)
                .requireChainContains("app_orchestrator").maxHopCount(2).build()).authenticate(minted.accessToken());

        assertThat(result.ok()).as("%s", result).isTrue();
    }

    static Stream<Arguments> overrides() {
        long now = TestClock.START.getEpochSecond();
        return Stream.of(
                Arguments.of("wrong zone", Map.of("zone_id", "zone_other"), ErrorCode.INVALID_ZONE),
                Arguments.of("zone removed", mapWithNull("zone_id"), ErrorCode.INVALID_ZONE),
                Arguments.of("expired", Map.of("exp", now - 120, "iat", now - 1000), ErrorCode.INVALID_TOKEN),
                Arguments.of("issued in the future", Map.of("iat", now + 3600, "exp", now + 4000), ErrorCode.INVALID_TOKEN),
                Arguments.of("sub removed", mapWithNull("sub"), ErrorCode.INVALID_TOKEN),
                Arguments.of("exp as a string", Map.of("exp", "later"), ErrorCode.INVALID_TOKEN),
                Arguments.of("scope as an array", Map.of("scope", List.of("tool:call")), ErrorCode.INVALID_TOKEN),
                Arguments.of("gateway use", Map.of("use", "gateway"), ErrorCode.INVALID_TOKEN),
                Arguments.of("compact chain keys", Map.of("delegation_chain", List.of(Map.of("app", "a"))), ErrorCode.INVALID_TOKEN),
                Arguments.of("foreign issuer", Map.of("iss", "https://sts.example.com"), ErrorCode.INVALID_TOKEN),
                Arguments.of("wrong audience", Map.of("aud", List.of("resource://other")), ErrorCode.INVALID_TOKEN));
    }

    private static Map<String, Object> mapWithNull(String name) {
        Map<String, Object> map = new java.util.HashMap<>();
        map.put(name, null);
        return map;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overrides")
    void claimsOverrideProducesMandatesTheVerifierRejects(String label, Map<String, Object> override, ErrorCode expected) {
        MintRequest.Builder request = agentMandate();
        override.forEach(request::overrideClaim);

        AuthResult result = verifier.authenticate(sts.mint(request.build()).accessToken());

        assertThat(result.ok()).isFalse();
        assertThat(result.error().code()).isEqualTo(expected);
    }

    @Test
    void revokedAgentSessionIsRejected() {
        MintResponse minted = sts.mint(agentMandate().build());
        String agent = (String) minted.claims().get("agent_session_id");
        assertThat(verifier.authenticate(minted.accessToken()).ok()).isTrue();

        new Http(sts).postJson("/dev/revoke", Map.of("agent_session_id", agent));

        assertThat(verifier.authenticate(minted.accessToken()).error().code()).isEqualTo(ErrorCode.SESSION_REVOKED);
    }

    @Test
    void invalidatedDelegationIsStale() {
        sts.invalidateDelegations("zone_dev");
        MintResponse minted = sts.mint(agentMandate().delegationEdgeId(MintRequest.NEW).build());
        assertThat(verifier.authenticate(minted.accessToken()).ok()).isTrue();

        new Http(sts).postJson("/dev/delegations/invalidate", Map.of("zone_id", "zone_dev"));

        assertThat(verifier.authenticate(minted.accessToken()).error().code()).isEqualTo(ErrorCode.DELEGATION_STALE);
    }

    @Test
    void delegatedMandateMintedAtEpochZeroIsStaleAfterTheZonesFirstInvalidation() {
        Http http = new Http(sts);
        String token = (String) http.postJson("/dev/mint", Map.of("audience", AUD, "scope", "tool:call",
                "agent_session_id", "new", "delegation_edge_id", "new")).object().get("access_token");
        assertThat(verifier.authenticate(token).ok()).isTrue();

        http.postJson("/dev/delegations/invalidate", Map.of("zone_id", "zone_dev"));

        AuthResult afterInvalidation = verifier.authenticate(token);
        assertThat(afterInvalidation.ok()).as("accepted after the zone's first invalidation").isFalse();
        assertThat(afterInvalidation.error().code()).isEqualTo(ErrorCode.DELEGATION_STALE);
    }

    @Test
    void mandateExpiresOnTheInjectedClock() {
        MintResponse minted = sts.mint(agentMandate().ttl(java.time.Duration.ofSeconds(60)).build());
        assertThat(verifier.authenticate(minted.accessToken()).ok()).isTrue();

        clock.advance(java.time.Duration.ofSeconds(60));

        assertThat(verifier.authenticate(minted.accessToken()).error().code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }
}
