package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.TestJson;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * verification.md §2 and §12.1 (V1–V26): input, structure and header rules. Every token comes from
 * the test kit; broken tokens are kit tokens broken on purpose. The verifier is the §12 baseline
 * ({@code issuer.verifier()}), and this class never rotates keys, so the zone's JWKS is exactly
 * {@code [k1]}.
 */
@CaracalTest
@DisplayName("Input, structure and header (verification.md §2, V1–V26)")
class InputAndHeaderTest {

    /** A second issuer on its own port, with its own P-256 key also named k1: the attacker. */
    private static TestIssuer attacker;

    @BeforeAll
    static void startAttacker() {
        attacker = TestIssuer.start("zone-1", "https://api.test");
    }

    @AfterAll
    static void stopAttacker() {
        attacker.close();
    }

    @BeforeEach
    void resetAttacker() {
        attacker.reset();
    }

    // ---- V1, V2: no token -------------------------------------------------------------------------

    @Test
    @DisplayName("V1 authenticate(null): missing_token, no fetch, store not called")
    void nullTokenIsMissingWithoutFetchOrStore(TestIssuer issuer) {
        CountingStore store = new CountingStore(issuer.revocations());
        MandateVerifier verifier = issuer.verifier().revocations(store).build();

        assertThat(verifier.authenticate(null)).failedWith(ErrorCode.MISSING_TOKEN).hasStatus(401);
        assertThat(issuer.jwks().requests()).isZero();
        assertThat(store.calls()).isZero();
    }

    @Test
    @DisplayName("V2 authenticate(\"\"): missing_token, description 'Bearer mandate missing', hint present")
    void emptyTokenIsMissingWithDescriptionAndHint(TestIssuer issuer) {
        AuthResult result = issuer.verifier().build().authenticate("");

        assertThat(result).failedWith(ErrorCode.MISSING_TOKEN).hasDescription("Bearer mandate missing");
        assertThat(result.error().hint()).isEqualTo("Send the mandate as Authorization: Bearer <mandate>.");
        assertThat(issuer.jwks().requests()).isZero();
    }

    // ---- V3–V14, V25: rejected by the structure and header rules, before any JWKS access ------------

    static Stream<Named<Function<TestIssuer, String>>> rejectedBeforeAnyJwksAccess() {
        return Stream.of(
                row("V3 not-a-jwt", issuer -> "not-a-jwt"),
                row("V4 not.a.jwt", issuer -> "not.a.jwt"),
                row("V5 fourth segment appended", issuer -> {
                    String token = issuer.mint().sign();
                    return token + "." + segment(token, 2);
                }),
                row("V6 header segment padded with =", issuer -> padded(issuer, 0)),
                row("V6 payload segment padded with =", issuer -> padded(issuer, 1)),
                row("V6 signature segment padded with =", issuer -> padded(issuer, 2)),
                row("V6 every segment padded with =", issuer -> padded(issuer, 0, 1, 2)),
                row("V7 token of 16 385 characters", issuer -> tokenOfLength(issuer, 16_385)),
                row("V8 alg none with an empty signature", issuer -> issuer.mint().unsigned().sign()),
                row("V9 alg HS256 keyed with the JWK's x bytes", issuer -> issuer.mint().hs256WithJwkX().sign()),
                row("V10 alg RS256", issuer -> issuer.mint().alg("RS256").sign()),
                row("V10 alg PS256", issuer -> issuer.mint().alg("PS256").sign()),
                row("V10 alg ES384", issuer -> issuer.mint().alg("ES384").sign()),
                row("V10 alg ES512", issuer -> issuer.mint().alg("ES512").sign()),
                row("V10 alg EdDSA", issuer -> issuer.mint().alg("EdDSA").sign()),
                row("V10 alg es256 (not exactly ES256)", issuer -> issuer.mint().alg("es256").sign()),
                row("V11 alg missing", issuer -> issuer.mint().removeHeader("alg").sign()),
                row("V11 alg 7", issuer -> issuer.mint().header("alg", 7).sign()),
                row("V12 kid missing while the JWKS holds exactly one key", issuer -> {
                    issuer.jwks().serveRaw(TestJson.jwks(issuer.publicJwk(issuer.zone())));
                    return issuer.mint().removeHeader("kid").sign();
                }),
                row("V13 kid 5", issuer -> issuer.mint().header("kid", 5).sign()),
                row("V13 kid empty", issuer -> issuer.mint().kid("").sign()),
                row("V14 crit [exp] with exp in the header", issuer -> {
                    MandateBuilder mandate = issuer.mint();
                    return mandate.header("crit", List.of("exp")).header("exp", mandate.claims().get("exp")).sign();
                }),
                row("V14 crit []", issuer -> issuer.mint().header("crit", List.of()).sign()),
                row("V25 header has alg twice", issuer -> {
                    String header = TestJson.write(baselineHeader(issuer));
                    return issuer.mint().rawHeader(header.substring(0, header.length() - 1) + ",\"alg\":\"ES256\"}").sign();
                }));
    }

