package ai.caracal.devsts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.TestClock;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.JwksCache;
import ai.caracal.verify.MandateVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** devtools.md §1.4 and §1.8: rotation with a 24 h grace measured on the injected clock. */
class RotationTest {

    private static final String AUD = "https://api.test";
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

    private List<String> publishedKids(String zone) {
        Http.Answer answer = http.get("/.well-known/jwks.json?zone_id=" + zone);
        assertThat(answer.status()).isEqualTo(200);
        List<String> kids = new ArrayList<>();
        for (Object key : (List<?>) answer.object().get("keys")) {
            kids.add((String) ((Map<?, ?>) key).get("kid"));
        }
        return kids;
    }

    private MandateVerifier verifier() {
        return MandateVerifier.builder().issuer(sts.issuer()).audience(AUD).zoneId("zone_dev").clock(clock)
                .revocations(new ai.caracal.revocation.InMemoryRevocationStore())
                .jwksTtl(JwksCache.DEFAULT_TTL).build();
    }

    private String mint() {
        return sts.mint(MintRequest.builder().audience(AUD).build()).accessToken();
    }

    @Test
    void rotateAnswersNewAndPreviousKid() {
        String old = publishedKids("zone_dev").get(0);

        Http.Answer answer = http.post("/dev/zones/zone_dev/rotate", null, "");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(List.copyOf(answer.object().keySet())).containsExactly("rotated", "zone_id", "kid", "previous_kid");
        assertThat(answer.object()).containsEntry("rotated", true).containsEntry("zone_id", "zone_dev")
                .containsEntry("previous_kid", old);
        assertThat((String) answer.object().get("kid")).isNotEqualTo(old);
        assertThat(UuidV7.timestampOf((String) answer.object().get("kid"))).isPositive();
    }

    @Test
    void previousKeyStaysPublishedAfterTheNewOne() {
        String old = publishedKids("zone_dev").get(0);

        RotateResult rotated = sts.rotate("zone_dev");

        assertThat(publishedKids("zone_dev")).containsExactly(rotated.kid(), old);
        assertThat(sts.zones().get(0).kids()).containsExactly(rotated.kid(), old);
    }

    @Test
    void newKeySignsAfterRotation() {
        RotateResult rotated = sts.rotate("zone_dev");

        assertThat(Tokens.header(mint()).get("kid")).isEqualTo(rotated.kid());
    }

    @Test
    void mandatesOfBothKeysVerifyDuringTheGrace() {
        MandateVerifier verifier = verifier();
        String before = mint();
        assertThat(verifier.authenticate(before).ok()).isTrue();

        sts.rotate("zone_dev");
        clock.advance(Duration.ofSeconds(31)); // past the verifier's unknown-kid refetch cooldown
        String after = mint();

        assertThat(verifier.authenticate(after).ok()).isTrue();
        assertThat(verifier.authenticate(before).ok()).isTrue();
    }

    @Test
    void previousKeyDropsOutAfter24Hours() {
        String old = publishedKids("zone_dev").get(0);
        RotateResult rotated = sts.rotate("zone_dev");

        clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(publishedKids("zone_dev")).containsExactly(rotated.kid(), old);

        clock.advance(Duration.ofSeconds(1));
        assertThat(publishedKids("zone_dev")).containsExactly(rotated.kid());
        assertThat(sts.zones().get(0).kids()).containsExactly(rotated.kid());
    }

    @Test
    void mandateSignedByADroppedKeyNoLongerVerifies() {
        long farExp = clock.instant().plus(Duration.ofHours(25)).getEpochSecond();
        String signedByOldKey = sts.mint(MintRequest.builder().audience(AUD).overrideClaim("exp", farExp).build())
                .accessToken();
        sts.rotate("zone_dev");

        clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(verifier().authenticate(signedByOldKey).ok()).isTrue();

        clock.advance(Duration.ofSeconds(1));
        assertThat(verifier().authenticate(signedByOldKey).error().code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    @Test
    void eachRotationKeepsItsOwnGrace() {
        String first = publishedKids("zone_dev").get(0);
        String second = sts.rotate("zone_dev").kid();
        clock.advance(Duration.ofHours(12));
        String third = sts.rotate("zone_dev").kid();

        assertThat(publishedKids("zone_dev")).containsExactly(third, second, first);
        clock.advance(Duration.ofHours(12));
        assertThat(publishedKids("zone_dev")).containsExactly(third, second);
        clock.advance(Duration.ofHours(12));
        assertThat(publishedKids("zone_dev")).containsExactly(third);
    }

    @Test
    void rotatingAZoneWithoutKeysCreatesItsFirstKey() {
        Http.Answer answer = http.post("/dev/zones/zone_new/rotate", null, "");

        assertThat(answer.object()).containsEntry("previous_kid", null).containsEntry("zone_id", "zone_new");
        assertThat(publishedKids("zone_new")).containsExactly((String) answer.object().get("kid"));
    }

    @Test
    void rotationLeavesOtherZonesAlone() {
        sts.mint(MintRequest.builder().audience(AUD).zoneId("zone_b").build());
        List<String> before = publishedKids("zone_b");

        sts.rotate("zone_dev");

        assertThat(publishedKids("zone_b")).isEqualTo(before);
    }
}
