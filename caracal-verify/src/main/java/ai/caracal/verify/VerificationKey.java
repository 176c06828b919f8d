package ai.caracal.verify;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.crypto.utils.ECChecks;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * One accepted P-256 public key from a JWKS, ready to verify ES256 signatures with the chosen
 * {@link SignatureEngine}. Immutable and thread-safe.
 *
 * <p>Nimbus checks that the key's point lies on the curve; the {@link KeyVerifier} checks that the
 * signature's {@code r} and {@code s} are both in {@code [1, n-1]} (which rejects the "psychic
 * signature" of CVE-2022-21449), then the signature itself.
 */
final class VerificationKey implements KeyLookup {

    private final String kid;
    private final byte[] point;
    private final KeyVerifier verifier;
    /** This key as a finished lookup, built once so that a cache hit allocates nothing. */
    private final CompletableFuture<KeyLookup> asLookup;

    private VerificationKey(String kid, byte[] point, KeyVerifier verifier) {
        this.kid = kid;
        this.point = point;
        this.verifier = verifier;
        this.asLookup = CompletableFuture.completedFuture(this);
    }

    /**
     * @param key    a public P-256 JWK
     * @param x      the decoded 32-byte x coordinate
     * @param y      the decoded 32-byte y coordinate
     * @param engine how signatures are checked
     * @param table  whether the key may get a precomputed table (when the engine uses tables)
     * @throws JOSEException when the point is not on P-256 or the engine cannot use the key
     */
    static VerificationKey of(ECKey key, byte[] x, byte[] y, SignatureEngine engine, boolean table) throws JOSEException {
        ECPublicKey publicKey = key.toECPublicKey(engine.provider());
        if (!ECChecks.isPointOnCurve(publicKey, Curve.P_256.toECParameterSpec())) {
            throw new JOSEException("point not on P-256");
        }
        byte[] point = Arrays.copyOf(x, 64);
        System.arraycopy(y, 0, point, 32, 32);
        KeyVerifier verifier;
        try {
            verifier = engine.verifier(publicKey, x, y, table);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new JOSEException("key not usable: " + e.getClass().getSimpleName());
        }
        return new VerificationKey(key.getKeyID(), point, verifier);
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
        return verifier.verify(signed, length, signature);
    }

    /** @return completes (never exceptionally) when the key verifies at full speed (its table is built) */
    CompletableFuture<Void> ready() {
        return verifier.ready();
    }

    /** @return whether this key has a precomputed table (scheduled or built) */
    boolean hasTable() {
        return verifier.hasTable();
    }

    /** @return whether this key is the point (x, y) */
    boolean sameMaterial(byte[] x, byte[] y) {
        return Arrays.equals(point, 0, 32, x, 0, x.length) && Arrays.equals(point, 32, 64, y, 0, y.length);
    }

    /** @return whether verifications take a precomputed table now */
    boolean tableInUse() {
        return verifier.tableInUse();
    }

    /** @return whether both keys are the same curve point */
    boolean sameMaterial(VerificationKey other) {
        return other == this || Arrays.equals(point, other.point);
    }
}
