package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static ai.caracal.verify.SpecBaseline.mandate;
import static ai.caracal.verify.SpecBaseline.withEveryOptionalClaim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** verification.md §6 steps 21–22: one revocation-store call per mandate, then the epoch (V105–V110 of §12.5). */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class RevocationAndEpochTest {

    private TestIssuer issuer;
    private RecordingRevocationStore store;
    private MandateVerifier verifier;

    @BeforeEach
    void setUp(TestIssuer issuer) {
        this.issuer = issuer;
        this.store = new RecordingRevocationStore(issuer.revocations());
        this.verifier = issuer.verifier().revocations(store).build();
    }

    @ParameterizedTest(name = "V105 revoked {0} gives session_revoked, 401")
    @ValueSource(strings = {"sid-1", "root-1", "agent-1", "edge-1"})
    @DisplayName("V105 revoking any one anchor gives session_revoked, 401")
    void anyRevokedAnchorRejectsTheMandate(String anchor) {
        issuer.revoke(anchor);
        assertThat(verifier.authenticate(withEveryOptionalClaim(issuer).sign()))
                .failedWith(ErrorCode.SESSION_REVOKED)
                .hasDescription("Mandate authority revoked")
                .hasStatus(401);
    }

    @Test
    @DisplayName("V106 a successful mandate makes exactly one store.check call with all four anchors and its zone")
    void successfulMandateMakesOneStoreCall() {
        assertThat(verifier.authenticate(withEveryOptionalClaim(issuer).sign())).isOk();
        assertThat(store.checks()).containsExactly(
                new RecordingRevocationStore.Check(List.of("sid-1", "root-1", "agent-1", "edge-1"), "zone-1"));
        assertThat(store.reads()).isEqualTo(1);
    }

    @Test
    @DisplayName("V107 root_sid equal to sid: check receives [sid-1] once (de-duplicated)")
    void duplicateAnchorsAreSentOnce() {
        assertThat(verifier.authenticate(mandate(issuer).rootSid("sid-1").sign())).isOk();
        assertThat(store.checks()).containsExactly(new RecordingRevocationStore.Check(List.of("sid-1"), "zone-1"));
    }

    static Stream<Arguments> epochs() {
        return Stream.of(
                Arguments.of(7L, 8L, ErrorCode.DELEGATION_STALE),
                Arguments.of(8L, 8L, null),
                Arguments.of(7L, 0L, null),
                Arguments.of(null, 8L, null),
                Arguments.of(0L, 1L, ErrorCode.DELEGATION_STALE));
    }

    @ParameterizedTest(name = "V108 epoch claim {0} (null = none), store epoch {1} -> {2} (null = ok)")
    @MethodSource("epochs")
    @DisplayName("V108 a mandate whose delegation_graph_epoch is below the store's epoch is delegation_stale")
    void staleEpochIsRejected(Long claimEpoch, long storeEpoch, ErrorCode expected) {
        issuer.setEpoch("zone-1", storeEpoch);
        MandateBuilder token = mandate(issuer);
        if (claimEpoch != null) {
            token.graphEpoch(claimEpoch);
        }
        AuthResult result = verifier.authenticate(token.sign());
        if (expected == null) {
            assertThat(result).isOk();
        } else {
            assertThat(result).failedWith(expected).hasDescription("Delegation graph has changed").hasStatus(401);
        }
    }

    @Test
    @DisplayName("V109 a revoked anchor and a stale epoch together give session_revoked")
    void revocationWinsOverStaleEpoch() {
        issuer.revoke("sid-1");
        issuer.setEpoch("zone-1", 8);
        assertThat(verifier.authenticate(mandate(issuer).graphEpoch(7).sign())).failedWith(ErrorCode.SESSION_REVOKED);
    }

    @Test
    @DisplayName("V110 a store that throws gives invalid_token \"Revocation state unavailable\" and nothing is thrown")
    void storeFailureFailsClosed() {
        store.failWith(new IllegalStateException("store down"));
        AtomicReference<AuthResult> result = new AtomicReference<>();
        assertThatCode(() -> result.set(verifier.authenticate(mandate(issuer).sign())))
                .doesNotThrowAnyException();
        assertThat(result.get())
                .failedWith(ErrorCode.INVALID_TOKEN)
                .hasDescription("Revocation state unavailable")
                .hasStatus(401);
        assertThat(result.get().error().hint()).isEqualTo(ErrorCode.INVALID_TOKEN.hint());
        assertThat(store.checks()).hasSize(1);
    }
}
