package ai.caracal.testkit.attacks;

import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestJson;
import java.util.List;
import java.util.Map;

/**
 * {@link AttackCategory#HEADER_EXTENSIONS}: {@code b64} and {@code zip} are ignored members. The signing
 * input is always the first two segments as sent and the payload is always base64url of UTF-8 JSON, so a
 * correctly signed ordinary payload stays valid and anything relying on the extensions fails.
 */
final class HeaderExtensionAttacks {

    private HeaderExtensionAttacks() {
    }

    private static AttackCase.Builder c(String id, String description) {
        return AttackCase.builder(AttackCategory.HEADER_EXTENSIONS, id, description);
    }

    static List<AttackCase> cases() {
        return List.of(
                c("EXT-01", "b64 false with the JSON payload unencoded in the compact form")
                        .token(a -> {
                            String token = a.token();
                            return Forge.b64(Forge.withMembers(Forge.header(a), "\"b64\":false")) + "."
                                    + Forge.text(Forge.segment(token, 1)) + "." + Forge.segment(token, 2);
                        })
                        .invalidWithoutKeyFetch().build(),
                c("EXT-02", "b64 false with a detached (empty) payload, signed over header and empty payload")
                        .token(a -> a.mint().header("b64", false).rawPayload(new byte[0]).sign()).invalid().build(),
                c("EXT-03", "zip DEF with a DEFLATE-compressed claims payload, signed by the zone key")
                        .token(a -> compressed(a.mint().header("zip", "DEF")).sign()).invalid().build(),
                c("EXT-04", "zip DEF with a deflate bomb (8 MiB of zeros) as the payload")
                        .token(a -> a.mint().header("zip", "DEF").rawPayload(Forge.deflate("0".repeat(8 << 20))).sign())
                        .invalid().build(),
                c("EXT-05", "zip GZIP (unregistered) with a compressed payload")
                        .token(a -> compressed(a.mint().header("zip", "GZIP")).sign()).invalid().build(),
                c("EXT-06", "valid: b64 false on an ordinary base64url payload (ignored)")
                        .token(a -> a.mint().header("b64", false).sign()).accepted().build(),
                c("EXT-07", "valid: zip DEF on an uncompressed payload (ignored)")
                        .token(a -> a.mint().header("zip", "DEF").sign()).accepted().build(),
                c("EXT-08", "valid: JWE members enc and epk in a JWS header (ignored)")
                        .token(a -> a.mint().header("enc", "A256GCM").header("epk", Map.of("kty", "EC")).sign())
                        .accepted().build());
    }

    private static MandateBuilder compressed(MandateBuilder mandate) {
        return mandate.rawPayload(Forge.deflate(TestJson.write(mandate.claims())));
    }
}
