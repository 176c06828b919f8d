package ai.caracal.verify;

import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.logging.LogCapture;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz targets for {@link MandateVerifier#authenticate(String)} and {@code authorization}, with a real
 * verifier on the corpus fixture (zone {@code zone-1}, audience {@code https://api.test}) and the test
 * issuer's loopback JWKS.
 *
 * <ul>
 *   <li>{@link #arbitraryTokens(byte[])}: any text as a token and as a header;</li>
 *   <li>{@link #structuredTokens(byte[])}: a header and a payload in JSON, <b>signed with the zone key</b>
 *       at run time (so fuzzed claims reach every claim rule), with a signature variant chosen by the
 *       first byte. Placeholders {@code $ISS}, {@code $KID}, {@code $NOW} and {@code $EXP} are replaced by
 *       the issuer URL, its kid, the clock's epoch second and that plus 600.</li>
 * </ul>
 *
 * <p>Invariants: nothing throws and nothing is swallowed (the verifier logs a WARN when it catches an
 * unexpected exception); descriptions never contain token pieces; a second call (the verified-token
 * cache path) gives the same result; accepted mandates satisfy the configured issuer, audience, zone,
 * use and lifetime.
 */
class MandateVerifierFuzzTest {

    private static TestIssuer issuer;
    private static int issuerPort;
    private static SilentCloseable loopbackOnly;
    private static LogCapture verifierLog;
    private static MandateVerifier verifier;
    private static MandateVerifier scoped;

    @BeforeAll
    static void startIssuer() {
        issuer = TestIssuer.start("zone-1", "https://api.test");
        issuerPort = URI.create(issuer.url()).getPort();
        verifier = issuer.verifier().build();
        scoped = issuer.verifier().requiredScopes("read").requireAgent(true).build();
        verifier.warmup();
        verifierLog = LogCapture.of(MandateVerifier.class.getName());
    }

    @AfterAll
    static void stopIssuer() {
        // The network policy stays until the JVM ends: Jazzer only resets it on the thread that set it,
        // and while fuzzing that is not the thread running @AfterAll.
        verifierLog.close();
        issuer.close();
    }

    /**
     * Jazzer's network sanitizer refuses every connection by default; the issuer's loopback JWKS is the
     * one allowed. Set on first use: the policy needs Jazzer's agent, which the first fuzz test installs.
     */
    private static void allowOnlyTheIssuer() {
        if (loopbackOnly == null) {
            loopbackOnly = BugDetectors.allowNetworkConnections((host, port) -> port == issuerPort);
        }
    }

    @FuzzTest
    void arbitraryTokens(byte[] input) {
        allowOnlyTheIssuer();
        String text = new String(input, StandardCharsets.UTF_8);
        for (AuthResult result : new AuthResult[] {verifier.authenticate(text), verifier.authorization("Bearer " + text),
                verifier.authorization(text), scoped.authenticate(text)}) {
            require(!result.ok(), "fuzzed text is never a valid mandate");
            require(Set.of(ErrorCode.MISSING_TOKEN, ErrorCode.INVALID_TOKEN).contains(result.error().code()),
                    "text that is not a signed mandate is missing_token or invalid_token");
            requireNoTokenPieces(result, text);
        }
        requireNothingSwallowed();
    }

    @FuzzTest
    void structuredTokens(byte[] input) {
        allowOnlyTheIssuer();
        if (input.length == 0) {
            return;
        }
        String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String header = placeholders(newline < 0 ? text : text.substring(0, newline));
        String payload = placeholders(newline < 0 ? "{}" : text.substring(newline + 1));
        String token = signature(issuer.mint().rawHeader(header).rawPayload(payload), input[0]).sign();

        AuthResult first = verifier.authenticate(token);
        AuthResult again = verifier.authenticate(token);
        require(first.ok() == again.ok() && (first.ok() || first.error().code() == again.error().code()),
                "a repeated mandate (verified-token cache) gets the same result");
        requireNoTokenPieces(first, token);
        if (first.ok()) {
            Claims claims = first.principal();
            long now = issuer.clock().instant().getEpochSecond();
            require(claims.issuer().equals(issuer.url()) && claims.audience().contains(issuer.audience())
                    && issuer.zone().equals(claims.zoneId()) && claims.use().equals("resource")
                    && claims.expiresAt().getEpochSecond() > now && claims.issuedAt().getEpochSecond() <= now + 60,
                    "an accepted mandate meets the configured issuer, audience, zone, use and lifetime");
        } else {
            require(Set.of(ErrorCode.INVALID_TOKEN, ErrorCode.INVALID_ZONE).contains(first.error().code()),
                    "with no requirements and an empty store, only invalid_token or invalid_zone");
        }
        AuthResult strict = scoped.authenticate(token);
        require(!strict.ok() || (strict.principal().scopes().contains("read") && strict.principal().agentSessionId().isPresent()),
                "requirements hold for accepted mandates");
        requireNothingSwallowed();
    }

    /** The first input byte picks how the zone key's signature is sent. */
    private static MandateBuilder signature(MandateBuilder mandate, byte variant) {
        return switch (Math.floorMod(variant, 8)) {
            case 1 -> mandate.highS();
            case 2 -> mandate.tamperSignature();
            case 3 -> mandate.derSignature();
            case 4 -> mandate.forgeSignature((in, sig) -> new byte[64]);
            case 5 -> mandate.foreignKey();
            case 6 -> mandate.forgeSignature((in, sig) -> Arrays.copyOf(sig, 63));
            default -> mandate;
        };
    }

    private static String placeholders(String json) {
        long now = issuer.clock().instant().getEpochSecond();
        return json.replace("$ISS", issuer.url()).replace("$KID", (String) issuer.publicJwk(issuer.zone()).get("kid"))
                .replace("$NOW", Long.toString(now)).replace("$EXP", Long.toString(now + 600));
    }

    private static void requireNoTokenPieces(AuthResult result, String token) {
        if (result.ok()) {
            return;
        }
        String description = result.error().description();
        for (String piece : token.split("[.\\s]+")) {
            require(piece.length() < 8 || !description.contains(piece), "the description never contains token pieces");
        }
    }

    private static void requireNothingSwallowed() {
        require(verifierLog.warnings().isEmpty(), "the verifier caught no unexpected exception (no WARN logged)");
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("invariant broken: " + what);
        }
    }
}
