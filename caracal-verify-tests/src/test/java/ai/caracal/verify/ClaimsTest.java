package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static ai.caracal.verify.SpecBaseline.T;
import static ai.caracal.verify.SpecBaseline.mandate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** verification.md §4 and the claim edge cases V57–V87 of §12.3. */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class ClaimsTest {

    private TestIssuer issuer;
    private MandateVerifier verifier;

    @BeforeEach
    void baselineVerifier(TestIssuer issuer) {
        this.issuer = issuer;
        this.verifier = issuer.verifier().build();
    }

    private AuthResult verify(UnaryOperator<MandateBuilder> change) {
        return verifier.authenticate(change.apply(mandate(issuer)).sign());
    }

    private static Arguments row(String name, UnaryOperator<MandateBuilder> change) {
        return Arguments.of(Named.of(name, change));
    }

    @Test
    @DisplayName("V57 baseline plus every optional claim is accepted and every accessor returns its value")
    void everyOptionalClaimIsExposedThroughItsAccessor() {
        assertThat(verifier.authenticate(SpecBaseline.withEveryOptionalClaim(issuer).sign())).principalSatisfies(c -> {
            assertThat(c.issuer()).isEqualTo(issuer.url());
            assertThat(c.audience()).containsExactly("https://api.test");
            assertThat(c.sub()).isEqualTo("user-1");
            assertThat(c.expiresAt()).isEqualTo(Instant.ofEpochSecond(T + 600));
            assertThat(c.issuedAt()).isEqualTo(Instant.ofEpochSecond(T));
            assertThat(c.notBefore()).isEmpty();
            assertThat(c.jti()).isEqualTo("j-1");
            assertThat(c.zoneId()).isEqualTo("zone-1");
            assertThat(c.clientId()).isEqualTo("app-1");
            assertThat(c.sid()).isEqualTo("sid-1");
            assertThat(c.rootSid()).isEqualTo("root-1");
            assertThat(c.use()).isEqualTo("resource");
            assertThat(c.subType()).isEqualTo("application");
            assertThat(c.scope()).isEqualTo("read write");
            assertThat(c.scopes()).containsExactly("read", "write");
            assertThat(c.targets()).containsExactly(SpecBaseline.FILES);
            assertThat(c.agentSessionId()).contains("agent-1");
            assertThat(c.delegationEdgeId()).contains("edge-1");
            assertThat(c.sourceSessionId()).contains("s-src");
            assertThat(c.targetSessionId()).contains("s-tgt");
            assertThat(c.delegationPath()).containsExactly("e0", "edge-1");
            assertThat(c.delegationChain()).containsExactly(
                    new ChainHop("app-parent", Optional.of("s1"), Optional.of("e1")), ChainHop.of("app-1"));
            assertThat(c.hopCount()).isEqualTo(2);
            assertThat(c.delegationGraphEpoch()).isEqualTo(OptionalLong.of(7));
            assertThat(c.anchors()).containsExactly("sid-1", "root-1", "agent-1", "edge-1");
        });
    }

    @Test
    @DisplayName("§4 Claims.toString prints only sub, zoneId, clientId, sid and use")
    void claimsToStringPrintsOnlyTheIdentifyingClaims() {
        assertThat(verifier.authenticate(SpecBaseline.withEveryOptionalClaim(issuer).sign())).principalSatisfies(c ->
                assertThat(c.toString()).isEqualTo("Claims[sub=user-1, zoneId=zone-1, clientId=app-1, sid=sid-1, use=resource]"));
    }

    @Test
    @DisplayName("§4 Claims.raw() is unmodifiable")
    void rawPayloadIsUnmodifiable() {
        assertThat(verify(b -> b)).principalSatisfies(c ->
                assertThatThrownBy(() -> c.raw().put("sub", "user-2")).isInstanceOf(UnsupportedOperationException.class));
    }

    @Test
    @DisplayName("V58 iss with a trailing slash is rejected (exact comparison)")
    void issuerWithTrailingSlashIsRejected() {
        assertThat(verify(b -> b.claim("iss", issuer.url() + "/"))).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V59 aud as a single string is accepted")
    void audienceAsStringIsAccepted() {
        assertThat(verify(b -> b.claim("aud", "https://api.test")))
                .principalSatisfies(c -> assertThat(c.audience()).containsExactly("https://api.test"));
    }

    static Stream<Arguments> badAudiences() {
        return Stream.of(
                row("aud [\"https://other.test\"]", b -> b.audience("https://other.test")),
                row("aud absent", b -> b.removeClaim("aud")),
                row("aud []", b -> b.claim("aud", List.of())),
                row("aud 7", b -> b.claim("aud", 7)),
                row("aud [\"https://api.test\", 7]", b -> b.claim("aud", List.of("https://api.test", 7))));
    }

    @ParameterizedTest(name = "V60 {0} is rejected")
    @MethodSource("badAudiences")
    @DisplayName("V60 aud that does not name this audience, or is malformed, is rejected")
    void badAudienceIsRejected(UnaryOperator<MandateBuilder> change) {
        assertThat(verify(change)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V61 exp = T is rejected (no leeway)")
    void expiryAtNowIsRejected() {
        assertThat(verify(b -> b.claim("exp", T))).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V62 exp = T + 1 is accepted")
    void expiryOneSecondAheadIsAccepted() {
        assertThat(verify(b -> b.claim("exp", T + 1))).isOk();
    }

    static Stream<Arguments> badExpiries() {
        return Stream.of(
                row("exp absent", b -> b.removeClaim("exp")),
                row("exp \"1800000600\"", b -> b.claim("exp", "1800000600")),
                row("exp 1800000600.5", b -> b.claim("exp", new BigDecimal("1800000600.5"))),
                row("exp true", b -> b.claim("exp", true)));
    }

    @ParameterizedTest(name = "V63 {0} is rejected")
    @MethodSource("badExpiries")
    @DisplayName("V63 exp that is absent or not an integer is rejected")
    void malformedExpiryIsRejected(UnaryOperator<MandateBuilder> change) {
        assertThat(verify(change)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V64 exp 1800000600.0 counts as integral and is accepted")
    void integralDecimalExpiryIsAccepted() {
        assertThat(verify(b -> b.claim("exp", new BigDecimal("1800000600.0"))))
                .principalSatisfies(c -> assertThat(c.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_800_000_600L)));
    }

    @Test
    @DisplayName("V65 nbf = T + 60 is accepted (60 s leeway)")
    void notBeforeWithinLeewayIsAccepted() {
        assertThat(verify(b -> b.claim("nbf", T + 60)))
                .principalSatisfies(c -> assertThat(c.notBefore()).contains(Instant.ofEpochSecond(T + 60)));
    }

    @Test
    @DisplayName("V66 nbf = T + 61 is rejected")
    void notBeforeBeyondLeewayIsRejected() {
        assertThat(verify(b -> b.claim("nbf", T + 61))).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V67 iat = T + 60 is accepted (60 s leeway)")
    void issuedAtWithinLeewayIsAccepted() {
        assertThat(verify(b -> b.claim("iat", T + 60))).isOk();
    }

    static Stream<Arguments> badIssuedAts() {
        return Stream.of(
                row("iat T + 61", b -> b.claim("iat", T + 61)),
                row("iat absent", b -> b.removeClaim("iat")),
                row("iat -1", b -> b.claim("iat", -1)));
    }

    @ParameterizedTest(name = "V68 {0} is rejected")
    @MethodSource("badIssuedAts")
    @DisplayName("V68 iat in the future beyond leeway, absent or negative is rejected")
    void badIssuedAtIsRejected(UnaryOperator<MandateBuilder> change) {
        assertThat(verify(change)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V69 use:session is rejected with the default requiredUse")
    void sessionMandateIsRejectedByDefault() {
        assertThat(verify(b -> b.use("session"))).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V70 use:session is accepted with requiredUse(\"session\")")
    void sessionMandateIsAcceptedWhenSessionIsRequired() {
        MandateVerifier sessions = issuer.verifier().requiredUse("session").build();
        assertThat(sessions.authenticate(mandate(issuer).use("session").sign()))
                .principalSatisfies(c -> assertThat(c.use()).isEqualTo("session"));
    }

    static Stream<Arguments> badUses() {
        return Stream.of(
                row("use gateway", b -> b.use("gateway")),
                row("use refresh", b -> b.use("refresh")),
                row("use absent", b -> b.removeClaim("use")));
    }

    @ParameterizedTest(name = "V71 {0} is rejected")
    @MethodSource("badUses")
    @DisplayName("V71 use other than resource or session, or absent, is rejected")
    void unknownUseIsRejected(UnaryOperator<MandateBuilder> change) {
        assertThat(verify(change)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V72 requiredUse(\"gateway\") makes building the verifier throw")
    void gatewayCannotBeRequired() {
        assertThatThrownBy(() -> issuer.verifier().requiredUse("gateway").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requiredUse");
    }

    static Stream<Arguments> badSubjectTypes() {
        return Stream.of(
                row("sub_type robot", b -> b.subType("robot")),
                row("sub_type absent", b -> b.removeClaim("sub_type")));
    }

    @ParameterizedTest(name = "V73 {0} is rejected")
    @MethodSource("badSubjectTypes")
    @DisplayName("V73 sub_type other than user or application, or absent, is rejected")
    void unknownSubjectTypeIsRejected(UnaryOperator<MandateBuilder> change) {
        assertThat(verify(change)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    static Stream<Arguments> missingRequiredStrings() {
        return Stream.of(
                row("sid absent", b -> b.removeClaim("sid")),
                row("sid \"\"", b -> b.claim("sid", "")),
                row("sid null", b -> b.claim("sid", null)),
                row("root_sid absent", b -> b.removeClaim("root_sid")),
                row("client_id absent", b -> b.removeClaim("client_id")),
                row("jti absent", b -> b.removeClaim("jti")),
                row("sub \"\"", b -> b.sub("")));
    }

    @ParameterizedTest(name = "V74 {0} is rejected")
    @MethodSource("missingRequiredStrings")
    @DisplayName("V74 a required string claim that is absent, null or empty is rejected")
    void missingRequiredStringIsRejected(UnaryOperator<MandateBuilder> change) {
        assertThat(verify(change)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    static Stream<Arguments> badScopes() {
        return Stream.of(
                row("scope [\"read\"]", b -> b.claim("scope", List.of("read"))),
                row("scope 7", b -> b.claim("scope", 7)));
    }

    @ParameterizedTest(name = "V75 {0} is rejected")
    @MethodSource("badScopes")
    @DisplayName("V75 scope that is not a string is rejected")
    void nonStringScopeIsRejected(UnaryOperator<MandateBuilder> change) {
        assertThat(verify(change)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    static Stream<Arguments> noScopes() {
        return Stream.of(
                row("scope absent", b -> b.removeClaim("scope")),
                row("scope null", b -> b.claim("scope", null)));
    }

    @ParameterizedTest(name = "V76 {0} is accepted with an empty scope")
    @MethodSource("noScopes")
    @DisplayName("V76 scope absent or null, no required scopes: accepted, scope() is \"\" and scopes() empty")
    void absentScopeIsEmpty(UnaryOperator<MandateBuilder> change) {
        assertThat(verify(change)).principalSatisfies(c -> {
            assertThat(c.scope()).isEmpty();
            assertThat(c.scopes()).isEmpty();
        });
    }

    static Stream<Arguments> badTargets() {
        return Stream.of(
                row("target \"https://api.test\" (string)", b -> b.claim("target", "https://api.test")),
                row("target [\"a\", \"\"]", b -> b.claim("target", List.of("a", ""))),
                row("target [\"a\", 1]", b -> b.claim("target", List.of("a", 1))));
    }

    @ParameterizedTest(name = "V77 {0} is rejected")
    @MethodSource("badTargets")
    @DisplayName("V77 target that is not an array of non-empty strings is rejected")
    void malformedTargetIsRejected(UnaryOperator<MandateBuilder> change) {
        assertThat(verify(change)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @ParameterizedTest(name = "V78 agent_session_id [\"agent-1\"] with requireAgent={0} is rejected")
    @ValueSource(booleans = {false, true})
    @DisplayName("V78 agent_session_id as an array is rejected, with or without requireAgent")
    void arrayAgentSessionIsRejected(boolean requireAgent) {
        MandateVerifier v = issuer.verifier().requireAgent(requireAgent).build();
        assertThat(v.authenticate(mandate(issuer).claim("agent_session_id", List.of("agent-1")).sign()))
                .failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V79 agent_session_id \"\" counts as absent and is not an anchor")
    void emptyAgentSessionCountsAsAbsent() {
        assertThat(verify(b -> b.agentSession(""))).principalSatisfies(c -> {
            assertThat(c.agentSessionId()).isEmpty();
            assertThat(c.anchors()).containsExactly("sid-1", "root-1");
        });
    }

    @Test
    @DisplayName("V80 source_session_id 7 is rejected")
    void nonStringSourceSessionIsRejected() {
        assertThat(verify(b -> b.claim("source_session_id", 7))).failedWith(ErrorCode.INVALID_TOKEN);
    }

    static Stream<Arguments> badHopCounts() {
        return Stream.of(
                row("hop_count -1", b -> b.claim("hop_count", -1)),
                row("hop_count 3.5", b -> b.claim("hop_count", new BigDecimal("3.5"))),
                row("hop_count \"3\"", b -> b.claim("hop_count", "3")),
                row("hop_count true", b -> b.claim("hop_count", true)));
    }

    @ParameterizedTest(name = "V81 {0} is rejected")
    @MethodSource("badHopCounts")
    @DisplayName("V81 hop_count that is not a non-negative integer is rejected")
    void malformedHopCountIsRejected(UnaryOperator<MandateBuilder> change) {
        assertThat(verify(change)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    static Stream<Arguments> badEpochs() {
        return Stream.of(
                row("delegation_graph_epoch -1", b -> b.claim("delegation_graph_epoch", -1)),
                row("delegation_graph_epoch \"7\"", b -> b.claim("delegation_graph_epoch", "7")));
    }

    @ParameterizedTest(name = "V82 {0} is rejected")
    @MethodSource("badEpochs")
    @DisplayName("V82 delegation_graph_epoch that is negative or not a number is rejected")
    void malformedEpochIsRejected(UnaryOperator<MandateBuilder> change) {
        assertThat(verify(change)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    static Stream<Arguments> badChains() {
        return Stream.of(
                row("delegation_chain as an object", b -> b.claim("delegation_chain", Map.of("application_id", "app-parent"))),
                row("element \"app\"", b -> b.claim("delegation_chain", List.of("app"))),
                row("element without application_id", b -> b.claim("delegation_chain", List.of(Map.of("agent_session_id", "s1")))),
                row("application_id \"\"", b -> b.claim("delegation_chain", List.of(Map.of("application_id", "")))),
                row("hop agent_session_id 7", b -> b.claim("delegation_chain",
                        List.of(Map.of("application_id", "app-parent", "agent_session_id", 7)))),
                row("compact keys {app, session, edge}", b -> b.claim("delegation_chain",
                        List.of(Map.of("app", "a", "session", "s", "edge", "e")))));
    }

    @ParameterizedTest(name = "V83 {0} is rejected")
    @MethodSource("badChains")
    @DisplayName("V83 malformed delegation_chain is rejected")
    void malformedChainIsRejected(UnaryOperator<MandateBuilder> change) {
        assertThat(verify(change)).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V84 a chain element with an extra key is accepted")
    void extraChainKeyIsIgnored() {
        assertThat(verify(b -> b.claim("delegation_chain", List.of(Map.of("application_id", "app-parent", "note", "x")))))
                .principalSatisfies(c -> assertThat(c.delegationChain()).containsExactly(ChainHop.of("app-parent")));
    }

    @Test
    @DisplayName("V85 legacy graph_epoch is ignored: accepted with store epoch 100, delegationGraphEpoch() empty")
    void legacyGraphEpochIsIgnored() {
        issuer.setEpoch("zone-1", 100);
        assertThat(verify(b -> b.claim("graph_epoch", 42))).principalSatisfies(c -> {
            assertThat(c.delegationGraphEpoch()).isEmpty();
            assertThat(c.raw()).containsEntry("graph_epoch", 42L);
        });
    }

    @Test
    @DisplayName("V86 an unknown claim is accepted and kept in raw()")
    void unknownClaimIsKeptInRaw() {
        assertThat(verify(b -> b.claim("foo", Map.of("a", 1))))
                .principalSatisfies(c -> assertThat(c.raw()).containsEntry("foo", Map.of("a", 1L)));
    }

    @Test
    @DisplayName("V87 hop_count \"x\" together with zone_id zone-2 is invalid_token (types before zone)")
    void claimTypesAreCheckedBeforeTheZone() {
        assertThat(verify(b -> b.claim("hop_count", "x").zoneId("zone-2"))).failedWith(ErrorCode.INVALID_TOKEN);
    }
}
