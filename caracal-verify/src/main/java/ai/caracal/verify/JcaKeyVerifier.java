package ai.caracal.verify;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.impl.ECDSA;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.concurrent.CompletableFuture;

/**
 * ES256 through a JCA provider's {@code SHA256withECDSA}. Nimbus checks that {@code r} and {@code s}
 * are in {@code [1, n-1]} (which rejects the "psychic signature" of CVE-2022-21449) and transcodes R‖S
 * to DER. Each thread keeps its own {@link Signature}, initialised once for this key, so the hot path
 * makes no provider look-up and no key conversion.
 */
final class JcaKeyVerifier implements KeyVerifier {

    private static final String ALGORITHM = "SHA256withECDSA";
    private static final CompletableFuture<Void> READY = CompletableFuture.completedFuture(null);

    private final ThreadLocal<Signature> verifiers;

    /**
     * @param publicKey the key, already checked to lie on P-256
     * @param provider  the provider; {@code null} for the JDK default
     * @throws IllegalStateException when the provider cannot verify with this key
     */
    JcaKeyVerifier(ECPublicKey publicKey, Provider provider) {
        initialised(newSignature(provider), publicKey);
        this.verifiers = ThreadLocal.withInitial(() -> initialised(newSignature(provider), publicKey));
    }

    @Override
    public boolean verify(byte[] signed, int length, byte[] signature) {
        try {
            ECDSA.ensureLegalSignature(signature, JWSAlgorithm.ES256);
            byte[] der = ECDSA.transcodeSignatureToDER(signature);
            // verify() leaves the Signature initialised for the same key, ready for the next call
            Signature verifier = verifiers.get();
            try {
                verifier.update(signed, 0, length);
                return verifier.verify(der);
            } catch (GeneralSecurityException | RuntimeException e) {
                verifiers.remove();
                return false;
            }
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public CompletableFuture<Void> ready() {
        return READY;
    }

    @Override
    public boolean hasTable() {
        return false;
    }

    @Override
    public boolean tableInUse() {
        return false;
    }

    private static Signature initialised(Signature signature, ECPublicKey publicKey) {
        try {
            signature.initVerify(publicKey);
            return signature;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the signature provider rejects the key", e);
        }
    }

    static Signature newSignature(Provider provider) {
        try {
            return provider == null ? Signature.getInstance(ALGORITHM) : Signature.getInstance(ALGORITHM, provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the signature provider does not implement " + ALGORITHM, e);
        }
    }
}
