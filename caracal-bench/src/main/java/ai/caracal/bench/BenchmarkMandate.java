package ai.caracal.bench;

import ai.caracal.testkit.TestIssuer;
import com.nimbusds.jose.jwk.ECKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * One realistic agent mandate (about 700 bytes) from a {@link TestIssuer} on loopback, minted at the
 * current time so every verifier under comparison accepts it with its own clock.
 */
final class BenchmarkMandate implements AutoCloseable {

    static final String ZONE = "zone_bench";
    static final String AUDIENCE = "resource://documents";

    final TestIssuer issuer;
    final String token;

    BenchmarkMandate() {
        issuer = TestIssuer.start(ZONE, AUDIENCE);
        issuer.clock().set(Instant.now());
        token = issuer.mint().scope("tool:call").agentSession().expiresIn(Duration.ofHours(1)).sign();
    }

    /** @return the signing key's public half, through the given provider's key factory */
    ECPublicKey publicKey(java.security.Provider provider) {
        try {
            return ECKey.parse(issuer.publicJwk(ZONE)).toECPublicKey(provider);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the JOSE R‖S signature bytes */
    byte[] rawSignature() {
        return Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
    }

    /** @return the signing input bytes */
    byte[] signingInput() {
        return token.substring(0, token.lastIndexOf('.')).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        issuer.close();
    }
}
