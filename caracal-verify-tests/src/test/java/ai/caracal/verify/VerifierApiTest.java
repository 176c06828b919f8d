package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static ai.caracal.testkit.CaracalAssertions.assertThatAuthFailure;
import static ai.caracal.verify.SpecBaseline.T;
import static ai.caracal.verify.SpecBaseline.mandate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.logging.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** verification.md §9–§10 and the API edge cases V111–V125 of §12.6. */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class VerifierApiTest {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private TestIssuer issuer;
    private MandateVerifier verifier;

    @BeforeEach
    void setUp(TestIssuer issuer) {
        this.issuer = issuer;
        this.verifier = issuer.verifier().build();
    }

    static Stream<Arguments> tokensForBothEntryPoints() {
        return Stream.of(
                Arguments.of(Named.<Function<TestIssuer, String>>of("baseline", i -> mandate(i).sign())),
                Arguments.of(Named.<Function<TestIssuer, String>>of("expired", i -> mandate(i).claim("exp", T).sign())),
                Arguments.of(Named.<Function<TestIssuer, String>>of("wrong zone", i -> mandate(i).zoneId("zone-2").sign())),
                Arguments.of(Named.<Function<TestIssuer, String>>of("not.a.jwt", i -> "not.a.jwt")));
    }

    @ParameterizedTest(name = "V111 {0}: authorization(\"Bearer \" + t) equals authenticate(t)")
    @MethodSource("tokensForBothEntryPoints")
    @DisplayName("V111 authorization(\"Bearer \" + t) gives the same result as authenticate(t)")
    void authorizationHeaderIsTheSameAsTheBareToken(Function<TestIssuer, String> token) {
        String t = token.apply(issuer);
        AuthResult viaHeader = verifier.authorization("Bearer " + t);
        AuthResult bare = verifier.authenticate(t);
        assertThat(viaHeader.ok()).isEqualTo(bare.ok());
        if (bare.ok()) {
            assertThat(viaHeader.principal().raw()).isEqualTo(bare.principal().raw());
        } else {
            assertThat(viaHeader.error()).isEqualTo(bare.error());
        }
    }

    static Stream<Arguments> headersWithoutBearerToken() {
        return Stream.of(
                Arguments.of(Named.of("null", null)),
                Arguments.of(Named.of("\"Basic abc\"", "Basic abc")),
                Arguments.of(Named.of("\"Bearer\"", "Bearer")),
                Arguments.of(Named.of("\"Bearer   \"", "Bearer   ")));
    }

    @ParameterizedTest(name = "V112 authorization({0}) is missing_token with no fetch")
    @MethodSource("headersWithoutBearerToken")
    @DisplayName("V112 a header without a Bearer token is missing_token and fetches nothing")
    void headerWithoutBearerTokenIsMissingToken(String header) {
        assertThat(verifier.authorization(header))
                .failedWith(ErrorCode.MISSING_TOKEN)
                .hasDescription("Bearer mandate missing")
                .hasStatus(401);
        assertThat(issuer.jwks().requests()).isZero();
    }

    static Stream<Arguments> extractBearerTable() {
        return Stream.of(
                Arguments.of(Named.of("Bearer token-1", "Bearer token-1"), Optional.of("token-1")),
                Arguments.of(Named.of("bearer token-1", "bearer token-1"), Optional.of("token-1")),
                Arguments.of(Named.of("BEARER token-1", "BEARER token-1"), Optional.of("token-1")),
                Arguments.of(Named.of("Bearer\\t token-1␠␠", "Bearer\t token-1  "), Optional.of("token-1")),
                Arguments.of(Named.of("Bearer", "Bearer"), Optional.empty()),
                Arguments.of(Named.of("Bearer␠␠␠", "Bearer   "), Optional.empty()),
                Arguments.of(Named.of("\"\"", ""), Optional.empty()),
                Arguments.of(Named.of("null", null), Optional.empty()),
                Arguments.of(Named.of("Basic abc", "Basic abc"), Optional.empty()),
                Arguments.of(Named.of("Bearertoken-1", "Bearertoken-1"), Optional.empty()),
                Arguments.of(Named.of("␠Bearer token-1", " Bearer token-1"), Optional.empty()),
                Arguments.of(Named.of("Bearer a b", "Bearer a b"), Optional.of("a b")),
                Arguments.of(Named.of("Bearer + 100 000 spaces + token-1", "Bearer" + " ".repeat(100_000) + "token-1"),
                        Optional.of("token-1")));
    }

    @ParameterizedTest(name = "V113 extractBearer({0}) = {1}")
    @MethodSource("extractBearerTable")
    @DisplayName("V113 AuthHeaders.extractBearer follows every row of the §9 table")
    void extractBearerFollowsTheTable(String header, Optional<String> expected) {
        assertThat(AuthHeaders.extractBearer(header)).isEqualTo(expected);
    }

    @Test
    @DisplayName("V114 require(scopes admin) gives a new verifier that is insufficient_scope; the original still accepts")
    void requireDerivesAStricterVerifierAndLeavesTheOriginal() {
        MandateVerifier admin = verifier.require(Requirements.builder().requiredScopes("admin").build());
        String token = mandate(issuer).sign();
        assertThat(admin.authenticate(token)).failedWith(ErrorCode.INSUFFICIENT_SCOPE).hasDescription("Mandate lacks scope: admin");
        assertThat(verifier.authenticate(token)).isOk();
        assertThat(verifier.options().requiredScopes()).isEmpty();
    }

    @Test
    @DisplayName("V115 require(requireAgent=false) cannot relax a default requireAgent(true): agent_required")
    void requireCannotRelaxRequireAgent() {
        MandateVerifier strict = issuer.verifier().requireAgent(true).build();
        MandateVerifier relaxed = strict.require(Requirements.builder().requireAgent(false).build());
        assertThat(relaxed.authenticate(mandate(issuer).sign())).failedWith(ErrorCode.AGENT_REQUIRED);
    }

    @Test
    @DisplayName("V116 require(requiredScopes(write)) replaces default requiredScopes(read): scope write is accepted")
    void requiredScopesAreReplacedNotUnioned() {
        MandateVerifier readers = issuer.verifier().requiredScopes("read").build();
        MandateVerifier writers = readers.require(Requirements.builder().requiredScopes("write").build());
        assertThat(writers.authenticate(mandate(issuer).scope("write").sign())).isOk();
    }

    @ParameterizedTest(name = "V117 via {0}: requiredTargets and requiredScopes both met is ok")
    @ValueSource(strings = {"require(r).authenticate(t)", "authenticate(t, r)"})
    @DisplayName("V117 per-route requirements with targets and scopes that are both met are accepted")
    void metTargetsAndScopesAreAccepted(String style) {
        Requirements r = Requirements.builder().requiredTargets(SpecBaseline.FILES).requiredScopes("write").build();
        String token = mandate(issuer).target(SpecBaseline.FILES).sign();
        AuthResult result = style.startsWith("require") ? verifier.require(r).authenticate(token) : verifier.authenticate(token, r);
        assertThat(result).isOk();
    }

    @Test
    @DisplayName("§10 authenticate(t, null) and authorization(h, null) behave like the one-argument forms")
    void nullRequirementsMeanNone() {
        MandateVerifier admin = issuer.verifier().requiredScopes("admin").build();
        String token = mandate(issuer).sign();
        assertThat(admin.authenticate(token, null)).failedWith(ErrorCode.INSUFFICIENT_SCOPE);
        assertThat(admin.authorization("Bearer " + token, null)).failedWith(ErrorCode.INSUFFICIENT_SCOPE);
        assertThat(verifier.authenticate(token, null)).isOk();
        assertThat(verifier.authorization("Bearer " + token, null)).isOk();
    }

    @Test
    @DisplayName("V118 build() without revocations throws NullPointerException naming revocations")
    void missingRevocationStoreThrows() {
        assertThatThrownBy(() -> MandateVerifier.builder().issuer(issuer.url()).audience("https://api.test").zoneId("zone-1").build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("Caracal revocation store missing: set revocations");
    }

    static Stream<Arguments> incompleteBuilders() {
        return Stream.of(
                Arguments.of(Named.<Function<TestIssuer, MandateVerifier.Builder>>of("without issuer",
                        i -> MandateVerifier.builder().audience("https://api.test").zoneId("zone-1").revocations(i.revocations())), "issuer"),
                Arguments.of(Named.<Function<TestIssuer, MandateVerifier.Builder>>of("without audience",
                        i -> MandateVerifier.builder().issuer(i.url()).zoneId("zone-1").revocations(i.revocations())), "audience"),
                Arguments.of(Named.<Function<TestIssuer, MandateVerifier.Builder>>of("with a blank zone",
                        i -> i.verifier().zoneId("  ")), "zoneId"));
    }

    @ParameterizedTest(name = "V119 build() {0} throws IllegalArgumentException naming {1}")
    @MethodSource("incompleteBuilders")
    @DisplayName("V119 build() without issuer, without audience, or with a blank zone throws IllegalArgumentException")
    void incompleteConfigurationThrows(Function<TestIssuer, MandateVerifier.Builder> builder, String option) {
        assertThatThrownBy(() -> builder.apply(issuer).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(option);
    }

    @Test
    @DisplayName("V120 CaracalAuth.verify(\"\") throws CaracalAuthException missing_token with description, hint and 401")
    void caracalAuthRejectsEmptyToken() {
        CaracalAuth auth = issuer.auth().build();
        assertThatThrownBy(() -> auth.verify(""))
                .isInstanceOfSatisfying(CaracalAuthException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MISSING_TOKEN);
                    assertThat(e.description()).isEqualTo("Bearer mandate missing");
                    assertThat(e.getMessage()).isEqualTo("Bearer mandate missing");
                    assertThat(e.hint()).isEqualTo("Send the mandate as Authorization: Bearer <mandate>.");
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.getCause()).isNull();
                    assertThat(e.toAuthError()).isEqualTo(AuthError.of(ErrorCode.MISSING_TOKEN));
                });
    }

    @Test
    @DisplayName("V121 CaracalAuth with maxHopCount(1) throws hop_count_exceeded for hop_count 2")
    void caracalAuthThrowsHopCountExceeded() {
        CaracalAuth auth = issuer.auth().maxHopCount(1).build();
        String token = mandate(issuer).hopCount(2).sign();
        assertThatAuthFailure(() -> auth.verify(token)).hasCode(ErrorCode.HOP_COUNT_EXCEEDED);
    }

    static Stream<Arguments> statusTable() {
        return Stream.of(
                Arguments.of("missing_token", 401),
                Arguments.of("invalid_token", 401),
                Arguments.of("invalid_zone", 401),
                Arguments.of("session_revoked", 401),
                Arguments.of("delegation_stale", 401),
                Arguments.of("insufficient_scope", 403),
                Arguments.of("agent_required", 403),
                Arguments.of("delegation_required", 403),
                Arguments.of("chain_mismatch", 403),
                Arguments.of("hop_count_exceeded", 403),
                Arguments.of("made_up", 401));
    }

    @ParameterizedTest(name = "V122 httpStatus({0}) = {1}")
    @MethodSource("statusTable")
    @DisplayName("V122 AuthErrors.httpStatus gives the §8.1 status for every code and 401 for unknown codes")
    void statusFunctionFollowsTheTable(String wire, int status) {
        assertThat(AuthErrors.httpStatus(wire)).isEqualTo(status);
        ErrorCode.fromWire(wire).ifPresent(code -> {
            assertThat(AuthErrors.httpStatus(code)).isEqualTo(status);
            assertThat(AuthError.of(code).httpStatus()).isEqualTo(status);
        });
    }

    @Test
    @DisplayName("V122 the status table covers all 10 error codes")
    void statusTableCoversEveryCode() {
        assertThat(statusTable().map(a -> (String) a.get()[0]).flatMap(w -> ErrorCode.fromWire(w).stream()))
                .containsExactlyInAnyOrder(ErrorCode.values());
    }

    @Test
    @DisplayName("V123 10 000 random strings never throw and are missing_token or invalid_token")
    void randomStringsAreRejectedWithoutThrowing() {
        Random random = new Random(0xCA7ACA1L);
        for (int i = 0; i < 10_000; i++) {
            assertRejectedQuietly(randomString(random), i);
        }
    }

    @Test
    @DisplayName("V123 10 000 random 3-segment base64url strings never throw and are invalid_token")
    void randomCompactStringsAreRejectedWithoutThrowing() {
        Random random = new Random(0x5EED123L);
        for (int i = 0; i < 10_000; i++) {
            assertRejectedQuietly(randomCompact(random), i);
        }
    }

    private void assertRejectedQuietly(String input, int index) {
        Set<ErrorCode> expected = EnumSet.of(ErrorCode.MISSING_TOKEN, ErrorCode.INVALID_TOKEN);
        for (Supplier<AuthResult> call : List.<Supplier<AuthResult>>of(
                () -> verifier.authenticate(input), () -> verifier.authorization("Bearer " + input))) {
            AuthResult result;
            try {
                result = call.get();
            } catch (RuntimeException e) {
                throw new AssertionError("input #" + index + " threw " + e, e);
            }
            if (result == null || result.ok() || !expected.contains(result.error().code())) {
                fail("input #%d gave %s", index, result);
            }
        }
    }

    private static String randomString(Random random) {
        int length = random.nextInt(20) == 0 ? 16_380 + random.nextInt(10) : random.nextInt(120);
        StringBuilder s = new StringBuilder(length);
        int pool = random.nextInt(3);
        for (int i = 0; i < length; i++) {
            switch (pool) {
                case 0 -> s.append((char) (0x20 + random.nextInt(0x5F)));
                case 1 -> s.append(random.nextInt(8) == 0 ? '.' : BASE64URL_ALPHABET.charAt(random.nextInt(64)));
                default -> s.append((char) random.nextInt(0x10000));
            }
        }
        return s.toString();
    }

    /** Three base64url segments: random text, random bytes, or JSON that gets past the header rules. */
    private static String randomCompact(Random random) {
        String header = switch (random.nextInt(3)) {
            case 0 -> randomBase64Url(random, random.nextInt(60));
            case 1 -> encode(randomBytes(random, random.nextInt(60)));
            default -> encode("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" + (random.nextBoolean() ? "k1" : "k" + random.nextInt(1000)) + "\"}");
        };
        String payload = switch (random.nextInt(3)) {
            case 0 -> randomBase64Url(random, random.nextInt(200));
            case 1 -> encode(randomBytes(random, random.nextInt(200)));
            default -> encode("{\"sub\":\"user-" + random.nextInt() + "\",\"exp\":" + random.nextLong() + "}");
        };
        String signature = random.nextInt(4) == 0 ? randomBase64Url(random, random.nextInt(100)) : randomBase64Url(random, 86);
        return header + "." + payload + "." + signature;
    }

    private static String randomBase64Url(Random random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(BASE64URL_ALPHABET.charAt(random.nextInt(64)));
        }
        return s.toString();
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String encode(String json) {
        return encode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }

    @Test
    @DisplayName("V124 Requirements.check with scopes [write] on scope read is insufficient_scope, with no JWKS or store access")
    void standaloneCheckTouchesNeitherJwksNorStore() {
        RecordingRevocationStore store = new RecordingRevocationStore(issuer.revocations());
        MandateVerifier recorded = issuer.verifier().revocations(store).build();
        Claims claims = recorded.authenticate(mandate(issuer).scope("read").sign()).principal();
        int fetches = issuer.jwks().requests();
        int reads = store.reads();

        Optional<AuthError> error = Requirements.builder().requiredScopes("write").build().check(claims);

        assertThat(error).map(AuthError::code).contains(ErrorCode.INSUFFICIENT_SCOPE);
        assertThat(error).map(AuthError::description).contains("Mandate lacks scope: write");
        assertThat(issuer.jwks().requests()).isEqualTo(fetches);
        assertThat(store.reads()).isEqualTo(reads);
    }

    @Test
    @DisplayName("§10 Requirements.check considers set fields only: no default hop limit applies")
    void standaloneCheckAppliesOnlySetFields() {
        Claims claims = issuer.verifier().maxHopCount(20).build().authenticate(mandate(issuer).hopCount(11).sign()).principal();
        assertThat(Requirements.NONE.check(claims)).isEmpty();
        assertThat(Requirements.builder().maxHopCount(5).build().check(claims))
                .map(AuthError::code).contains(ErrorCode.HOP_COUNT_EXCEEDED);
    }

    @Test
    @DisplayName("§10 Requirements.check checks use (step 11) before scopes: invalid_token \"Mandate rejected\"")
    void standaloneCheckChecksUseFirst() {
        Claims claims = verifier.authenticate(mandate(issuer).sign()).principal();
        Optional<AuthError> error = Requirements.builder().requiredUse("session").requiredScopes("admin").build().check(claims);
        assertThat(error).contains(AuthError.of(ErrorCode.INVALID_TOKEN));
    }

    @Test
    @DisplayName("V125 an onVerified listener that throws leaves the result ok and logs one WARN")
    void throwingListenerIsLoggedAndIgnored() {
        MandateVerifier listened = issuer.verifier().onVerified(claims -> {
            throw new IllegalStateException("listener failed");
        }).build();
        String token = mandate(issuer).sign();
        List<String> warnings;
        try (LogCapture log = LogCapture.of("ai.caracal.verify.MandateVerifier")) {
            assertThat(listened.authenticate(token)).isOk();
            warnings = log.warnings();
        }
        assertThat(warnings).hasSize(1);
    }

    @Test
    @DisplayName("§5.1 onVerified listeners run in registration order after a successful verification only")
    void listenersRunInRegistrationOrderOnSuccessOnly() {
        List<String> calls = new CopyOnWriteArrayList<>();
        MandateVerifier listened = issuer.verifier().requiredScopes("read")
                .onVerified(c -> calls.add("first " + c.sid()))
                .onVerified(c -> calls.add("second " + c.sid()))
                .build();
        assertThat(listened.authenticate(mandate(issuer).scope("write").sign())).failedWith(ErrorCode.INSUFFICIENT_SCOPE);
        assertThat(listened.authenticate(mandate(issuer).sign())).isOk();
        assertThat(calls).containsExactly("first sid-1", "second sid-1");
    }
}
