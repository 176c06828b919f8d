package ai.caracal.devsts;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** devtools.md §1.4: the JWKS body, headers and errors. */
class JwksEndpointTest {

    private DevSts sts;
    private Http http;

    @BeforeEach
    void start() {
        sts = DevSts.builder().zones("zone_dev", "zone_two").start();
        http = new Http(sts);
    }

    @AfterEach
    void stop() {
        sts.close();
    }

    @Test
    void configuredZonesHaveKeysAtStartup() {
        assertThat(sts.zones()).extracting(ZoneInfo::zoneId).containsExactly("zone_dev", "zone_two");
        assertThat(sts.zones()).allSatisfy(zone -> assertThat(zone.kids()).hasSize(1));
    }

    @Test
    void jwksHasExactlyThePublicMembersInOrder() {
        Http.Answer answer = http.get("/.well-known/jwks.json?zone_id=zone_dev");

        assertThat(answer.status()).isEqualTo(200);
        String kid = sts.zones().get(0).kids().get(0);
        assertThat(answer.raw().body()).matches(
                "\\{\"keys\":\\[\\{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"sig\",\"kid\":\"" + kid
                        + "\",\"alg\":\"ES256\",\"x\":\"[A-Za-z0-9_-]{43}\",\"y\":\"[A-Za-z0-9_-]{43}\"}]}");
    }

    @Test
    void jwksHeadersAreExact() {
        Http.Answer answer = http.get("/.well-known/jwks.json?zone_id=zone_dev");

        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("Cache-Control")).isEqualTo("public, max-age=300, must-revalidate");
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void jwksNeverContainsPrivateMembers() {
        sts.rotate("zone_dev");
        Map<String, Object> jwks = http.get("/.well-known/jwks.json?zone_id=zone_dev").object();

        for (Object key : (List<?>) jwks.get("keys")) {
            assertThat(asMap(key)).containsOnlyKeys("kty", "crv", "use", "kid", "alg", "x", "y");
        }
    }

    @Test
    void publishedCoordinatesAreThePublicKeyThatVerifiesMints() throws Exception {
        MintResponse minted = sts.mint(MintRequest.builder().audience("https://api.test").build());
        Map<?, ?> jwk = (Map<?, ?>) ((List<?>) http.get("/.well-known/jwks.json?zone_id=zone_dev").object().get("keys")).get(0);

        byte[] x = Base64.getUrlDecoder().decode((String) jwk.get("x"));
        byte[] y = Base64.getUrlDecoder().decode((String) jwk.get("y"));
        assertThat(x).hasSize(32);
        assertThat(y).hasSize(32);
        // P-256 named explicitly: the JDK's default EC key size is 256 bits on JDK 17 but 384 on JDK 25.
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        ECPublicKey reference = (ECPublicKey) generator.generateKeyPair().getPublic();
        ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), reference.getParams()));
        String[] parts = minted.accessToken().split("\\.");
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(key);
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void missingZoneIdIsInvalidRequest() {
        Http.Answer answer = http.get("/.well-known/jwks.json");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo("invalid_request");
        assertThat(answer.description()).isEqualTo("zone_id query parameter is required");
    }

    @Test
    void emptyZoneIdIsInvalidRequest() {
        assertThat(http.get("/.well-known/jwks.json?zone_id=").status()).isEqualTo(400);
    }

    @Test
    void zoneWithoutKeysIsNotFoundAndGetsNoKey() {
        Http.Answer answer = http.get("/.well-known/jwks.json?zone_id=zone_unknown");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.error()).isEqualTo("not_found");
        assertThat(sts.zones()).extracting(ZoneInfo::zoneId).doesNotContain("zone_unknown");
        assertThat(http.get("/.well-known/jwks.json?zone_id=zone_unknown").status()).isEqualTo(404);
    }

    @Test
    void zoneIdIsFormDecoded() {
        sts.mint(MintRequest.builder().audience("https://api.test").zoneId("zone a&b").build());

        assertThat(http.get("/.well-known/jwks.json?zone_id=zone+a%26b").status()).isEqualTo(200);
        assertThat(sts.jwksUri("zone a&b").toString()).endsWith("/.well-known/jwks.json?zone_id=zone+a%26b");
    }

    @Test
    void firstMintInANewZoneCreatesItsKey() {
        assertThat(http.get("/.well-known/jwks.json?zone_id=zone_late").status()).isEqualTo(404);

        MintResponse minted = sts.mint(MintRequest.builder().audience("https://api.test").zoneId("zone_late").build());

        Http.Answer answer = http.get("/.well-known/jwks.json?zone_id=zone_late");
        assertThat(answer.status()).isEqualTo(200);
        List<?> keys = (List<?>) answer.object().get("keys");
        assertThat(keys).hasSize(1);
        assertThat(((Map<?, ?>) keys.get(0)).get("kid")).isEqualTo(Tokens.header(minted.accessToken()).get("kid"));
    }

    @Test
    void eachZoneHasItsOwnKey() {
        assertThat(sts.zones().get(0).kids()).doesNotContainAnyElementsOf(sts.zones().get(1).kids());
    }

    @Test
    void kidsAreUuidV7() {
        String kid = sts.zones().get(0).kids().get(0);

        assertThat(UuidV7.timestampOf(kid)).isPositive();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }
}