    @ParameterizedTest(name = "{0}: invalid_token, no fetch")
    @MethodSource("rejectedBeforeAnyJwksAccess")
    void structureAndHeaderViolationsAreRejectedBeforeAnyJwksAccess(Function<TestIssuer, String> recipe, TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        String token = recipe.apply(issuer);

        assertThat(verifier.authenticate(token)).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(issuer.jwks().requests()).isZero();
    }

    // ---- V16, V18–V21, V23, V24: rejected at the signature or the payload ---------------------------

    static Stream<Named<Function<TestIssuer, String>>> rejectedAtSignatureOrPayload() {
        return Stream.of(
                row("V16 embedded jwk header holding the attacker's public key", issuer ->
                        attacker.mint().claim("iss", issuer.url()).header("jwk", attacker.publicJwk("zone-1")).sign()),
                row("V18 DER-encoded signature", issuer -> issuer.mint().derSignature().sign()),
                row("V19 x appended to the signature", issuer -> issuer.mint().sign() + "x"),
                row("V20 payload re-encoded with sub user-2, original signature", issuer -> {
                    MandateBuilder mandate = issuer.mint();
                    String original = mandate.sign();
                    String reencoded = mandate.sub("user-2").sign();
                    return segment(original, 0) + "." + segment(reencoded, 1) + "." + segment(original, 2);
                }),
                row("V21 signed by another P-256 key reusing kid k1", issuer -> issuer.mint().foreignKey().sign()),
                row("V23 payload is a JSON array", issuer -> {
                    MandateBuilder mandate = issuer.mint();
                    return mandate.rawPayload("[" + TestJson.write(mandate.claims()) + "]").sign();
                }),
                row("V24 payload has sub twice", issuer -> {
                    MandateBuilder mandate = issuer.mint();
                    String payload = TestJson.write(mandate.claims());
                    return mandate.rawPayload(payload.substring(0, payload.length() - 1) + ",\"sub\":\"user-2\"}").sign();
                }));
    }

    @ParameterizedTest(name = "{0}: invalid_token")
    @MethodSource("rejectedAtSignatureOrPayload")
    void badSignaturesAndPayloadsAreRejected(Function<TestIssuer, String> recipe, TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();

        assertThat(verifier.authenticate(recipe.apply(issuer))).failedWith(ErrorCode.INVALID_TOKEN);
    }

    // ---- V15: jku is never dereferenced ----------------------------------------------------------

    @Test
    @DisplayName("V15 jku pointing to an attacker JWKS, signed by the attacker key with that kid: invalid_token, no request to the jku host")
    void jkuIsNeverDereferenced(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();

        assertThat(verifier.authenticate(jkuAttack(issuer))).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(attacker.jwks().requests()).isZero();
        assertThat(issuer.jwks().requests(issuer.zone())).isEqualTo(1);
    }

