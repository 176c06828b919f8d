package ai.caracal.testkit.attacks;

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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attacker's own key material, generated once per JVM: a P-256 key (the one published by
 * {@link AttackerOrigin} and embedded in {@code jwk} headers), and keys of the algorithms a verifier
 * must never accept. Thread-safe.
 */
final class AttackerKeys {

    /** The kid the attacker publishes its P-256 key under when it does not reuse the victim's. */
    static final String ATTACKER_KID = "attacker-1";

    private AttackerKeys() {
    }

    /** @return the attacker's P-256 key pair */
    static KeyPair p256() {
        return Holder.P256;
    }

    /** @return the JOSE R‖S ES256 signature of {@code input} by the attacker's P-256 key */
    static byte[] es256(byte[] input) {
        return ecdsa(Holder.P256, "SHA256withECDSA", input, 64);
    }

    /** @return an ES384 (P-384, 96-byte R‖S) signature by an attacker key */
    static byte[] es384(byte[] input) {
        return ecdsa(Holder.P384, "SHA384withECDSA", input, 96);
    }

    /** @return an ES512 (P-521, 132-byte R‖S) signature by an attacker key */
    static byte[] es512(byte[] input) {
        return ecdsa(Holder.P521, "SHA512withECDSA", input, 132);
    }

    /** @return an RS256 (RSA-2048 PKCS#1 v1.5) signature by an attacker key */
    static byte[] rs256(byte[] input) {
        return sign(Holder.RSA, "SHA256withRSA", input);
    }

    /** @return an Ed25519 signature (64 bytes, the length of an ES256 signature) by an attacker key */
    static byte[] ed25519(byte[] input) {
        return sign(Holder.ED25519, "Ed25519", input);
    }

    /**
     * @param kid the kid to publish under
     * @return the attacker's P-256 public JWK members
     */
    static Map<String, Object> publicJwk(String kid) {
        return new LinkedHashMap<>(new ECKey.Builder(Curve.P_256, (ECPublicKey) Holder.P256.getPublic())
                .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build().toJSONObject());
    }

    private static byte[] ecdsa(KeyPair pair, String algorithm, byte[] input, int rawLength) {
        try {
            return ECDSA.transcodeSignatureToConcat(sign(pair, algorithm, input), rawLength);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sign(KeyPair pair, String algorithm, byte[] input) {
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(pair.getPrivate());
            signer.update(input);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is required by every Java 17 platform", e);
        }
    }

    /** Lazy: RSA key generation costs real time, and only some cases need these keys. */
    private static final class Holder {
        static final KeyPair P256 = ec("secp256r1");
        static final KeyPair P384 = ec("secp384r1");
        static final KeyPair P521 = ec("secp521r1");
        static final KeyPair RSA = generate("RSA", 2048);
        static final KeyPair ED25519 = generate("Ed25519", 0);

        private static KeyPair ec(String curve) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec(curve));
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(curve + " is required by every Java 17 platform", e);
            }
        }

        private static KeyPair generate(String algorithm, int size) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
                if (size > 0) {
                    generator.initialize(size);
                }
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(algorithm + " is required by every Java 17 platform", e);
            }
        }
    }
}
