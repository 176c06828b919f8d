package ai.caracal.verify;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.crypto.utils.ECChecks;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * One accepted P-256 public key from a JWKS, ready to verify ES256 signatures with the chosen provider.
 * Immutable and thread-safe.
 *
 * <p>Nimbus does the JOSE parts: the point-on-curve check of the key, the range check of the
 * signature's {@code r} and {@code s} (both in {@code [1, n-1]}, which rejects the "psychic signature"
 * of CVE-2022-21449) and the R‖S to DER transcoding. The signature itself is checked by the provider
 * through a per-thread {@link Signature}, so the hot path makes no provider look-up.
 */
final class VerificationKey implements KeyLookup {

    private static final String ALGORITHM = "SHA256withECDSA";

    private final String kid;
    private final byte[] point;
    private final ECPublicKey publicKey;
    private final ThreadLocal<Signature> verifiers;
    /** This key as a finished lookup, built once so that a cache hit allocates nothing. */
    private final CompletableFuture<KeyLookup> asLookup;

    private VerificationKey(String kid, byte[] point, ECPublicKey publicKey, Provider provider) {
        this.kid = kid;
        this.point = point;
        this.publicKey = publicKey;
        this.verifiers = ThreadLocal.withInitial(() -> newSignature(provider));
        this.asLookup = CompletableFuture.completedFuture(this);
    }

    /**
     * @param key      a public P-256 JWK whose point Nimbus already checked to lie on the curve
     * @param x        the decoded 32-byte x coordinate
     * @param y        the decoded 32-byte y coordinate
     * @param provider the signature provider; {@code null} for the JDK default
     */
    static VerificationKey of(ECKey key, byte[] x, byte[] y, Provider provider) throws JOSEException {
        ECPublicKey publicKey = key.toECPublicKey(provider);
        if (!ECChecks.isPointOnCurve(publicKey, Curve.P_256.toECParameterSpec())) {
            throw new JOSEException("point not on P-256");
        }
        newSignature(provider);
        byte[] point = Arrays.copyOf(x, 64);
        System.arraycopy(y, 0, point, 32, 32);
        return new VerificationKey(key.getKeyID(), point, publicKey, provider);
    }

    String kid() {
        return kid;
    }

    /** @return a completed lookup answering this key; shared, never to be completed or obtruded */
    CompletableFuture<KeyLookup> asLookup() {
        return asLookup;
    }

    /**
     * @param signed    the bytes whose first {@code length} bytes are the signing input
     *                  (ASCII of {@code header "." payload})
     * @param length    how many bytes of {@code signed} were signed
     * @param signature the JOSE R‖S signature, 64 bytes
     * @return whether the signature is valid; malformed or out-of-range signatures are invalid
     */
    boolean verify(byte[] signed, int length, byte[] signature) {
        try {
            ECDSA.ensureLegalSignature(signature, JWSAlgorithm.ES256);
            Signature verifier = verifiers.get();
            verifier.initVerify(publicKey);
            verifier.update(signed, 0, length);
            return verifier.verify(ECDSA.transcodeSignatureToDER(signature));
        } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** @return whether both keys are the same curve point */
    boolean sameMaterial(VerificationKey other) {
        return other == this || Arrays.equals(point, other.point);
    }

    private static Signature newSignature(Provider provider) {
        try {
            return provider == null ? Signature.getInstance(ALGORITHM) : Signature.getInstance(ALGORITHM, provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the signature provider does not implement " + ALGORITHM, e);
        }
    }
}
