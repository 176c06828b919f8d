package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.TestJson;
import ai.caracal.testkit.logging.LogCapture;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * verification.md §3 and §12.2 (V27–V56): the JWKS URL, the fetch rules, key acceptance, the cache
 * and refresh rules, and the issuer URL rules. The verifier is the §12 baseline
 * ({@code issuer.verifier()}, a private key cache on the test clock) unless a test says otherwise.
 *
 * <p>Tests that rotate a key use a zone of their own ({@code zone-v44}, …), so the primary zone's key
 * set stays exactly {@code [k1]} for every other test in the class.
 */
@CaracalTest(extraZones = {"zone-2", "zone-v44", "zone-v46", "zone-v47", "zone-v48"})
@DisplayName("JWKS (verification.md §3, V27–V56)")
class JwksTest {

    private static final String AUDIENCE = "https://api.test";

    // ---- §3.1 URL: V27–V29 ------------------------------------------------------------------------

    @Test
    @DisplayName("V27 issuer https://issuer-one.example/ with zone zone1: GET https://issuer-one.example/.well-known/jwks.json?zone_id=zone1")
    void jwksUrlDropsTrailingSlashAndCarriesZone(TestIssuer issuer) {
        MandateVerifier verifier = MandateVerifier.builder().issuer("https://issuer-one.example/").audience(AUDIENCE)
                .zoneId("zone1").revocations(issuer.revocations()).build();

        assertThat(verifier.options().jwksUri())
                .isEqualTo(URI.create("https://issuer-one.example/.well-known/jwks.json?zone_id=zone1"));
    }

    @Test
    @DisplayName("V27 an issuer configured with a trailing slash fetches /.well-known/jwks.json?zone_id=zone-1 from its host")
    void trailingSlashIssuerFetchesTheNormalisedUrl(TestIssuer issuer) {
        String issuerWithSlash = issuer.url() + "/";
        MandateVerifier verifier = issuer.verifier().issuer(issuerWithSlash).build();

        assertThat(verifier.authenticate(issuer.mint().claim("iss", issuerWithSlash).sign())).isOk();
        assertThat(issuer.jwks().requests(issuer.zone())).isEqualTo(1);
    }

    @Test
    @DisplayName("V28 issuer https://issuer-one.example/ without zone: GET https://issuer-one.example/.well-known/jwks.json, one WARN at build")
    void noZoneUsesZonelessUrlAndWarnsOnce(TestIssuer issuer) {
        MandateVerifier verifier;
        long warnings;
        try (LogCapture log = LogCapture.of("ai.caracal.verify")) {
            verifier = MandateVerifier.builder().issuer("https://issuer-one.example/").audience(AUDIENCE)
                    .revocations(issuer.revocations()).build();
            warnings = log.warnings().size();
        }

        assertThat(verifier.options().jwksUri()).isEqualTo(URI.create("https://issuer-one.example/.well-known/jwks.json"));
        assertThat(warnings).isEqualTo(1);
    }

