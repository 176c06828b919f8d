package ai.caracal.verify;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.security.Provider;
import java.util.Arrays;

/**
 * One accepted P-256 public key from a JWKS, ready to verify ES256 signatures with the chosen provider.
 * Immutable and thread-safe.
 */
final class VerificationKey {

    // Nimbus checks the algorithm against the header; the real header was already checked by CompactJws.
    private static final JWSHeader ES256 = new JWSHeader(JWSAlgorithm.ES256);

    private final String kid;
    private final byte[] point;
    private final ECDSAVerifier verifier;

    private VerificationKey(String kid, byte[] point, ECDSAVerifier verifier) {
        this.kid = kid;
        this.point = point;
        this.verifier = verifier;
    }

    /**
     * @param key      a public P-256 JWK whose point Nimbus already checked to lie on the curve
     * @param x        the decoded 32-byte x coordinate
     * @param y        the decoded 32-byte y coordinate
     * @param provider the signature provider; {@code null} for the JDK default
     */
    static VerificationKey of(ECKey key, byte[] x, byte[] y, Provider provider) throws JOSEException {
        ECDSAVerifier verifier = new ECDSAVerifier(key.toECPublicKey(provider));
        if (provider != null) {
            verifier.getJCAContext().setProvider(provider);
        }
        byte[] point = Arrays.copyOf(x, 64);
        System.arraycopy(y, 0, point, 32, 32);
        return new VerificationKey(key.getKeyID(), point, verifier);
    }

    String kid() {
        return kid;
    }

    /**
     * @param signingInput ASCII of {@code header "." payload}
     * @param signature    the base64url signature segment (R‖S, 64 bytes once decoded)
     * @return whether the signature is valid; malformed or out-of-range signatures are invalid
     */
    boolean verify(byte[] signingInput, String signature) {
        try {
            return verifier.verify(ES256, signingInput, new Base64URL(signature));
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }

    /** @return whether both keys are the same curve point */
    boolean sameMaterial(VerificationKey other) {
        return other == this || Arrays.equals(point, other.point);
    }
}
