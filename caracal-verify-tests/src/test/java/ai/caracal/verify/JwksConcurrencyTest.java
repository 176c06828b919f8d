package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * verification.md §3.5 under load: cold fetches are single-flight and unknown-kid refetches are
 * coalesced. 200 threads wait at a start gate and call together; the JWKS answers after a short delay
 * so that every caller arrives while the fetch is in flight. Distinct tokens per thread keep the
 * verified-token cache out of the picture.
 *
 * <p>Tests that rotate a key use a zone of their own, so no test depends on another's rotation. Tagged
 * {@code slow}.
 */
@Tag("slow")
@CaracalTest(extraZones = {"zone-rotated", "zone-probed"})
@DisplayName("JWKS under concurrency (verification.md §3.5)")
class JwksConcurrencyTest {

    private static final int THREADS = 200;
    private static final Duration JWKS_DELAY = Duration.ofMillis(300);

    @Test
    @DisplayName("200 concurrent cold calls produce exactly one fetch, and all succeed")
    void concurrentColdCallsProduceOneFetch(TestIssuer issuer) throws Exception {
        MandateVerifier verifier = issuer.verifier().build();
        List<String> tokens = Stream.generate(() -> issuer.mint().sign()).limit(THREADS).toList();
        issuer.jwks().delay(JWKS_DELAY);

        List<AuthResult> results = ConcurrentCalls.run(THREADS, i -> verifier.authenticate(tokens.get(i)));

        assertThat(issuer.jwks().requests()).isEqualTo(1);
        assertThat(results).hasSize(THREADS).allSatisfy(result -> assertThat(result).isOk());
    }

    @Test
    @DisplayName("200 threads with a newly published kid after the cooldown produce exactly one refetch, and all succeed")
    void concurrentUnknownKidsAfterCooldownProduceOneRefetch(TestIssuer issuer) throws Exception {
        String zone = "zone-rotated";
        MandateVerifier verifier = issuer.verifier().zoneId(zone).build();
        assertThat(verifier.authenticate(mintIn(issuer, zone).sign())).isOk();
        issuer.rotateKey(zone);
        issuer.clock().advance(Duration.ofSeconds(31));
        List<String> newKidTokens = Stream.generate(() -> mintIn(issuer, zone).sign()).limit(THREADS).toList();
        issuer.jwks().delay(JWKS_DELAY);

        List<AuthResult> results = ConcurrentCalls.run(THREADS, i -> verifier.authenticate(newKidTokens.get(i)));

        assertThat(issuer.jwks().requests(zone)).isEqualTo(2);
        assertThat(results).hasSize(THREADS).allSatisfy(result -> assertThat(result).isOk());
    }

    @Test
    @DisplayName("200 threads probing kids that are never published, after the cooldown: exactly one refetch, all invalid_token")
    void concurrentProbeKidsAfterCooldownProduceOneRefetch(TestIssuer issuer) throws Exception {
        String zone = "zone-probed";
        MandateVerifier verifier = issuer.verifier().zoneId(zone).build();
        assertThat(verifier.authenticate(mintIn(issuer, zone).sign())).isOk();
        issuer.clock().advance(Duration.ofSeconds(31));
        List<String> probes = probes(issuer, zone);
        issuer.jwks().delay(JWKS_DELAY);

        List<AuthResult> results = ConcurrentCalls.run(THREADS, i -> verifier.authenticate(probes.get(i)));

        assertThat(issuer.jwks().requests(zone)).isEqualTo(2);
        assertThat(results).hasSize(THREADS).allSatisfy(result -> assertThat(result).failedWith(ErrorCode.INVALID_TOKEN));
    }

    @Test
    @DisplayName("a second burst of 200 probe kids within the cooldown of the first refetch makes no fetch")
    void probeKidsWithinTheCooldownMakeNoFetch(TestIssuer issuer) throws Exception {
        String zone = "zone-probed";
        MandateVerifier verifier = issuer.verifier().zoneId(zone).build();
        assertThat(verifier.authenticate(mintIn(issuer, zone).sign())).isOk();
        issuer.clock().advance(Duration.ofSeconds(31));
        List<String> firstBurst = probes(issuer, zone);
        List<String> secondBurst = probes(issuer, zone);
        ConcurrentCalls.run(THREADS, i -> verifier.authenticate(firstBurst.get(i)));
        issuer.clock().advance(Duration.ofSeconds(29));

        List<AuthResult> results = ConcurrentCalls.run(THREADS, i -> verifier.authenticate(secondBurst.get(i)));

        assertThat(issuer.jwks().requests(zone)).isEqualTo(2);
        assertThat(results).allSatisfy(result -> assertThat(result).failedWith(ErrorCode.INVALID_TOKEN));
    }

    private static List<String> probes(TestIssuer issuer, String zone) {
        return Stream.generate(() -> mintIn(issuer, zone).kid("caracal-verify-probe-" + UUID.randomUUID()).sign())
                .limit(THREADS).toList();
    }

    private static MandateBuilder mintIn(TestIssuer issuer, String zone) {
        return issuer.mint().zoneId(zone).zoneKey(zone);
    }
}