    @Test
    @DisplayName("V15 jku is ignored: a token signed by the configured key and carrying a jku is accepted, the jku host never contacted")
    void jkuOnAValidTokenIsIgnored(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        String token = issuer.mint().header("jku", attacker.jwksUrl().toString()).sign();

        assertThat(verifier.authenticate(token)).isOk();
        assertThat(attacker.jwks().requests()).isZero();
    }

    // ---- V17, V22: accepted variants -------------------------------------------------------------

    static Stream<Named<Function<TestIssuer, String>>> acceptedTypVariants() {
        return Stream.of(
                row("V17 typ at+jwt", issuer -> issuer.mint().header("typ", "at+jwt").sign()),
                row("V17 typ absent", issuer -> issuer.mint().removeHeader("typ").sign()));
    }

    @ParameterizedTest(name = "{0}: ok")
    @MethodSource("acceptedTypVariants")
    void typIsIgnored(Function<TestIssuer, String> recipe, TestIssuer issuer) {
        assertThat(issuer.verifier().build().authenticate(recipe.apply(issuer))).isOk();
    }

    static Stream<Named<Function<TestIssuer, String>>> ignoredHeaderMembers() {
        return Stream.of(
                row("cty JWT", issuer -> issuer.mint().header("cty", "JWT").sign()),
                row("b64 false", issuer -> issuer.mint().header("b64", false).sign()),
                row("zip DEF", issuer -> issuer.mint().header("zip", "DEF").sign()),
                row("x5u pointing to the attacker", issuer -> issuer.mint().header("x5u", attacker.jwksUrl().toString()).sign()),
                row("x5c", issuer -> issuer.mint().header("x5c", List.of("MIIB")).sign()),
                row("x5t and x5t#S256", issuer -> issuer.mint().header("x5t", "AAAA").header("x5t#S256", "AAAA").sign()),
                row("an unknown member", issuer -> issuer.mint().header("foo", Map.of("a", 1)).sign()));
    }

    /** The signing input is always the first two segments as sent, whatever b64 or zip say. */
    @ParameterizedTest(name = "§2 header member {0} is ignored: ok, nothing fetched from the attacker")
    @MethodSource("ignoredHeaderMembers")
    void otherHeaderMembersAreIgnored(Function<TestIssuer, String> recipe, TestIssuer issuer) {
        assertThat(issuer.verifier().build().authenticate(recipe.apply(issuer))).isOk();
        assertThat(attacker.jwks().requests()).isZero();
    }

    @Test
    @DisplayName("V22 high-S form of a valid signature (s' = n - s): ok")
    void highSSignatureIsAccepted(TestIssuer issuer) {
        assertThat(issuer.verifier().build().authenticate(issuer.mint().highS().sign())).isOk();
    }

    @Test
    @DisplayName("V7 boundary: a valid token of exactly 16 384 characters is accepted")
    void tokenAtTheLengthLimitIsAccepted(TestIssuer issuer) {
        String token = tokenOfLength(issuer, 16_384);

        assertThat(token).hasSize(16_384);
        assertThat(issuer.verifier().build().authenticate(token)).isOk();
    }

    // ---- V26: descriptions never echo the token --------------------------------------------------

    static Stream<Named<Function<TestIssuer, String>>> everyRejectedToken() {
        return Stream.of(rejectedBeforeAnyJwksAccess(), rejectedAtSignatureOrPayload(),
                        Stream.of(row("V15 jku attack", InputAndHeaderTest::jkuAttack)))
                .flatMap(Function.identity());
    }

