package ai.caracal.devsts;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One zone signing key: an EC P-256 key pair and its {@code kid}. Signs ES256 (JOSE raw {@code R‖S},
 * 64 bytes) and renders its public JWK. Immutable and thread-safe; {@link #toString()} shows the kid
 * only.
 */
final class SigningKey {

    /** ES256 with the signature already in the IEEE P1363 ({@code R‖S}) form JOSE uses. */
    private static final String ES256 = "SHA256withECDSAinP1363Format";
    private static final int COORDINATE_BYTES = 32;

    private final String kid;
    private final ECPrivateKey privateKey;
    private final ECPublicKey publicKey;

    private SigningKey(String kid, ECPrivateKey privateKey, ECPublicKey publicKey) {
        this.kid = kid;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** @return a new random P-256 key named {@code kid} */
    static SigningKey generate(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return new SigningKey(kid, (ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 key generation is required by every Java platform", e);
        }
    }

    /**
     * Rebuilds a key from its private half, deriving the public point, and proves the pair with a
     * sign-and-verify round trip.
     *
     * @throws GeneralSecurityException when the key is not a usable P-256 key
     */
    static SigningKey fromPrivate(String kid, ECPrivateKey privateKey) throws GeneralSecurityException {
        ECParameterSpec params = privateKey.getParams();
        ECParameterSpec p256 = p256();
        if (params.getCurve().getField().getFieldSize() != 256 || !params.getCurve().equals(p256.getCurve())
                || !params.getGenerator().equals(p256.getGenerator())) {
            throw new GeneralSecurityException("not a P-256 key");
        }
        BigInteger d = privateKey.getS();
        if (d.signum() <= 0 || d.compareTo(params.getOrder()) >= 0) {
            throw new GeneralSecurityException("private scalar out of range");
        }
        ECPublicKey publicKey = (ECPublicKey) KeyFactory.getInstance("EC")
                .generatePublic(new ECPublicKeySpec(P256.publicPoint(d, params), params));
        SigningKey key = new SigningKey(kid, privateKey, publicKey);
        byte[] probe = "caracal-dev-sts key check".getBytes(StandardCharsets.US_ASCII);
        Signature verifier = Signature.getInstance(ES256);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        if (!verifier.verify(key.sign(probe))) {
            throw new GeneralSecurityException("derived public key does not match");
        }
        return key;
    }

    private static ECParameterSpec p256() throws GeneralSecurityException {
        java.security.AlgorithmParameters parameters = java.security.AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }

    String kid() {
        return kid;
    }

    ECPrivateKey privateKey() {
        return privateKey;
    }

    /** @return the ES256 signature of {@code input}: 64 bytes, {@code R‖S} */
    byte[] sign(byte[] input) {
        try {
            Signature signer = Signature.getInstance(ES256);
            signer.initSign(privateKey);
            signer.update(input);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 signing failed", e);
        }
    }

    /** @return the public JWK members in publication order: kty, crv, use, kid, alg, x, y (never d) */
    Map<String, Object> publicJwk() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", "P-256");
        jwk.put("use", "sig");
        jwk.put("kid", kid);
        jwk.put("alg", "ES256");
        jwk.put("x", coordinate(publicKey.getW().getAffineX()));
        jwk.put("y", coordinate(publicKey.getW().getAffineY()));
        return jwk;
    }

    /** Unpadded base64url of the 32-byte big-endian value, left zero-padded. */
    static String coordinate(BigInteger value) {
        byte[] magnitude = value.toByteArray();
        byte[] fixed = new byte[COORDINATE_BYTES];
        int copy = Math.min(magnitude.length, COORDINATE_BYTES);
        System.arraycopy(magnitude, magnitude.length - copy, fixed, COORDINATE_BYTES - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + "]";
    }
}
