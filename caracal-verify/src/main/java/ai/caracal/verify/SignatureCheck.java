package ai.caracal.verify;

import java.util.Optional;

/**
 * The result of checking only a token's signature against an issuer's key set, for tools such as
 * {@code caracal inspect --verify-signature}. It says nothing about claims, lifetime or revocation.
 *
 * @param valid  whether the ES256 signature verified under the key named by the header {@code kid}
 * @param kid    the header {@code kid}, when the header could be read
 * @param reason why the signature is not valid (for example {@code kid-unknown}); empty when valid
 */
public record SignatureCheck(boolean valid, Optional<String> kid, Optional<String> reason) {

    static SignatureCheck valid(String kid) {
        return new SignatureCheck(true, Optional.of(kid), Optional.empty());
    }

    static SignatureCheck invalid(String kid, String reason) {
        return new SignatureCheck(false, Optional.ofNullable(kid), Optional.of(reason));
    }
}
