package ai.caracal.verify;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, once per process, how ES256 signatures are verified. With BouncyCastle on the classpath (a
 * default dependency): Caracal's precomputed tables on BouncyCastle's P-256 arithmetic
 * ({@link TableKeyVerifier}); when a healthy native provider is also present (Amazon Corretto Crypto
 * Provider, then Conscrypt), the tables race it once in the background and the faster one verifies, the
 * native provider until then; without one, BouncyCastle's provider verifies while a key's table is built.
 * Without BouncyCastle: the native provider, else the JDK default. Providers are used by instance and are
 * never inserted into or reordered in the global JCA provider list.
 *
 * <p>The system property {@value #PROPERTY} overrides the choice: {@code accp}, {@code conscrypt},
 * {@code tables}, {@code bc} (BouncyCastle's plain provider, no tables) or {@code jdk}. A named provider
 * that is missing or unhealthy is a configuration error.
 */
final class SignatureProviders {

    static final String PROPERTY = "caracal.crypto.provider";

    private static final Logger log = LoggerFactory.getLogger(SignatureProviders.class);

    private SignatureProviders() {
    }

    /** @return the process-wide choice */
    static SignatureEngine selected() {
        return Holder.SELECTED;
    }

    private static final class Holder {
        static final SignatureEngine SELECTED = choose(System.getProperty(PROPERTY));
    }

    /**
     * @param override the value of {@value #PROPERTY}; {@code null} or blank for the automatic choice
     * @return the engine
     * @throws IllegalStateException when {@code override} names an engine that is missing or unhealthy
     */
    static SignatureEngine choose(String override) {
        SignatureEngine chosen;
        if (override != null && !override.isBlank()) {
            String name = override.trim().toLowerCase(Locale.ROOT);
            chosen = named(name).orElseThrow(() -> new IllegalStateException(
                    "System property " + PROPERTY + "=" + override + " names a provider that is not available or not healthy"
                            + " (use accp, conscrypt, tables, bc or jdk)"));
        } else {
            Optional<Provider> nativeProvider = healthy("accp").or(() -> healthy("conscrypt"));
            Optional<Provider> bouncyCastle = healthy("bc");
            if (bouncyCastle.isPresent()) {
                chosen = nativeProvider.map(SignatureEngine::racing).orElseGet(() -> SignatureEngine.tables(bouncyCastle.get()));
            } else {
                chosen = nativeProvider.map(SignatureEngine::plain).orElseGet(() -> SignatureEngine.plain(null));
            }
        }
        log.info("Caracal ES256 signatures: {}", chosen.describe());
        return chosen;
    }

    private static Optional<SignatureEngine> named(String name) {
        switch (name) {
            case "jdk":
                return Optional.of(SignatureEngine.plain(null));
            case "tables":
                return healthy("bc").map(SignatureEngine::tables);
            default:
                return healthy(name).map(SignatureEngine::plain);
        }
    }

    private static Optional<Provider> healthy(String name) {
        return load(name).filter(SignatureProviders::isHealthy);
    }

    private static Optional<Provider> load(String name) {
        try {
            switch (name) {
                case "accp":
                    return Optional.of((Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
                            .getField("INSTANCE").get(null));
                case "conscrypt":
                    return Optional.of((Provider) Class.forName("org.conscrypt.Conscrypt").getMethod("newProvider").invoke(null));
                case "bc":
                case "bouncycastle":
                    return Optional.of((Provider) Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider")
                            .getConstructor().newInstance());
                default:
                    return Optional.empty();
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            log.debug("ES256 provider {} not available: {}", name, e.toString());
            return Optional.empty();
        }
    }

    /** Signs with the JDK and checks that the candidate accepts the signature and rejects a tampered one. */
    private static boolean isHealthy(Provider candidate) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            byte[] message = "caracal-provider-self-test".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(pair.getPrivate());
            signer.update(message);
            byte[] signature = signer.sign();

            PublicKey key = KeyFactory.getInstance("EC", candidate)
                    .generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded()));
            Signature verifier = Signature.getInstance("SHA256withECDSA", candidate);
            verifier.initVerify(key);
            verifier.update(message);
            boolean accepts = verifier.verify(signature);
            message[0] ^= 1;
            verifier.initVerify(key);
            verifier.update(message);
            boolean rejectsTampered = !verifier.verify(signature);
            return accepts && rejectsTampered;
        } catch (Exception | LinkageError e) {
            log.debug("ES256 provider {} failed its self-test: {}", candidate.getName(), e.toString());
            return false;
        }
    }
}
