package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.MandateBuilder.Segment;
import ai.caracal.testkit.TestIssuer;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * verification.md §2 and V126: one token, one spelling. The JDK's base64url decoder ignores the unused
 * low bits of a segment's last character, so without the canonical-spelling rule every segment would
 * have several accepted spellings and a deny-list keyed on the token string could be walked around.
 */
@CaracalTest
@DisplayName("Canonical base64url spelling (verification.md §2, V126)")
class CanonicalSpellingTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    @ParameterizedTest(name = "V126 {0} segment respelled (signature over the respelled text): invalid_token")
    @EnumSource(Segment.class)
    @DisplayName("V126 a respelled segment is invalid_token while the canonical token is ok")
    void respelledSegmentIsInvalid(Segment segment, TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();

        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        assertThat(verifier.authenticate(issuer.mint().respell(segment).sign()))
                .failedWith(ErrorCode.INVALID_TOKEN).hasStatus(401);
    }

    @Test
    @DisplayName("V126 each of the 15 other spellings of a verified token's signature is invalid_token, the token itself stays ok")
    void everyOtherSpellingOfTheSignatureIsInvalid(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        String token = issuer.mint().sign();
        assertThat(verifier.authenticate(token)).isOk();   // now in the verified-token cache

        String body = token.substring(0, token.length() - 1);
        int canonical = ALPHABET.indexOf(token.charAt(token.length() - 1));
        assertThat(canonical & 0b1111).isZero();
        byte[] signature = decodedSignature(token);

        IntStream.range(1, 16).forEach(unusedBits -> {
            String respelled = body + ALPHABET.charAt(canonical | unusedBits);
            assertThat(decodedSignature(respelled)).isEqualTo(signature);   // the same bytes, another spelling
            assertThat(verifier.authenticate(respelled)).as("last character %s", respelled.charAt(respelled.length() - 1))
                    .failedWith(ErrorCode.INVALID_TOKEN);
        });
        assertThat(verifier.authenticate(token)).isOk();
    }

    private static byte[] decodedSignature(String token) {
        byte[] decoded = Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
        return Arrays.copyOf(decoded, decoded.length);
    }
}
