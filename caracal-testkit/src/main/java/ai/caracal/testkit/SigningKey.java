package ai.caracal.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;

/** An ES256 key pair with its {@code kid}; signs JOSE raw R‖S signatures. Immutable. */
final class SigningKey {

    private final String kid;
    private final KeyPair pair;
    private final ECKey publicJwk;

    private SigningKey(String kid, KeyPair pair) {
        this.kid = kid;
        this.pair = pair;
        this.publicJwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic())
                .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build();
    }

    static SigningKey generate(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new SigningKey(kid, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 key generation is required by every Java platform", e);
        }
    }

    String kid() {
        return kid;
    }

    /** @return the public JWK members: kty, crv, use, kid, alg, x, y */
    Map<String, Object> publicJwk() {
        return publicJwk.toJSONObject();
    }

    /** @return the 32-byte x coordinate */
    byte[] x() {
        return publicJwk.getX().decode();
    }

    /** @return the DER-encoded ECDSA signature of {@code input} */
    byte[] signDer(byte[] input) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(pair.getPrivate());
            signer.update(input);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the JOSE raw R‖S (64 bytes) ES256 signature of {@code input} */
    byte[] signRaw(byte[] input) {
        try {
            return ECDSA.transcodeSignatureToConcat(signDer(input), 64);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
