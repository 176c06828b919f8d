package ai.caracal.mint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Es256KeyTest {

    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    @Test
    void signedMandateHasTheTokenHeaderAndVerifiesWithThePublishedJwk() throws Exception {
        Es256Key key = Es256Key.generate("k1");
        String token = key.sign(new MandateClaims().issuer("https://sts.example").subject("app-1"));

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(new String(BASE64URL.decode(parts[0]), StandardCharsets.UTF_8))
                .isEqualTo("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
        assertThat(new String(BASE64URL.decode(parts[1]), StandardCharsets.UTF_8))
                .isEqualTo("{\"iss\":\"https://sts.example\",\"sub\":\"app-1\"}");
        byte[] signature = BASE64URL.decode(parts[2]);
        assertThat(signature).hasSize(64);
        assertThat(verifies(key.publicJwk(), (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature))
                .isTrue();
    }

    @Test
    void publicJwkHasTheMembersInPublicationOrderAndNoPrivatePart() {
        Map<String, Object> jwk = Es256Key.generate("k9").publicJwk();

        assertThat(jwk.keySet()).containsExactly("kty", "crv", "use", "kid", "alg", "x", "y");
        assertThat(jwk).containsEntry("kty", "EC").containsEntry("crv", "P-256").containsEntry("use", "sig")
                .containsEntry("kid", "k9").containsEntry("alg", "ES256");
        assertThat(BASE64URL.decode((String) jwk.get("x"))).hasSize(32);
        assertThat(BASE64URL.decode((String) jwk.get("y"))).hasSize(32);
    }

    @Test
    void coordinatesAreLeftZeroPaddedTo32Bytes() {
        assertThat(BASE64URL.decode(Es256Key.coordinate(BigInteger.ONE))).hasSize(32).endsWith(1).startsWith(0, 0, 0);
        assertThat(Es256Key.coordinate(BigInteger.ONE.shiftLeft(255))).hasSize(43);
    }

    @Test
    void derSignatureIsTheAsn1FormOfAValidSignature() throws Exception {
        Es256Key key = Es256Key.generate("k1");
        byte[] input = "input".getBytes(StandardCharsets.US_ASCII);

        byte[] der = key.signDer(input);

        assertThat(der[0]).isEqualTo((byte) 0x30);
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey(key.publicJwk()));
        verifier.update(input);
        assertThat(verifier.verify(der)).isTrue();
    }

    @Test
    void keyRebuiltFromItsPrivateHalfHasTheSamePublicKey() throws Exception {
        Es256Key key = Es256Key.generate("k1");

        Es256Key rebuilt = Es256Key.fromPrivate("k1", key.privateKey());

        assertThat(rebuilt.publicJwk()).isEqualTo(key.publicJwk());
        byte[] input = "x".getBytes(StandardCharsets.US_ASCII);
        assertThat(verifies(key.publicJwk(), input, rebuilt.sign(input))).isTrue();
    }

    @Test
    void privateKeyOnAnotherCurveIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        ECPrivateKey p384 = (ECPrivateKey) generator.generateKeyPair().getPrivate();

        assertThatThrownBy(() -> Es256Key.fromPrivate("k1", p384))
                .isInstanceOf(GeneralSecurityException.class).hasMessage("not a P-256 key");
    }

    @Test
    void toStringShowsTheKidOnly() {
        assertThat(Es256Key.generate("k1")).hasToString("Es256Key[kid=k1]");
    }

    @Test
    void headerIsAlgTypKidInThatOrder() {
        assertThat(Json.write(Jws.header("k1"))).isEqualTo("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
        assertThat(List.copyOf(Jws.header(null).keySet())).containsExactly("alg", "typ", "kid");
    }

    private static boolean verifies(Map<String, Object> jwk, byte[] input, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(publicKey(jwk));
        verifier.update(input);
        return verifier.verify(signature);
    }

    private static ECPublicKey publicKey(Map<String, Object> jwk) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey reference = (ECPublicKey) generator.generateKeyPair().getPublic();
        ECPoint point = new ECPoint(new BigInteger(1, BASE64URL.decode((String) jwk.get("x"))),
                new BigInteger(1, BASE64URL.decode((String) jwk.get("y"))));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, reference.getParams()));
    }
}
