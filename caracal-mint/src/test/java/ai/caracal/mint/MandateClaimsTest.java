package ai.caracal.mint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MandateClaimsTest {

    @Test
    void registeredClaimsAreWrittenInTheStableOrderWhateverOrderTheyWereSet() {
        MandateClaims claims = new MandateClaims()
                .put("x-extra", 1).scope("read").zoneId("z").expiresAt(20).issuedAt(10).audience(List.of("a"))
                .subject("s").issuer("i").put("another", true);

        assertThat(claims.toJson()).isEqualTo(
                "{\"iss\":\"i\",\"sub\":\"s\",\"aud\":[\"a\"],\"iat\":10,\"exp\":20,\"zone_id\":\"z\",\"scope\":\"read\","
                        + "\"x-extra\":1,\"another\":true}");
    }

    @Test
    void everyTypedSetterWritesItsRegisteredClaim() {
        MandateClaims claims = new MandateClaims()
                .delegationGraphEpoch(3).hopCount(2).delegationChain(List.of(Map.of("application_id", "app")))
                .delegationPath(List.of("e1", "e2")).targetSessionId("ts").sourceSessionId("ss").delegationEdgeId("e2")
                .agentSessionId("ag").target(List.of("t")).scope("read").rootSid("root").sid("sid").zoneId("z")
                .use("resource").subType("application").clientId("app").jti("j").expiresAt(30).notBefore(20)
                .issuedAt(10).audience(List.of("a")).subject("s").issuer("i");

        assertThat(claims.toMap().keySet()).containsExactlyElementsOf(MandateClaims.ORDER);
    }

    @Test
    void nullIsWrittenAsJsonNullAndRemoveLeavesTheClaimOut() {
        MandateClaims claims = new MandateClaims().issuer("i").subject(null).scope("read").remove("scope");

        assertThat(claims.toJson()).isEqualTo("{\"iss\":\"i\",\"sub\":null}");
        assertThat(claims.get("sub")).isNull();
    }

    @Test
    void aRegisteredClaimSetAgainKeepsItsPlaceAndTakesTheNewValue() {
        MandateClaims claims = new MandateClaims().issuer("i").subject("s").issuer("j");

        assertThat(claims.toJson()).isEqualTo("{\"iss\":\"j\",\"sub\":\"s\"}");
    }
}