    @Test
    @DisplayName("V28 contrast: a verifier with a zone logs no WARN at build")
    void zoneConfiguredBuildsWithoutWarning(TestIssuer issuer) {
        try (LogCapture log = LogCapture.of("ai.caracal.verify")) {
            issuer.verifier().build();

            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    @DisplayName("V28 a verifier without zone fetches the zone-less URL (no zone_id parameter)")
    void noZoneFetchesWithoutZoneParameter(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().zoneId(null).build();

        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        assertThat(issuer.jwks().requests(null)).isEqualTo(1);
        assertThat(issuer.jwks().requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("V29 zone 'zone a&b': query zone_id=zone+a%26b")
    void zoneIsFormEncoded(TestIssuer issuer) {
        MandateVerifier verifier = MandateVerifier.builder().issuer("https://issuer-one.example").audience(AUDIENCE)
                .zoneId("zone a&b").revocations(issuer.revocations()).build();

        assertThat(verifier.options().jwksUri().getRawQuery()).isEqualTo("zone_id=zone+a%26b");
    }

    // ---- §3.5 one entry per (issuer, zone): V30–V32 --------------------------------------------------

    @Test
    @DisplayName("V30 two verifications, same issuer and zone: 1 fetch")
    void twoVerificationsShareOneFetch(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();

        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        assertThat(issuer.jwks().requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("V30 two verifiers sharing one cache, same issuer and zone: 1 fetch")
    void verifiersSharingACacheShareOneFetch(TestIssuer issuer) {
        JwksCache cache = JwksCache.builder().clock(issuer.clock()).build();
        MandateVerifier first = sharingCache(issuer, issuer.zone(), cache);
        MandateVerifier second = sharingCache(issuer, issuer.zone(), cache);

        assertThat(first.authenticate(issuer.mint().sign())).isOk();
        assertThat(second.authenticate(issuer.mint().sign())).isOk();
        assertThat(issuer.jwks().requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("V31 zone zone-1 then zone-2 (one shared cache): 2 fetches, one per zone")
    void eachZoneHasItsOwnEntry(TestIssuer issuer) {
        JwksCache cache = JwksCache.builder().clock(issuer.clock()).build();
        MandateVerifier zone1 = sharingCache(issuer, "zone-1", cache);
        MandateVerifier zone2 = sharingCache(issuer, "zone-2", cache);

        assertThat(zone1.authenticate(issuer.mint().sign())).isOk();
        assertThat(zone2.authenticate(mintIn(issuer, "zone-2").sign())).isOk();
        assertThat(issuer.jwks().requests("zone-1")).isEqualTo(1);
        assertThat(issuer.jwks().requests("zone-2")).isEqualTo(1);
        assertThat(issuer.jwks().requests()).isEqualTo(2);
    }

    @Test
    @DisplayName("V32 10 concurrent cold calls: 1 fetch, all 10 ok")
    void concurrentColdCallsShareOneFetch(TestIssuer issuer) throws Exception {
        MandateVerifier verifier = issuer.verifier().build();
        List<String> tokens = Stream.generate(() -> issuer.mint().sign()).limit(10).toList();
        issuer.jwks().delay(Duration.ofMillis(200));

        List<AuthResult> results = ConcurrentCalls.run(10, i -> verifier.authenticate(tokens.get(i)));

        assertThat(results).hasSize(10).allSatisfy(result -> assertThat(result).isOk());
        assertThat(issuer.jwks().requests()).isEqualTo(1);
    }

    // ---- §3.3 fetch: V33–V39 -----------------------------------------------------------------------

    @Test
    @DisplayName("V33 JWKS 503: invalid_token; calls within the failure back-off fail at once, the next call after it fetches again")
    void failedFetchIsNotCached(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        issuer.jwks().failWith(503);

        AuthResult first = verifier.authenticate(issuer.mint().sign());
        assertThat(first).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(first.cause()).isEqualTo(Cause.KEYS_UNAVAILABLE);
        assertThat(issuer.jwks().requests()).isEqualTo(1);
        issuer.clock().advance(Duration.ofMillis(249));
        assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(issuer.jwks().requests()).isEqualTo(1);
        issuer.clock().advance(Duration.ofMillis(1));
        assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(issuer.jwks().requests()).isEqualTo(2);
    }

    @Test
    @DisplayName("V33/V128 once the JWKS answers again after a 503, the first call after the back-off fetches and succeeds")
    void nextCallAfterFailedFetchRecovers(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        issuer.jwks().failWith(503);
        assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
        issuer.jwks().reset();

        assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(issuer.jwks().requests()).isZero();
        issuer.clock().advance(JwksCache.DEFAULT_FAILURE_BACKOFF);
        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        assertThat(issuer.jwks().requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("V127 8 threads calling back to back against a failing cold JWKS: one request per back-off period (250 ms doubling to 5 s), never two in flight")
    void failingJwksIsAskedOncePerBackoffPeriod(TestIssuer issuer) throws Exception {
        MandateVerifier verifier = issuer.verifier().build();
        issuer.jwks().failWith(500);
        List<String> tokens = Stream.generate(() -> issuer.mint().sign()).limit(8).toList();
        long[] backoffs = {250, 500, 1_000, 2_000, 4_000, 5_000, 5_000};

        int expected = 1;
        assertThat(allRejectedAsUnavailable(verifier, tokens)).isTrue();
        assertThat(issuer.jwks().requests()).isEqualTo(expected);
        for (long backoff : backoffs) {
            issuer.clock().advance(Duration.ofMillis(backoff - 1));
            assertThat(allRejectedAsUnavailable(verifier, tokens)).isTrue();
            assertThat(issuer.jwks().requests()).as("inside a %d ms back-off", backoff).isEqualTo(expected);
            issuer.clock().advance(Duration.ofMillis(1));
            assertThat(allRejectedAsUnavailable(verifier, tokens)).isTrue();
            assertThat(issuer.jwks().requests()).as("after a %d ms back-off", backoff).isEqualTo(++expected);
        }
        assertThat(issuer.jwks().maxConcurrentRequests()).isEqualTo(1);
    }

    @Test
    @DisplayName("V128 the endpoint recovers: the first call after the current back-off fetches and succeeds, and a later failure backs off from 250 ms again")
    void recoveryEndsTheBackoffAndResetsIt(TestIssuer issuer) throws Exception {
        MandateVerifier verifier = issuer.verifier().jwksTtl(Duration.ofSeconds(1)).jwksMaxStale(Duration.ofSeconds(1)).build();
        issuer.jwks().failWith(503);
        for (long backoff : new long[] {0, 250, 500, 1_000}) {
            issuer.clock().advance(Duration.ofMillis(backoff));
            assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
        }
        assertThat(issuer.jwks().requests()).isEqualTo(4);   // the current back-off is now 2 s
        issuer.jwks().reset();

        issuer.clock().advance(Duration.ofMillis(1_999));
        assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(issuer.jwks().requests()).isZero();
        issuer.clock().advance(Duration.ofMillis(1));
        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        assertThat(issuer.jwks().requests()).isEqualTo(1);

        issuer.jwks().failWith(503);
        issuer.clock().advance(Duration.ofSeconds(1));     // the set expires: the next call must fetch
        assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
        issuer.clock().advance(Duration.ofMillis(250));
        assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(issuer.jwks().requests()).isEqualTo(3);
    }

    /** One call per token on its own thread, all released together; whether each was keys_unavailable. */
    private static boolean allRejectedAsUnavailable(MandateVerifier verifier, List<String> tokens) throws Exception {
        List<AuthResult> results = ConcurrentCalls.run(tokens.size(), i -> verifier.authenticate(tokens.get(i)));
        return results.stream().allMatch(r -> !r.ok() && r.cause() == Cause.KEYS_UNAVAILABLE);
    }

    @ParameterizedTest(name = "V33 JWKS status {0} with a valid document: invalid_token (only 200 is accepted)")
    @ValueSource(ints = {201, 203, 206})
    void onlyStatus200IsAccepted(int status, TestIssuer issuer) {
        String document = TestJson.jwks(issuer.publicJwk(issuer.zone()));
        try (StubHttpServer server = StubHttpServer.start(exchange -> send(exchange, status, document, false))) {
            MandateVerifier verifier = onStub(issuer, server).build();

            assertThat(verifier.authenticate(issuer.mint().claim("iss", server.url()).sign())).failedWith(ErrorCode.INVALID_TOKEN);
            assertThat(server.requests()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("V34 JWKS 302 to a valid document: invalid_token, the redirect is not followed")
    void redirectIsNotFollowed(TestIssuer issuer) {
        String document = TestJson.jwks(issuer.publicJwk(issuer.zone()));
        try (StubHttpServer target = StubHttpServer.start(exchange -> send(exchange, document, false))) {
            issuer.jwks().redirectTo(URI.create(target.url() + "/.well-known/jwks.json?zone_id=zone-1"));
            MandateVerifier verifier = issuer.verifier().build();

            assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
            assertThat(issuer.jwks().requests()).isEqualTo(1);
            assertThat(target.requests()).isZero();
        }
    }

    static Stream<Named<String>> unusableBodies() {
        return Stream.of(
                Named.of("invalid JSON", "{\"keys\":["),
                Named.of("{\"keys\":{}}", "{\"keys\":{}}"));
    }

    @ParameterizedTest(name = "V35 JWKS body {0}: invalid_token")
    @MethodSource("unusableBodies")
    void unusableBodyIsAFetchFailure(String body, TestIssuer issuer) {
        issuer.jwks().serveRaw(body);

        assertThat(issuer.verifier().build().authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V36 Content-Length: 300000: invalid_token")
    void declaredOversizeBodyIsRejected(TestIssuer issuer) {
        issuer.jwks().oversizeDeclared();

        assertThat(issuer.verifier().build().authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
    }

    /**
     * The server announces 300 000 bytes and then sends none. A client that waited for the body would
     * sit until its (here one-minute) fetch timeout; the verifier must decide on the header alone.
     */
    @Test
    @DisplayName("V36 Content-Length: 300000: rejected on the header, the body is not read")
    void declaredOversizeBodyIsNotRead(TestIssuer issuer) {
        try (StubHttpServer stalling = StubHttpServer.start(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 300_000);
            exchange.getResponseBody().flush();
            StubHttpServer.holdUntilClosed();
        })) {
            MandateVerifier verifier = onStub(issuer, stalling).jwksFetchTimeout(Duration.ofMinutes(1)).build();
            String token = issuer.mint().claim("iss", stalling.url()).sign();

            AuthResult result = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> verifier.authenticate(token));

            assertThat(result).failedWith(ErrorCode.INVALID_TOKEN);
            assertThat(stalling.requests()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("V37 chunked body of 262 145 bytes: invalid_token")
    void chunkedOversizeBodyIsRejected(TestIssuer issuer) {
        issuer.jwks().oversize();

        assertThat(issuer.verifier().build().authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
    }

    static Stream<Arguments> bodySizes() {
        return Stream.of(
                Arguments.of(Named.of("a chunked valid JWKS padded to 262 145 bytes", 262_145), true, Named.of("invalid_token", false)),
                Arguments.of(Named.of("a chunked valid JWKS padded to 262 144 bytes", 262_144), true, Named.of("ok", true)),
                Arguments.of(Named.of("a valid JWKS padded to 262 144 bytes with Content-Length", 262_144), false, Named.of("ok", true)));
    }

    /** A valid key set padded with trailing whitespace: only the size cap can reject it. */
    @ParameterizedTest(name = "V37 {0}: {2}")
    @MethodSource("bodySizes")
    void bodySizeCapIs256KiB(int size, boolean chunked, boolean accepted, TestIssuer issuer) {
        String document = TestJson.jwks(issuer.publicJwk(issuer.zone()));
        String padded = document + " ".repeat(size - document.length());
        try (StubHttpServer server = StubHttpServer.start(exchange -> send(exchange, padded, chunked))) {
            MandateVerifier verifier = onStub(issuer, server).build();
            AuthResult result = verifier.authenticate(issuer.mint().claim("iss", server.url()).sign());

            if (accepted) {
                assertThat(result).isOk();
            } else {
                assertThat(result).failedWith(ErrorCode.INVALID_TOKEN);
            }
            assertThat(server.requests()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("V38 {\"keys\":[]} twice, the back-off apart: invalid_token both times, 2 fetches (not cached)")
    void emptyKeySetIsNotCached(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        issuer.jwks().serveRaw("{\"keys\":[]}");

        assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
        issuer.clock().advance(JwksCache.DEFAULT_FAILURE_BACKOFF);
        assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(issuer.jwks().requests()).isEqualTo(2);
    }

    @Test
    @DisplayName("V39 endpoint never answers: invalid_token once the fetch timeout (here 500 ms) passes")
    void hangingEndpointTimesOut(TestIssuer issuer) {
        issuer.jwks().hang();
        MandateVerifier verifier = issuer.verifier().jwksFetchTimeout(Duration.ofMillis(500)).build();
        String token = issuer.mint().sign();

        AuthResult result = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> verifier.authenticate(token));

        assertThat(result).failedWith(ErrorCode.INVALID_TOKEN);
    }

    // ---- §3.4 key acceptance: V40–V43 --------------------------------------------------------------

    @Test
    @DisplayName("V40 JWKS = RSA key + valid EC k1: ok (RSA skipped)")
    void rsaKeyIsSkipped(TestIssuer issuer) throws JOSEException {
        Map<String, Object> rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate().toPublicJWK().toJSONObject();
        issuer.jwks().serveRaw(TestJson.jwks(rsa, issuer.publicJwk(issuer.zone())));

        assertThat(issuer.verifier().build().authenticate(issuer.mint().sign())).isOk();
    }

    static Stream<Named<UnaryOperator<Map<String, Object>>>> unusableKeyVariants() {
        return Stream.of(
                variant("crv P-384", jwk -> with(jwk, "crv", "P-384")),
                variant("alg ES384", jwk -> with(jwk, "alg", "ES384")),
                variant("use enc", jwk -> with(jwk, "use", "enc")),
                variant("key_ops [sign]", jwk -> with(jwk, "key_ops", List.of("sign"))),
                variant("31-byte x", jwk -> with(jwk, "x", base64url(Arrays.copyOfRange(base64urlDecode(jwk.get("x")), 1, 32)))),
                variant("y == x (off curve)", jwk -> with(jwk, "y", jwk.get("x"))),
                variant("a d member", jwk -> with(jwk, "d", base64url(new byte[32]))));
    }

    @ParameterizedTest(name = "V41 k1 published with {0}: invalid_token (key skipped, no usable key)")
    @MethodSource("unusableKeyVariants")
    void unusableKeyIsSkipped(UnaryOperator<Map<String, Object>> variant, TestIssuer issuer) {
        issuer.jwks().serveRaw(TestJson.jwks(variant.apply(issuer.publicJwk(issuer.zone()))));

        assertThat(issuer.verifier().build().authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V41 a key carrying d is skipped with a WARN (and the set, left without a usable key, is an outage)")
    void privateKeyMaterialIsLoggedAtWarn(TestIssuer issuer) {
        issuer.jwks().serveRaw(TestJson.jwks(with(issuer.publicJwk(issuer.zone()), "d", base64url(new byte[32]))));
        MandateVerifier verifier = issuer.verifier().build();

        try (LogCapture log = LogCapture.of("ai.caracal.verify")) {
            assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);

            assertThat(log.warnings()).hasSize(2);
            assertThat(log.warnings().get(0)).contains("private key material");
            assertThat(log.warnings().get(1)).contains("keys_unavailable");
        }
    }

    @Test
    @DisplayName("V42 k1 with key_ops [verify], no alg, no use: ok")
    void minimalVerifyKeyIsAccepted(TestIssuer issuer) {
        Map<String, Object> jwk = issuer.publicJwk(issuer.zone());
        jwk.put("key_ops", List.of("verify"));
        jwk.remove("alg");
        jwk.remove("use");
        issuer.jwks().serveRaw(TestJson.jwks(jwk));

        assertThat(issuer.verifier().build().authenticate(issuer.mint().sign())).isOk();
    }

    @Test
    @DisplayName("V43 two entries with kid k1, only the second is the real key: ok (the later entry wins)")
    void laterEntryWithSameKidWins(TestIssuer issuer) throws JOSEException {
        Map<String, Object> real = issuer.publicJwk(issuer.zone());
        Map<String, Object> decoy = new ECKeyGenerator(Curve.P_256).keyID((String) real.get("kid")).generate()
                .toPublicJWK().toJSONObject();
        issuer.jwks().serveRaw(TestJson.jwks(decoy, real));

        assertThat(issuer.verifier().build().authenticate(issuer.mint().sign())).isOk();
    }

    // ---- §3.5 cache age, refresh and unknown kid: V44–V48 ---------------------------------------------

    @Test
    @DisplayName("V44 age 6 min, refresh succeeds with a new set: the call is served from the stale set, later calls use the new set")
    void staleSetServesWhileBackgroundRefreshInstallsTheNewSet(TestIssuer issuer) {
        String zone = "zone-v44";
        MandateVerifier verifier = issuer.verifier().zoneId(zone).build();
        String primer = mintIn(issuer, zone).sign();
        String k1AtSixMinutes = mintIn(issuer, zone).sign();
        String k1AfterRefresh = mintIn(issuer, zone).sign();
        assertThat(verifier.authenticate(primer)).isOk();
        issuer.rotateKey(zone);
        issuer.jwks().serveRaw(TestJson.jwks(issuer.publicJwk(zone)));   // the new set holds only k2
        issuer.clock().advance(Duration.ofMinutes(6));

        assertThat(verifier.authenticate(k1AtSixMinutes)).isOk();          // only the stale set has k1
        awaitRequests(issuer, 2);
        awaitTrue(() -> !verifier.authenticate(k1AfterRefresh).ok());
        assertThat(verifier.authenticate(k1AfterRefresh)).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(verifier.authenticate(mintIn(issuer, zone).sign())).isOk();   // k2, from the new set
        assertThat(issuer.jwks().requests()).isEqualTo(2);
    }

    @Test
    @DisplayName("V45 age 6 min, refresh fails: ok from the stale set; at age 10 min the fetch fails: invalid_token")
    void failedRefreshKeepsTheStaleSetUntilMaxStale(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        issuer.jwks().failWith(503);
        issuer.clock().advance(Duration.ofMinutes(6));

        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        awaitRequests(issuer, 2);
        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        assertThat(issuer.jwks().requests()).isEqualTo(2);

        issuer.clock().advance(Duration.ofMinutes(4));
        assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("V45 at age 10 min the fetch is synchronous; when it fails: invalid_token, the old set is not used")
    void expiredSetIsNotUsedWhenTheFetchFails(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        issuer.jwks().failWith(503);
        issuer.clock().advance(Duration.ofMinutes(10));

        assertThat(verifier.authenticate(issuer.mint().sign())).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(issuer.jwks().requests()).isEqualTo(2);
    }

    @Test
    @DisplayName("V46 token kid k2, last fetch 31 s ago, JWKS now contains k2: 1 refetch, ok")
    void unknownKidAfterCooldownRefetchesOnce(TestIssuer issuer) {
        String zone = "zone-v46";
        MandateVerifier verifier = issuer.verifier().zoneId(zone).build();
        assertThat(verifier.authenticate(mintIn(issuer, zone).sign())).isOk();
        assertThat(issuer.rotateKey(zone)).isEqualTo("k2");
        issuer.clock().advance(Duration.ofSeconds(31));

        assertThat(verifier.authenticate(mintIn(issuer, zone).sign())).isOk();
        assertThat(issuer.jwks().requests(zone)).isEqualTo(2);
    }

    @Test
    @DisplayName("V47 token kid k2, last fetch 10 s ago: invalid_token, no fetch")
    void unknownKidWithinCooldownIsRejectedWithoutFetch(TestIssuer issuer) {
        String zone = "zone-v47";
        MandateVerifier verifier = issuer.verifier().zoneId(zone).build();
        assertThat(verifier.authenticate(mintIn(issuer, zone).sign())).isOk();
        issuer.rotateKey(zone);
        issuer.clock().advance(Duration.ofSeconds(10));

        assertThat(verifier.authenticate(mintIn(issuer, zone).sign())).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(issuer.jwks().requests(zone)).isEqualTo(1);
    }

    @Test
    @DisplayName("V48 20 concurrent k2 tokens after the cooldown: 1 refetch")
    void concurrentUnknownKidsCoalesceIntoOneRefetch(TestIssuer issuer) throws Exception {
        String zone = "zone-v48";
        MandateVerifier verifier = issuer.verifier().zoneId(zone).build();
        assertThat(verifier.authenticate(mintIn(issuer, zone).sign())).isOk();
        issuer.rotateKey(zone);
        issuer.clock().advance(Duration.ofSeconds(31));
        List<String> k2Tokens = Stream.generate(() -> mintIn(issuer, zone).sign()).limit(20).toList();
        issuer.jwks().delay(Duration.ofMillis(200));

        List<AuthResult> results = ConcurrentCalls.run(20, i -> verifier.authenticate(k2Tokens.get(i)));

        assertThat(issuer.jwks().requests(zone)).isEqualTo(2);
        assertThat(results).allSatisfy(result -> assertThat(result).isOk());
    }

    // ---- configured issuer and zone only: V49 --------------------------------------------------------

    @Test
    @DisplayName("V49 token zone_id zone-evil, verifier zone zone-1: only ?zone_id=zone-1 fetched, invalid_zone")
    void keysComeFromTheConfiguredZoneOnly(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();

        assertThat(verifier.authenticate(issuer.mint().zoneId("zone-evil").sign())).failedWith(ErrorCode.INVALID_ZONE);
        assertThat(issuer.jwks().requests("zone-1")).isEqualTo(1);
        assertThat(issuer.jwks().requests("zone-evil")).isZero();
        assertThat(issuer.jwks().requests()).isEqualTo(1);
    }

    // ---- warmup: V50, V51 ------------------------------------------------------------------------------

    @Test
    @DisplayName("V50 warmup() with a reachable JWKS: 1 fetch; a later authenticate makes no fetch")
    void warmupFetchesOnce(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();

        verifier.warmup();
        assertThat(issuer.jwks().requests()).isEqualTo(1);
        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        assertThat(issuer.jwks().requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("V51 warmup() against a 503: throws JwksUnavailableException")
    void warmupAgainstFailingJwksThrows(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        issuer.jwks().failWith(503);

        assertThatThrownBy(verifier::warmup).isInstanceOf(JwksUnavailableException.class);
    }

    // ---- two issuers: V52 ------------------------------------------------------------------------------

    @Test
    @DisplayName("V52 two issuers in one process, each with its own key (both k1), one cache: both verify, 2 cache entries")
    void twoIssuersKeepSeparateEntries(TestIssuer issuer) {
        try (TestIssuer other = TestIssuer.start("zone-1", AUDIENCE)) {
            JwksCache cache = JwksCache.builder().clock(issuer.clock()).build();
            MandateVerifier first = sharingCache(issuer, "zone-1", cache);
            MandateVerifier second = sharingCache(other, "zone-1", cache);

            for (int round = 0; round < 2; round++) {
                assertThat(first.authenticate(issuer.mint().sign())).isOk();
                assertThat(second.authenticate(other.mint().sign())).isOk();
            }
            assertThat(issuer.jwks().requests()).isEqualTo(1);
            assertThat(other.jwks().requests()).isEqualTo(1);
        }
    }

    // ---- §3.2 issuer URL rules: V53–V56 ------------------------------------------------------------------

    @Test
    @Tag("slow")
    @DisplayName("V53 issuer http://sts.internal:8080 (environment without CARACAL_ALLOW_INSECURE_CONFIG_URLS): build() throws IllegalArgumentException")
    void plainHttpIssuerIsRejected() throws Exception {
        assertThat(runInsecureIssuerProbe(null)).isEqualTo(1);
    }

    @Test
    @Tag("slow")
    @DisplayName("V54 issuer http://sts.internal:8080 with CARACAL_ALLOW_INSECURE_CONFIG_URLS=true: builds")
    void plainHttpIssuerIsAllowedByTheEnvironment() throws Exception {
        assertThat(runInsecureIssuerProbe("true")).isEqualTo(0);
    }

    @Test
    @Tag("slow")
    @DisplayName("V54 CARACAL_ALLOW_INSECURE_CONFIG_URLS=TRUE (not exactly true): build() still throws")
    void onlyExactlyTrueAllowsPlainHttp() throws Exception {
        assertThat(runInsecureIssuerProbe("TRUE")).isEqualTo(1);
    }

    @ParameterizedTest(name = "V55 issuer {0}: builds")
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://localhost:4000", "http://[::1]:4000"})
    void loopbackHttpIssuersBuild(String issuerUrl, TestIssuer issuer) {
        assertThatCode(() -> MandateVerifier.builder().issuer(issuerUrl).audience(AUDIENCE).zoneId("zone-1")
                .revocations(issuer.revocations()).build()).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "V56 issuer {0}: build() throws IllegalArgumentException")
    @ValueSource(strings = {"ftp://x", "issuer.example", "http:///jwks", "https://u:p@sts.test", "https://sts.test?x=1"})
    void malformedIssuersAreRejected(String issuerUrl, TestIssuer issuer) {
        assertThatThrownBy(() -> MandateVerifier.builder().issuer(issuerUrl).audience(AUDIENCE).zoneId("zone-1")
                .revocations(issuer.revocations()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain(issuerUrl);
    }

    @Test
    @DisplayName("V56 the message for an issuer with userinfo names the rule, not the secret")
    void userinfoIsNotEchoed(TestIssuer issuer) {
        assertThatThrownBy(() -> MandateVerifier.builder().issuer("https://u:secret-pw@sts.test").audience(AUDIENCE)
                .zoneId("zone-1").revocations(issuer.revocations()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .message().contains("user").doesNotContain("secret-pw");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static MandateBuilder mintIn(TestIssuer issuer, String zone) {
        return issuer.mint().zoneId(zone).zoneKey(zone);
    }

    private static MandateVerifier sharingCache(TestIssuer issuer, String zone, JwksCache cache) {
        return MandateVerifier.builder().issuer(issuer.url()).audience(AUDIENCE).zoneId(zone)
                .revocations(issuer.revocations()).clock(issuer.clock()).jwksCache(cache).build();
    }

    /** A baseline verifier whose issuer (and so JWKS host) is the stub server, on the test clock. */
    private static MandateVerifier.Builder onStub(TestIssuer issuer, StubHttpServer stub) {
        return issuer.verifier().issuer(stub.url());
    }

    private static void send(HttpExchange exchange, String body, boolean chunked) throws IOException {
        send(exchange, 200, body, chunked);
    }

    private static void send(HttpExchange exchange, int status, String body, boolean chunked) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException clientWentAway) {
            // Expected when the verifier stops reading at the cap.
        }
    }

    /** Background refreshes finish asynchronously: poll the request counter, at most 30 s. */
    private static void awaitRequests(TestIssuer issuer, int expected) {
        awaitTrue(() -> issuer.jwks().requests() >= expected);
        assertThat(issuer.jwks().requests()).isEqualTo(expected);
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 30 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting", e);
            }
        }
    }

    /**
     * Runs {@link InsecureIssuerProbe} in a child JVM, because the environment cannot be changed inside
     * this one.
     *
     * @param allowInsecure the value of CARACAL_ALLOW_INSECURE_CONFIG_URLS, or {@code null} to unset it
     * @return the probe's exit code: 0 built, 1 IllegalArgumentException
     */
    private static int runInsecureIssuerProbe(String allowInsecure) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                InsecureIssuerProbe.class.getName());
        builder.environment().remove("CARACAL_ALLOW_INSECURE_CONFIG_URLS");
        if (allowInsecure != null) {
            builder.environment().put("CARACAL_ALLOW_INSECURE_CONFIG_URLS", allowInsecure);
        }
        builder.redirectErrorStream(true);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe JVM did not exit within 30 s");
        }
        int exit = process.exitValue();
        if (exit != 0 && exit != 1) {
            throw new AssertionError("the probe JVM failed (" + exit + "): " + new String(output, StandardCharsets.UTF_8));
        }
        return exit;
    }

    private static Named<UnaryOperator<Map<String, Object>>> variant(String name, UnaryOperator<Map<String, Object>> change) {
        return Named.of(name, change);
    }

    private static Map<String, Object> with(Map<String, Object> jwk, String member, Object value) {
        jwk.put(member, value);
        return jwk;
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] base64urlDecode(Object value) {
        return Base64.getUrlDecoder().decode((String) value);
    }
}
