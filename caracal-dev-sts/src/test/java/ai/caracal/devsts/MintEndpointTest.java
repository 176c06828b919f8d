package ai.caracal.devsts;

import ai.caracal.testkit.Eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import ai.caracal.testkit.TestClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** devtools.md §1.5: the request defaults, the exact claim set, the response shape. */
class MintEndpointTest {

    private static final String AUD = "resource://documents";
    private final TestClock clock = new TestClock();
    private DevSts sts;
    private Http http;

    @BeforeEach
    void start() {
        sts = DevSts.builder().clock(clock).start();
        http = new Http(sts);
    }

    @AfterEach
    void stop() {
        sts.close();
    }

    private Map<String, Object> mint(Map<String, Object> body) {
        Http.Answer answer = http.postJson("/dev/mint", body);
        assertThat(answer.status()).as("mint answer %s", answer.raw().body()).isEqualTo(200);
        return answer.object();
    }

    private static Map<String, Object> body(Object... namesAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            body.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> claims(Map<String, Object> response) {
        return (Map<String, Object>) response.get("claims");
    }

    @Test
    void defaultResourceMandateHasExactlyTheSpecClaimsInOrder() {
        Map<String, Object> response = mint(body("audience", AUD));

        String sid = (String) response.get("sid");
        String jti = (String) response.get("jti");
        long now = clock.instant().getEpochSecond();
        assertThat(claims(response)).containsExactly(
                entry("iss", sts.issuer()), entry("sub", "app_dev"), entry("aud", List.of(AUD)),
                entry("iat", now), entry("exp", now + 900), entry("jti", jti), entry("client_id", "app_dev"),
                entry("sub_type", "application"), entry("use", "resource"), entry("zone_id", "zone_dev"),
                entry("sid", sid), entry("root_sid", sid), entry("target", List.of(AUD)));
        assertThat(UuidV7.timestampOf(sid)).isEqualTo(clock.millis());
        assertThat(UuidV7.timestampOf(jti)).isEqualTo(clock.millis());
        assertThat(sid).isNotEqualTo(jti);
    }

    @Test
    void tokenPayloadIsTheEchoedClaims() {
        Map<String, Object> response = mint(body("audience", AUD, "scope", "tool:call"));

        assertThat(Tokens.payload((String) response.get("access_token"))).isEqualTo(claims(response));
    }

    @Test
    void tokenHeaderIsExactlyAlgTypKid() {
        Map<String, Object> response = mint(body("audience", AUD));

        String kid = sts.zones().get(0).kids().get(0);
        assertThat(Tokens.text((String) response.get("access_token"), 0))
                .isEqualTo("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}");
    }

    @Test
    void responseHasTheTokenResponseMembersInOrder() {
        Map<String, Object> response = mint(body("audience", AUD, "scope", "tool:call"));

        assertThat(response).containsOnlyKeys("access_token", "token_type", "expires_in", "scope", "issued_token_type",
                "target_resources", "sid", "jti", "claims");
        assertThat(List.copyOf(response.keySet())).containsExactly("access_token", "token_type", "expires_in", "scope",
                "issued_token_type", "target_resources", "sid", "jti", "claims");
        assertThat(response).contains(entry("token_type", "Bearer"), entry("expires_in", 900L),
                entry("scope", "tool:call"), entry("issued_token_type", "urn:ietf:params:oauth:token-type:access_token"),
                entry("target_resources", List.of(AUD)));
    }

    @Test
    void responseIsNotCacheable() {
        Http.Answer answer = http.postJson("/dev/mint", body("audience", AUD));

        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void scopeIsLeftOutOfResponseAndClaimsWhenEmpty() {
        Map<String, Object> response = mint(body("audience", AUD, "scope", ""));

        assertThat(response).doesNotContainKey("scope");
        assertThat(claims(response)).doesNotContainKey("scope");
    }

    @Test
    void scopeArrayIsJoinedWithSingleSpaces() {
        Map<String, Object> response = mint(body("audience", AUD, "scope", List.of("tool:call", "documents:read")));

        assertThat(claims(response)).containsEntry("scope", "tool:call documents:read");
    }

    @Test
    void audienceArrayBecomesAudAndDefaultTarget() {
        Map<String, Object> response = mint(body("audience", List.of("https://a.test", "https://b.test")));

        assertThat(claims(response)).containsEntry("aud", List.of("https://a.test", "https://b.test"))
                .containsEntry("target", List.of("https://a.test", "https://b.test"));
    }

    @Test
    void explicitTargetReplacesTheAudienceDefault() {
        Map<String, Object> response = mint(body("audience", AUD, "target", List.of("doc:1")));

        assertThat(claims(response)).containsEntry("target", List.of("doc:1"));
    }

    @Test
    void emptyTargetIsLeftOut() {
        Map<String, Object> response = mint(body("audience", AUD, "target", List.of()));

        assertThat(claims(response)).doesNotContainKey("target");
    }

    @Test
    void sessionMandateHasTheIssuerAsAudienceAndNoTarget() {
        Map<String, Object> response = mint(body("use", "session", "audience", AUD));

        assertThat(claims(response)).containsEntry("aud", List.of(sts.issuer())).containsEntry("use", "session")
                .doesNotContainKey("target");
        assertThat(response).containsEntry("target_resources", List.of(sts.issuer()));
    }

    @Test
    void sessionMandateNeedsNoAudience() {
        assertThat(mint(body("use", "session"))).containsKey("access_token");
    }

    @Test
    void subDefaultsToClientId() {
        Map<String, Object> response = mint(body("audience", AUD, "client_id", "app_orchestrator"));

        assertThat(claims(response)).containsEntry("sub", "app_orchestrator").containsEntry("client_id", "app_orchestrator");
    }

    @Test
    void requestedSubjectFieldsAreUsed() {
        Map<String, Object> response = mint(body("audience", AUD, "sub", "user-1", "sub_type", "user", "root_sid", "root-1"));

        assertThat(claims(response)).containsEntry("sub", "user-1").containsEntry("sub_type", "user")
                .containsEntry("root_sid", "root-1");
    }

    @Test
    void newAnchorsBecomeFreshUuidV7s() {
        Map<String, Object> claims = claims(mint(body("audience", AUD, "agent_session_id", "new", "delegation_edge_id", "new")));

        String agent = (String) claims.get("agent_session_id");
        String edge = (String) claims.get("delegation_edge_id");
        assertThat(UuidV7.timestampOf(agent)).isEqualTo(clock.millis());
        assertThat(UuidV7.timestampOf(edge)).isEqualTo(clock.millis());
        assertThat(agent).isNotEqualTo(edge);
    }

    @Test
    void givenAnchorsAndSessionsAreKept() {
        Map<String, Object> claims = claims(mint(body("audience", AUD, "agent_session_id", "agent-7",
                "delegation_edge_id", "edge-1", "source_session_id", "src-1", "target_session_id", "dst-1")));

        assertThat(claims).containsEntry("agent_session_id", "agent-7").containsEntry("delegation_edge_id", "edge-1")
                .containsEntry("source_session_id", "src-1").containsEntry("target_session_id", "dst-1");
    }

    @Test
    void delegationClaimsFollowTheRequestAndHopCountDefaultsToPathLength() {
        Map<String, Object> claims = claims(mint(body("audience", AUD, "delegation_edge_id", "edge-2",
                "delegation_path", List.of("edge-1", "edge-2"),
                "delegation_chain", List.of(body("application_id", "app_orchestrator", "agent_session_id", "agent-1"),
                        body("application_id", "app_dev", "delegation_edge_id", "edge-2")))));

        assertThat(claims).containsEntry("delegation_path", List.of("edge-1", "edge-2")).containsEntry("hop_count", 2L)
                .containsEntry("delegation_chain", List.of(
                        Map.of("application_id", "app_orchestrator", "agent_session_id", "agent-1"),
                        Map.of("application_id", "app_dev", "delegation_edge_id", "edge-2")));
    }

    @Test
    void explicitHopCountWinsAndZeroIsLeftOut() {
        assertThat(claims(mint(body("audience", AUD, "delegation_path", List.of("e1"), "hop_count", 3))))
                .containsEntry("hop_count", 3L);
        assertThat(claims(mint(body("audience", AUD, "delegation_path", List.of("e1"), "hop_count", 0))))
                .doesNotContainKey("hop_count");
        assertThat(claims(mint(body("audience", AUD)))).doesNotContainKeys("hop_count", "delegation_path",
                "delegation_chain", "agent_session_id", "delegation_edge_id", "source_session_id", "target_session_id");
    }

    @Test
    void ttlDefaultsToTheConfiguredDefault() {
        try (DevSts shortLived = DevSts.builder().clock(clock).defaultTtl(Duration.ofSeconds(60)).start()) {
            MintResponse minted = shortLived.mint(MintRequest.builder().audience(AUD).build());

            assertThat(minted.expiresIn()).isEqualTo(60);
            assertThat(minted.claims()).containsEntry("exp", clock.instant().getEpochSecond() + 60);
        }
    }

    @Test
    void ttlZeroMeansTheDefault() {
        assertThat(mint(body("audience", AUD, "ttl_seconds", 0))).containsEntry("expires_in", 900L);
    }

    @Test
    void ttlIsUsedForExpAndExpiresIn() {
        Map<String, Object> response = mint(body("audience", AUD, "ttl_seconds", 120));

        assertThat(response).containsEntry("expires_in", 120L);
        assertThat(claims(response)).containsEntry("exp", clock.instant().getEpochSecond() + 120);
    }

    @Test
    void sessionMandatesMayLiveAnHour() {
        assertThat(mint(body("use", "session", "ttl_seconds", 3600))).containsEntry("expires_in", 3600L);
    }

    @Test
    void delegatedMintCarriesTheZoneEpochZeroIncluded() {
        assertThat(claims(mint(body("audience", AUD, "delegation_edge_id", "new")))).containsEntry("delegation_graph_epoch", 0L);

        sts.invalidateDelegations("zone_dev");
        sts.invalidateDelegations("zone_dev");

        assertThat(claims(mint(body("audience", AUD, "delegation_edge_id", "new")))).containsEntry("delegation_graph_epoch", 2L);
        assertThat(claims(mint(body("audience", AUD)))).doesNotContainKey("delegation_graph_epoch");
    }

    @Test
    void epochIsPerZone() {
        sts.invalidateDelegations("zone_other");

        assertThat(claims(mint(body("audience", AUD, "delegation_edge_id", "new")))).containsEntry("delegation_graph_epoch", 0L);
        assertThat(claims(mint(body("audience", AUD, "zone_id", "zone_other", "delegation_edge_id", "new"))))
                .containsEntry("delegation_graph_epoch", 1L).containsEntry("zone_id", "zone_other");
    }

    @Test
    void claimsOverrideReplacesAddsAndRemovesLast() {
        Map<String, Object> response = mint(body("audience", AUD, "scope", "tool:call", "claims_override",
                body("zone_id", "zone_other", "extra", Map.of("n", 1.5), "scope", null, "nbf", 7)));

        Map<String, Object> claims = claims(response);
        assertThat(claims).containsEntry("zone_id", "zone_other").doesNotContainKey("scope").containsEntry("nbf", 7L);
        assertThat(claims.get("extra").toString()).isEqualTo("{n=1.5}");
        assertThat(Tokens.text((String) response.get("access_token"), 1)).contains("\"extra\":{\"n\":1.5}");
        List<String> names = List.copyOf(claims.keySet());
        assertThat(names.indexOf("zone_id")).as("a replaced claim keeps its place").isEqualTo(names.indexOf("use") + 1);
        assertThat(names.indexOf("nbf")).as("an added registered claim takes its place in the stable order")
                .isEqualTo(names.indexOf("iat") + 1);
        assertThat(Tokens.payload((String) response.get("access_token"))).isEqualTo(claims);
    }

    @Test
    void claimsOverrideCanRemoveRequiredClaims() {
        Map<String, Object> claims = claims(mint(body("audience", AUD, "claims_override", body("sub", null, "iat", null))));

        assertThat(claims).doesNotContainKeys("sub", "iat");
    }

    @Test
    void javaMintMatchesTheEndpoint() {
        MintResponse minted = sts.mint(MintRequest.builder().audience(AUD).scope("tool:call").agentSessionId(MintRequest.NEW)
                .chainHop("app_orchestrator").chainHop("app_dev", null, "edge-1").delegationPath("edge-1")
                .delegationEdgeId("edge-1").ttl(Duration.ofSeconds(300)).overrideClaim("custom", List.of(1, "a")).build());

        assertThat(minted.tokenType()).isEqualTo("Bearer");
        assertThat(minted.expiresIn()).isEqualTo(300);
        assertThat(minted.claims()).containsEntry("scope", "tool:call").containsEntry("hop_count", 1L)
                .containsEntry("delegation_chain", List.of(Map.of("application_id", "app_orchestrator"),
                        Map.of("application_id", "app_dev", "delegation_edge_id", "edge-1")))
                .containsEntry("custom", List.of(1L, "a"));
        assertThat(Tokens.payload(minted.accessToken())).isEqualTo(minted.claims());
        assertThat(minted.toString()).doesNotContain(minted.accessToken()).doesNotContain(minted.accessToken().split("\\.")[2]);
    }

    @Test
    void requestLogHasOneLinePerRequestWithoutBodiesOrQueries() {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (DevSts logged = DevSts.builder().requestLog(lines::add).start()) {
            Http client = new Http(logged);
            client.postJson("/dev/mint", body("audience", AUD));
            client.get("/.well-known/jwks.json?zone_id=zone_dev");
            client.get("/nope");

            Eventually.waitUntil(Duration.ofSeconds(5), "three request lines", () -> lines.size() >= 3);
            assertThat(lines).containsExactly("POST /dev/mint 200", "GET /.well-known/jwks.json 200", "GET /nope 404");
        }
    }
}
