package ai.caracal.mint;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One mandate signing key: an EC P-256 key pair and its {@code kid}. Signs ES256 with the JOSE raw
 * {@code R‖S} signature (64 bytes, IEEE P1363), signs whole mandates ({@link #sign(MandateClaims)}), and
 * renders its public JWK. Immutable and thread-safe; {@link #toString()} shows the kid only, never key
 * material.
 */
public final class Es256Key {

    /** ES256 with the signature already in the IEEE P1363 ({@code R‖S}) form JOSE uses. */
    private static final String ES256 = "SHA256withECDSAinP1363Format";
    private static final int COORDINATE_BYTES = 32;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final String kid;
    private final ECPrivateKey privateKey;
    private final ECPublicKey publicKey;

    private Es256Key(String kid, ECPrivateKey privateKey, ECPublicKey publicKey) {
        this.kid = Objects.requireNonNull(kid, "kid");
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /**
     * @param kid the key's name, published as the JWK {@code kid} and put in each token header; not null
     * @return a new random P-256 key
     */
    public static Es256Key generate(String kid) {
        Objects.requireNonNull(kid, "kid");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return new Es256Key(kid, (ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 key generation is required by every Java platform", e);
        }
    }

    /**
     * Rebuilds a key from its private half (a PKCS#8 file carries no public key), deriving the public
     * point, and proves the pair with a sign-and-verify round trip.
     *
     * @param kid        the key's name; not null
     * @param privateKey the private key; not null
     * @return the key
     * @throws GeneralSecurityException when the key is not a usable P-256 key
     */
    public static Es256Key fromPrivate(String kid, ECPrivateKey privateKey) throws GeneralSecurityException {
        Objects.requireNonNull(kid, "kid");
        ECParameterSpec params = Objects.requireNonNull(privateKey, "privateKey").getParams();
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
        Es256Key key = new Es256Key(kid, privateKey, publicKey);
        byte[] probe = "caracal-mint key check".getBytes(StandardCharsets.US_ASCII);
        Signature verifier = Signature.getInstance(ES256);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        if (!verifier.verify(key.sign(probe))) {
            throw new GeneralSecurityException("derived public key does not match");
        }
        return key;
    }

    private static ECParameterSpec p256() throws GeneralSecurityException {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }

    /** @return the key's name */
    public String kid() {
        return kid;
    }

    /** @return the private key, for persisting it (the dev STS's key files); handle with care */
    public ECPrivateKey privateKey() {
        return privateKey;
    }

    /**
     * Signs a mandate as a compact JWS with the header {@link Jws#header(String) {"alg":"ES256","typ":"JWT","kid":…}}.
     * The token is not logged.
     *
     * @param claims the payload; not null
     * @return the compact JWS {@code header.payload.signature}
     */
    public String sign(MandateClaims claims) {
        byte[] header = Json.write(Jws.header(kid)).getBytes(StandardCharsets.UTF_8);
        byte[] payload = claims.toJson().getBytes(StandardCharsets.UTF_8);
        String signingInput = Jws.signingInput(header, payload);
        return signingInput + "." + Jws.base64Url(sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * @param input the bytes to sign (for a JWS, the ASCII signing input); not null
     * @return the ES256 signature: 64 bytes, {@code R‖S}
     */
    public byte[] sign(byte[] input) {
        return sign(ES256, input);
    }

    /**
     * @param input the bytes to sign; not null
     * @return the ECDSA P-256 / SHA-256 signature in its ASN.1 DER form, which JOSE does not accept (for
     *         negative tests)
     */
    public byte[] signDer(byte[] input) {
        return sign("SHA256withECDSA", input);
    }

    private byte[] sign(String algorithm, byte[] input) {
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(input);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " signing failed", e);
        }
    }

    /**
     * @return a new modifiable map of the public JWK members in publication order: kty, crv, use, kid,
     *         alg, x, y (never {@code d}); {@code x} and {@code y} are unpadded base64url of the 32-byte
     *         big-endian coordinates, left zero-padded
     */
    public Map<String, Object> publicJwk() {
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
        return BASE64URL.encodeToString(fixed);
    }

    @Override
    public String toString() {
        return "Es256Key[kid=" + kid + "]";
    }
}