    /**
     * One-character segments are left out: V4's {@code a} occurs in any English description, so it
     * cannot show that token bytes were echoed.
     */
    @ParameterizedTest(name = "V26 the description of the {0} rejection contains no segment of the token")
    @MethodSource("everyRejectedToken")
    void descriptionNeverContainsTokenSegments(Function<TestIssuer, String> recipe, TestIssuer issuer) {
        String token = recipe.apply(issuer);
        AuthResult result = issuer.verifier().build().authenticate(token);

        assertThat(result).failedWith(ErrorCode.INVALID_TOKEN);
        String description = result.error().description();
        assertThat(description).doesNotContain(token);
        Arrays.stream(token.split("\\.", -1))
                .filter(segment -> segment.length() > 1)
                .forEach(segment -> assertThat(description).doesNotContain(segment));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static Named<Function<TestIssuer, String>> row(String name, Function<TestIssuer, String> recipe) {
        return Named.of(name, recipe);
    }

    /** A token signed by the attacker's k1 for the victim issuer, pointing jku at the attacker's JWKS. */
    private static String jkuAttack(TestIssuer issuer) {
        return attacker.mint().claim("iss", issuer.url()).header("jku", attacker.jwksUrl().toString()).sign();
    }

    private static String segment(String token, int index) {
        return token.split("\\.", -1)[index];
    }

    private static Map<String, Object> baselineHeader(TestIssuer issuer) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "ES256");
        header.put("typ", "JWT");
        header.put("kid", issuer.publicJwk(issuer.zone()).get("kid"));
        return header;
    }

    /**
     * A valid token whose chosen segments are then given standard base64 {@code =} padding. Segment
     * lengths are nudged with an ignored header member and an ignored claim until every chosen segment
     * actually needs padding (the signature always does: 64 bytes are 86 characters).
     */
    private static String padded(TestIssuer issuer, int... segments) {
        for (int extra = 0; extra < 3; extra++) {
            String filler = "x".repeat(extra);
            String[] parts = issuer.mint().header("pad", filler).claim("pad", filler).sign().split("\\.");
            if (Arrays.stream(segments).allMatch(i -> parts[i].length() % 4 != 0)) {
                for (int i : segments) {
                    parts[i] = parts[i] + "=".repeat(4 - parts[i].length() % 4);
                }
                return String.join(".", parts);
            }
        }
        throw new IllegalStateException("no filler length makes segments " + Arrays.toString(segments) + " need padding");
    }

    /**
     * A valid baseline token of exactly {@code length} characters, grown with an ignored claim and an
     * ignored header member (unpadded base64url cannot reach every length with the claim alone).
     */
    static String tokenOfLength(TestIssuer issuer, int length) {
        int base = issuer.mint().header("pad", "").claim("pad", "").sign().length();
        int estimate = Math.max(0, (length - base) * 3 / 4);
        for (int headerFiller = 0; headerFiller < 4; headerFiller++) {
            for (int claimFiller = Math.max(0, estimate - 8); claimFiller <= estimate + 8; claimFiller++) {
                String token = issuer.mint().header("pad", "h".repeat(headerFiller)).claim("pad", "c".repeat(claimFiller)).sign();
                if (token.length() == length) {
                    return token;
                }
            }
        }
        throw new IllegalStateException("could not mint a token of " + length + " characters");
    }

    /** Delegates to a real store and counts every call the verifier makes. */
    private static final class CountingStore implements RevocationStore {
        private final RevocationStore delegate;
        private final AtomicInteger calls = new AtomicInteger();

        CountingStore(RevocationStore delegate) {
            this.delegate = delegate;
        }

        int calls() {
            return calls.get();
        }

        @Override
        public RevocationCheck check(List<String> anchors, String zoneId) {
            calls.incrementAndGet();
            return delegate.check(anchors, zoneId);
        }

        @Override
        public boolean isRevoked(String anchor) {
            calls.incrementAndGet();
            return delegate.isRevoked(anchor);
        }

        @Override
        public void revoke(String anchor, Duration ttl) {
            calls.incrementAndGet();
            delegate.revoke(anchor, ttl);
        }

        @Override
        public long currentDelegationEpoch(String zoneId) {
            calls.incrementAndGet();
            return delegate.currentDelegationEpoch(zoneId);
        }

        @Override
        public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
            calls.incrementAndGet();
            return delegate.advanceDelegationEpoch(zoneId, epoch, ttl);
        }
    }
}
