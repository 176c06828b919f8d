package ai.caracal.testkit.attacks;

import static ai.caracal.testkit.attacks.Forge.N;
import static ai.caracal.testkit.attacks.Forge.r;
import static ai.caracal.testkit.attacks.Forge.rs;
import static ai.caracal.testkit.attacks.Forge.s;

import ai.caracal.testkit.MandateBuilder;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.impl.ECDSA;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * {@link AttackCategory#SIGNATURE_RANGE} (r and s outside [1, n-1], including the all-zero "psychic
 * signature" of CVE-2022-21449, and the accepted high-S form) and {@link AttackCategory#SIGNATURE_ENCODING}
 * (everything but 64 bytes of R||S over the segments as sent).
 */
final class SignatureAttacks {

    private static final BigInteger TWO_TO_256_MINUS_1 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    private SignatureAttacks() {
    }

    private static AttackCase.Builder range(String id, String description, MandateBuilder.SignatureForge forge) {
        return AttackCase.builder(AttackCategory.SIGNATURE_RANGE, id, description).token(a -> a.mint().forgeSignature(forge).sign());
    }

    private static AttackCase.Builder enc(String id, String description) {
        return AttackCase.builder(AttackCategory.SIGNATURE_ENCODING, id, description);
    }

    static List<AttackCase> range() {
        return List.of(
                range("SIG-01", "psychic signature: r = s = 0 (CVE-2022-21449)", (in, sig) -> new byte[64]).invalid().build(),
                range("SIG-02", "r = 0 with the valid s", (in, sig) -> rs(BigInteger.ZERO, s(sig))).invalid().build(),
                range("SIG-03", "the valid r with s = 0", (in, sig) -> rs(r(sig), BigInteger.ZERO)).invalid().build(),
                range("SIG-04", "r = n with the valid s", (in, sig) -> rs(N, s(sig))).invalid().build(),
                range("SIG-05", "the valid r with s = n", (in, sig) -> rs(r(sig), N)).invalid().build(),
                range("SIG-06", "r = s = n", (in, sig) -> rs(N, N)).invalid().build(),
                range("SIG-07", "r = n + 1 (r mod n = 1)", (in, sig) -> rs(N.add(BigInteger.ONE), s(sig))).invalid().build(),
                range("SIG-08", "the valid r with s = 2^256 - 1", (in, sig) -> rs(r(sig), TWO_TO_256_MINUS_1)).invalid().build(),
                range("SIG-09", "r = 2^256 - 1 with the valid s", (in, sig) -> rs(TWO_TO_256_MINUS_1, s(sig))).invalid().build(),
                range("SIG-10", "r = s = 1", (in, sig) -> rs(BigInteger.ONE, BigInteger.ONE)).invalid().build(),
                range("SIG-11", "r = n - r, s = n - s (negating both is not a valid signature)",
                        (in, sig) -> rs(N.subtract(r(sig)), N.subtract(s(sig)))).invalid().build(),
                range("SIG-12", "the valid r with s = n + 1 (s mod n = 1)", (in, sig) -> rs(r(sig), N.add(BigInteger.ONE))).invalid().build(),
                AttackCase.builder(AttackCategory.SIGNATURE_RANGE, "SIG-13", "valid: the high-S form s' = n - s of a valid signature")
                        .token(a -> a.mint().highS().sign()).accepted().build(),
                range("SIG-14", "valid: the low-S form of a valid signature (normalised)",
                        (in, sig) -> s(sig).compareTo(N.shiftRight(1)) > 0 ? rs(r(sig), N.subtract(s(sig))) : sig).accepted().build());
    }

    static List<AttackCase> encoding() {
        return List.of(
                enc("ENC-01", "DER-encoded signature (70 to 72 bytes)").token(a -> a.mint().derSignature().sign()).invalidWithoutKeyFetch().build(),
                enc("ENC-02", "a DER structure of exactly 64 bytes (passes a length check)")
                        .token(a -> a.mint().forgeSignature((in, sig) -> Forge.derOfSixtyFourBytes(sig)).sign()).invalid().build(),
                enc("ENC-03", "signature truncated to 63 bytes")
                        .token(a -> a.mint().forgeSignature((in, sig) -> Arrays.copyOf(sig, 63)).sign()).invalidWithoutKeyFetch().build(),
                enc("ENC-04", "signature segment missing its last character (85 characters)")
                        .token(a -> {
                            String token = a.token();
                            return token.substring(0, token.length() - 1);
                        })
                        .invalidWithoutKeyFetch().build(),
                enc("ENC-05", "signature extended with a zero byte (65 bytes)")
                        .token(a -> a.mint().forgeSignature((in, sig) -> Forge.append(sig, (byte) 0)).sign()).invalidWithoutKeyFetch().build(),
                enc("ENC-06", "signature sent twice (128 bytes)")
                        .token(a -> a.mint().forgeSignature((in, sig) -> Forge.append(sig, sig)).sign()).invalidWithoutKeyFetch().build(),
                enc("ENC-07", "empty signature segment with alg ES256")
                        .token(a -> a.mint().forgeSignature((in, sig) -> new byte[0]).sign()).invalidWithoutKeyFetch().build(),
                enc("ENC-08", "r and s swapped (S||R)")
                        .token(a -> a.mint().forgeSignature((in, sig) -> rs(s(sig), r(sig))).sign()).invalid().build(),
                enc("ENC-09", "r and s each in little-endian byte order")
                        .token(a -> a.mint().forgeSignature((in, sig) -> littleEndian(sig)).sign()).invalid().build(),
                enc("ENC-10", "signature transplanted from another valid mandate")
                        .token(a -> {
                            String token = a.token();
                            return token.substring(0, token.lastIndexOf('.') + 1) + Forge.segment(a.token(), 2);
                        })
                        .invalid().build(),
                enc("ENC-11", "signature of the same claims under a different header (typ removed)")
                        .token(a -> {
                            MandateBuilder mandate = a.mint();
                            String withTyp = mandate.sign();
                            String withoutTyp = mandate.removeHeader("typ").sign();
                            return withTyp.substring(0, withTyp.lastIndexOf('.') + 1) + Forge.segment(withoutTyp, 2);
                        })
                        .invalid().build(),
                enc("ENC-12", "one bit of the signature flipped").token(a -> a.mint().tamperSignature().sign()).invalid().build(),
                enc("ENC-13", "DER signature cut to 64 bytes")
                        .token(a -> a.mint().forgeSignature((in, sig) -> Arrays.copyOf(der(sig), 64)).sign()).invalid().build(),
                enc("ENC-14", "payload segment re-encoded with non-canonical trailing bits (same bytes, different characters)")
                        .token(SignatureAttacks::nonCanonicalPayload).invalidWithoutKeyFetch().build(),
                enc("ENC-15", "signature segment with non-canonical trailing bits (decodes to the same 64 bytes): one token, one spelling (V126)")
                        .token(a -> {
                            String token = a.token();
                            return token.substring(0, token.length() - 1) + flipLowestBit(token.charAt(token.length() - 1));
                        })
                        .invalidWithoutKeyFetch().build());
    }

    private static byte[] littleEndian(byte[] sig) {
        byte[] out = new byte[64];
        for (int i = 0; i < 32; i++) {
            out[i] = sig[31 - i];
            out[32 + i] = sig[63 - i];
        }
        return out;
    }

    private static byte[] der(byte[] raw) {
        try {
            return ECDSA.transcodeSignatureToDER(raw);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A valid mandate whose payload segment has unused trailing bits, with those bits set: it decodes to
     * the same JSON, but the signing input (the characters as sent) differs from what was signed.
     */
    private static String nonCanonicalPayload(AttackContext a) {
        for (int pad = 0; pad < 3; pad++) {
            String token = a.mint().claim("pad", "x".repeat(pad)).sign();
            String[] parts = token.split("\\.");
            int unusedBits = switch (parts[1].length() % 4) {
                case 2 -> 4;
                case 3 -> 2;
                default -> 0;
            };
            if (unusedBits > 0) {
                char last = parts[1].charAt(parts[1].length() - 1);
                parts[1] = parts[1].substring(0, parts[1].length() - 1) + flipLowestBit(last);
                return String.join(".", parts);
            }
        }
        throw new IllegalStateException("no padding length gives the payload segment trailing bits");
    }

    /** @return the base64url character with the lowest of its six bits flipped (an unused bit in a last character) */
    private static char flipLowestBit(char c) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int value = alphabet.indexOf(c);
        return alphabet.charAt(value ^ 1);
    }
}
