package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static ai.caracal.verify.SpecBaseline.mandate;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * verification.md §6, verified-token cache: a repeated token skips only parsing and the signature
 * check. Each test runs with the cache on and off and expects the same outcome.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test", extraZones = "zone-other")
class VerifiedTokenCacheTest {

    private TestIssuer issuer;

    @BeforeEach
    void setUp(TestIssuer issuer) {
        this.issuer = issuer;
    }

    /** Builds the verifier and verifies the token twice, so the second call is a cache hit when the cache is on. */
    private MandateVerifier verifierThatHasSeen(String token, boolean cache) {
        MandateVerifier verifier = issuer.verifier().verifiedTokenCache(cache).build();
        assertThat(verifier.authenticate(token)).isOk();
        assertThat(verifier.authenticate(token)).isOk();
        return verifier;
    }

    @ParameterizedTest(name = "§6 verifiedTokenCache={0}: a repeated token revoked afterwards is session_revoked")
    @ValueSource(booleans = {true, false})
    @DisplayName("§6 a repeated token that is then revoked is rejected on the next call")
    void repeatedTokenIsRejectedOnceRevoked(boolean cache) {
        String token = mandate(issuer).sign();
        MandateVerifier verifier = verifierThatHasSeen(token, cache);
        issuer.revoke("sid-1");
        assertThat(verifier.authenticate(token)).failedWith(ErrorCode.SESSION_REVOKED);
    }

