package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.TestJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * interop.md §3: the shared claims fixture {@code jwt-claims.resource.valid.json} (named by
 * {@code caracal-resource-verifier-manifest.json}), signed by a test key and verified by a verifier
 * configured for it (issuer {@code https://sts.example.com}, audience {@code resource://api}, zone
 * {@code zone-1}, clock at {@code iat}). Expected values are read from the fixture itself.
 */
class InteropJwtClaimsTest {

    private static final String ISSUER = "https://sts.example.com";

    private TestIssuer keys;
    private JsonNode fixture;
    private final List<URI> fetched = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        keys = TestIssuer.start("zone-1", "resource://api");
        try (InputStream in = getClass().getResourceAsStream("/interop/jwt-claims.resource.valid.json")) {
            assertThat(in).isNotNull();
            fixture = new ObjectMapper().readTree(in);
        }
    }

    @AfterEach
    void tearDown() {
        keys.close();
    }

    /** A verifier for the fixture's issuer, whose key set comes from the test key (the issuer is not reachable). */
    private MandateVerifier.Builder verifier(Instant now) {
        byte[] jwks = TestJson.jwks(keys.publicJwk("zone-1")).getBytes(StandardCharsets.UTF_8);
        return MandateVerifier.builder()
                .issuer(ISSUER).audience(fixture.path("aud").asText()).zoneId(fixture.path("zone_id").asText())
                .revocations(keys.revocations()).clock(Clock.fixed(now, ZoneOffset.UTC))
                .jwksFetcher((uri, timeout, maxBytes) -> {
                    fetched.add(uri);
                    return CompletableFuture.completedFuture(jwks);
                });
    }

    private String token() {
        return keys.mint().rawPayload(fixture.toString()).sign();
    }

    @Test
    @DisplayName("the claims fixture verifies at iat and every claim is exposed")
    void claimsFixtureVerifiesAndExposesEveryClaim() {
        Instant iat = Instant.ofEpochSecond(fixture.path("iat").asLong());

        AuthResult result = verifier(iat).build().authenticate(token());

        assertThat(result.ok()).as("%s", result).isTrue();
        assertThat(fetched).containsExactly(URI.create(ISSUER + "/.well-known/jwks.json?zone_id=zone-1"));
        Claims claims = result.principal();
        assertThat(claims.issuer()).isEqualTo(fixture.path("iss").asText());
        assertThat(claims.sub()).isEqualTo(fixture.path("sub").asText());
        assertThat(claims.audience()).containsExactly(fixture.path("aud").asText());
        assertThat(claims.expiresAt().getEpochSecond()).isEqualTo(fixture.path("exp").asLong());
        assertThat(claims.issuedAt().getEpochSecond()).isEqualTo(fixture.path("iat").asLong());
        assertThat(claims.notBefore()).isEmpty();
        assertThat(claims.jti()).isEqualTo(fixture.path("jti").asText());
        assertThat(claims.zoneId()).isEqualTo(fixture.path("zone_id").asText());
        assertThat(claims.clientId()).isEqualTo(fixture.path("client_id").asText());
        assertThat(claims.scope()).isEqualTo(fixture.path("scope").asText());
        assertThat(claims.scopes()).containsExactly(fixture.path("scope").asText().split(" "));
        assertThat(claims.sid()).isEqualTo(fixture.path("sid").asText());
        assertThat(claims.rootSid()).isEqualTo(fixture.path("root_sid").asText());
        assertThat(claims.use()).isEqualTo(fixture.path("use").asText());
        assertThat(claims.subType()).isEqualTo(fixture.path("sub_type").asText());
        assertThat(claims.targets()).containsExactlyElementsOf(strings(fixture.path("target")));
        assertThat(claims.agentSessionId()).contains(fixture.path("agent_session_id").asText());
        assertThat(claims.delegationEdgeId()).contains(fixture.path("delegation_edge_id").asText());
        assertThat(claims.sourceSessionId()).contains(fixture.path("source_session_id").asText());
        assertThat(claims.targetSessionId()).contains(fixture.path("target_session_id").asText());
        assertThat(claims.delegationPath()).containsExactlyElementsOf(strings(fixture.path("delegation_path")));
        List<ChainHop> chain = new ArrayList<>();
        fixture.path("delegation_chain").forEach(hop -> chain.add(new ChainHop(hop.path("application_id").asText(),
                optional(hop, "agent_session_id"), optional(hop, "delegation_edge_id"))));
        assertThat(claims.delegationChain()).isEqualTo(chain);
        assertThat(claims.hopCount()).isEqualTo(fixture.path("hop_count").asInt());
        assertThat(claims.delegationGraphEpoch()).hasValue(fixture.path("delegation_graph_epoch").asLong());
        assertThat(claims.anchors()).containsExactly(fixture.path("sid").asText(), fixture.path("root_sid").asText(),
                fixture.path("agent_session_id").asText(), fixture.path("delegation_edge_id").asText());
        assertThat(claims.raw().keySet()).containsExactlyInAnyOrderElementsOf(fixture::fieldNames);
    }

    @Test
    @DisplayName("the claims fixture meets every requirement it was minted for (scopes, target, agent, delegation, chain, hops)")
    void claimsFixtureMeetsItsRequirements() {
        Instant iat = Instant.ofEpochSecond(fixture.path("iat").asLong());
        MandateVerifier verifier = verifier(iat)
                .requiredScopes("read", "write").requiredTargets("resource://api").requireAgent(true)
                .requireDelegation(true).requireChainContains("app-parent").maxHopCount(1).build();

        assertThat(verifier.authenticate(token()).ok()).isTrue();
        assertThat(verifier.authenticate(token(), Requirements.builder().requireChainContains("app-other").build())
                .error().code()).isEqualTo(ErrorCode.CHAIN_MISMATCH);
    }

    @Test
    @DisplayName("the claims fixture is refused at exp (strict) and when its root authority record is revoked")
    void claimsFixtureRefusedWhenExpiredOrRevoked() {
        Instant exp = Instant.ofEpochSecond(fixture.path("exp").asLong());
        assertThat(verifier(exp).build().authenticate(token()).error().code()).isEqualTo(ErrorCode.INVALID_TOKEN);

        keys.revoke(fixture.path("root_sid").asText());
        Instant iat = Instant.ofEpochSecond(fixture.path("iat").asLong());
        assertThat(verifier(iat).build().authenticate(token()).error().code()).isEqualTo(ErrorCode.SESSION_REVOKED);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static Optional<String> optional(JsonNode object, String field) {
        return object.has(field) ? Optional.of(object.path(field).asText()) : Optional.empty();
    }
}
