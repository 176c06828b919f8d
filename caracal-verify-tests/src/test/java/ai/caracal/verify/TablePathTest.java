package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import org.junit.jupiter.api.Test;

/**
 * The specification tests of this module verify signatures through the precomputed tables: the default
 * engine (BouncyCastle on the class path, no native provider) uses them, and {@link TablesAtKeyLoadExtension}
 * has every key carry its built table when its key set is published.
 */
@CaracalTest
class TablePathTest {

    @Test
    void verificationsOfThisModuleTakeTheTables(TestIssuer issuer) throws InvalidMandate {
        JwksCache cache = JwksCache.builder().clock(issuer.clock()).build();
        MandateVerifier verifier = MandateVerifier.builder()
                .issuer(issuer.url()).audience(issuer.audience()).zoneId(issuer.zone())
                .revocations(issuer.revocations()).clock(issuer.clock())
                .jwksCache(cache)
                .build();
        String token = issuer.mint().sign();
        assertThat(verifier.authenticate(token).ok()).isTrue();

        KeyLookup key = cache.source(issuer.jwksUrl()).lookupBlocking(CompactJws.parse(token).kid());
        assertThat(key).isInstanceOf(VerificationKey.class);
        assertThat(((VerificationKey) key).tableInUse()).isTrue();
    }
}