    @ParameterizedTest(name = "§6 verifiedTokenCache={0}: a repeated token is invalid_token once the clock reaches exp")
    @ValueSource(booleans = {true, false})
    @DisplayName("§6 a repeated token is rejected once time passes its exp")
    void repeatedTokenIsRejectedOnceExpired(boolean cache) {
        String token = mandate(issuer).sign();
        MandateVerifier verifier = verifierThatHasSeen(token, cache);
        issuer.clock().advance(Duration.ofSeconds(599));
        assertThat(verifier.authenticate(token)).isOk();
        issuer.clock().advance(Duration.ofSeconds(1));
        assertThat(verifier.authenticate(token)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @ParameterizedTest(name = "§6 verifiedTokenCache={0}: a repeated token checked with stricter per-call requirements is rejected")
    @ValueSource(booleans = {true, false})
    @DisplayName("§6 a repeated token checked with stricter per-call Requirements is rejected")
    void repeatedTokenMeetsStricterRequirementsAfresh(boolean cache) {
        String token = mandate(issuer).sign();
        MandateVerifier verifier = verifierThatHasSeen(token, cache);
        Requirements admin = Requirements.builder().requiredScopes("admin").build();
        assertThat(verifier.authenticate(token, admin)).failedWith(ErrorCode.INSUFFICIENT_SCOPE);
        assertThat(verifier.require(admin).authenticate(token)).failedWith(ErrorCode.INSUFFICIENT_SCOPE);
        assertThat(verifier.authenticate(token, Requirements.builder().requireAgent(true).build()))
                .failedWith(ErrorCode.AGENT_REQUIRED);
    }

    @ParameterizedTest(name = "§6 verifiedTokenCache={0}: a repeated token is delegation_stale once the zone epoch moves past it")
    @ValueSource(booleans = {true, false})
    @DisplayName("§6 a repeated token is rejected once the delegation graph epoch moves past it")
    void repeatedTokenIsRejectedOnceStale(boolean cache) {
        String token = mandate(issuer).graphEpoch(7).sign();
        issuer.setEpoch("zone-1", 7);
        MandateVerifier verifier = verifierThatHasSeen(token, cache);
        issuer.setEpoch("zone-1", 8);
        assertThat(verifier.authenticate(token)).failedWith(ErrorCode.DELEGATION_STALE);
    }

    @ParameterizedTest(name = "§6 verifiedTokenCache={0}: a repeated token is invalid_token when its kid now holds other key material")
    @ValueSource(booleans = {true, false})
    @DisplayName("§6 a repeated token is verified afresh, and rejected, when its kid now holds different key material")
    void repeatedTokenIsReverifiedWhenKeyMaterialChanges(boolean cache) {
        String token = mandate(issuer).expiresIn(Duration.ofHours(2)).sign();
        MandateVerifier verifier = verifierThatHasSeen(token, cache);
        issuer.jwks().serveRaw(keySet(issuer.publicJwk("zone-other"), currentKid()));
        issuer.clock().advance(Duration.ofMinutes(11));
        assertThat(verifier.authenticate(token)).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(issuer.jwks().requests()).isEqualTo(2);
    }

    @ParameterizedTest(name = "§6 verifiedTokenCache={0}: a repeated token is invalid_token when its kid leaves the key set")
    @ValueSource(booleans = {true, false})
    @DisplayName("§6 a repeated token is rejected when its kid is no longer in the key set (step 3 always runs)")
    void repeatedTokenIsRejectedWhenItsKidIsGone(boolean cache) {
        String token = mandate(issuer).expiresIn(Duration.ofHours(2)).sign();
        MandateVerifier verifier = verifierThatHasSeen(token, cache);
        issuer.jwks().serveRaw(keySet(issuer.publicJwk("zone-other"), "k-other"));
        issuer.clock().advance(Duration.ofMinutes(11));
        assertThat(verifier.authenticate(token)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("§6 verifiedTokenCache(false) gives the same result as the default for every call of one timeline")
    void cacheOffGivesIdenticalResults() {
        String token = mandate(issuer).agentSession("agent-1").graphEpoch(3).sign();
        MandateVerifier cached = issuer.verifier().build();
        MandateVerifier uncached = issuer.verifier().verifiedTokenCache(false).build();
        List<String> withCache = new ArrayList<>();
        List<String> withoutCache = new ArrayList<>();
        List<Runnable> timeline = List.of(
                () -> { },
                () -> { },
                () -> issuer.clock().advance(Duration.ofMinutes(4)),
                () -> issuer.setEpoch("zone-1", 3),
                () -> issuer.revoke("agent-1"),
                () -> issuer.clock().advance(Duration.ofMinutes(7)));
        for (Runnable step : timeline) {
            step.run();
            withCache.add(outcome(cached.authenticate(token)) + " / " + outcome(cached.authenticate(token,
                    Requirements.builder().requiredScopes("write").requireDelegation(true).build())));
            withoutCache.add(outcome(uncached.authenticate(token)) + " / " + outcome(uncached.authenticate(token,
                    Requirements.builder().requiredScopes("write").requireDelegation(true).build())));
        }
        assertThat(withCache).isEqualTo(withoutCache).containsExactly(
                "ok / delegation_required",
                "ok / delegation_required",
                "ok / delegation_required",
                "ok / delegation_required",
                "session_revoked / delegation_required",
                "invalid_token / invalid_token");
    }

    @ParameterizedTest(name = "§6 verifiedTokenCache={0}: another token's claims under a seen token's signature are invalid_token")
    @ValueSource(booleans = {true, false})
    @DisplayName("§6 a seen token's signature never vouches for other claims: only an identical token is a hit")
    void aSeenSignatureOnOtherClaimsIsRejected(boolean cache) {
        String seen = mandate(issuer).sign();
        String other = mandate(issuer).scope("admin").sign();
        MandateVerifier verifier = verifierThatHasSeen(seen, cache);
        String forged = signingInput(other) + "." + signature(seen);
        assertThat(verifier.authenticate(forged)).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(verifier.authenticate(seen)).isOk();
        assertThat(verifier.authenticate(forged)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @ParameterizedTest(name = "§6 verifiedTokenCache={0}: a seen token's claims under another signature are invalid_token")
    @ValueSource(booleans = {true, false})
    @DisplayName("§6 a seen token's header and payload with a changed signature are verified afresh and rejected")
    void aSeenSigningInputWithAnotherSignatureIsRejected(boolean cache) {
        String seen = mandate(issuer).sign();
        MandateVerifier verifier = verifierThatHasSeen(seen, cache);
        String signature = signature(seen);
        char first = signature.charAt(0);
        String changed = signingInput(seen) + "." + (first == 'A' ? 'B' : 'A') + signature.substring(1);
        assertThat(verifier.authenticate(changed)).failedWith(ErrorCode.INVALID_TOKEN);
        // The same characters' low bytes, one widened past Latin-1: a lookup that narrowed characters to bytes
        // would find the seen token's entry.
        String widened = signingInput(seen) + "." + (char) (0x100 | first) + signature.substring(1);
        assertThat(verifier.authenticate(widened)).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(verifier.authenticate(seen)).isOk();
    }

    @Test
    @DisplayName("§6 the cache finds a verified token again, and nothing that differs from it")
    void theCacheFindsOnlyTheIdenticalToken() {
        String seen = mandate(issuer).sign();
        String other = mandate(issuer).scope("admin").sign();
        Claims claims = issuer.verifier().build().authenticate(seen).principal();
        long now = issuer.clock().instant().getEpochSecond();
        VerifiedTokenCache cache = new VerifiedTokenCache();
        cache.put(seen, claims, null, now);
        assertThat(cache.get(seen, now)).extracting(VerifiedTokenCache.Entry::claims).isSameAs(claims);
        assertThat(cache.get(new String(seen.toCharArray()), now)).isNotNull();
        assertThat(cache.get(signingInput(other) + "." + signature(seen), now)).isNull();
        assertThat(cache.get(signingInput(seen) + "." + (char) (0x100 | signature(seen).charAt(0))
                + signature(seen).substring(1), now)).isNull();
        assertThat(cache.get(seen, claims.expiresAtEpochSecond())).isNull();
        assertThat(cache.size()).isZero();
    }

    private static String signingInput(String token) {
        return token.substring(0, token.lastIndexOf('.'));
    }

    private static String signature(String token) {
        return token.substring(token.lastIndexOf('.') + 1);
    }

    private static String outcome(AuthResult result) {
        return result.ok() ? "ok" : result.error().code().wire();
    }

    private String currentKid() {
        return (String) issuer.publicJwk("zone-1").get("kid");
    }

    /** A JWKS document holding one public JWK, republished under {@code kid}. */
    private static String keySet(Map<String, Object> jwk, String kid) {
        jwk.put("kid", kid);
        return jwk.entrySet().stream()
                .map(member -> "\"" + member.getKey() + "\":\"" + member.getValue() + "\"")
                .collect(Collectors.joining(",", "{\"keys\":[{", "}]}"));
    }
}
