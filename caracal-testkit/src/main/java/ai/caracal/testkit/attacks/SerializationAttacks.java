package ai.caracal.testkit.attacks;

import static ai.caracal.testkit.attacks.Forge.segment;

import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link AttackCategory#SERIALIZATION}: anything but JWS Compact with three unpadded base64url segments
 * of strict UTF-8 JSON. All are rejected before any key lookup, except the payload-level ones, which are
 * only read after the signature check.
 */
final class SerializationAttacks {

    private SerializationAttacks() {
    }

    private static AttackCase.Builder c(String id, String description) {
        return AttackCase.builder(AttackCategory.SERIALIZATION, id, description);
    }

    static List<AttackCase> cases() {
        return List.of(
                c("SER-01", "JWS flattened JSON serialization of a valid mandate")
                        .token(a -> Forge.flattenedJson(a.token())).invalidWithoutKeyFetch().build(),
                c("SER-02", "JWS general JSON serialization of a valid mandate")
                        .token(a -> Forge.generalJson(a.token())).invalidWithoutKeyFetch().build(),
                c("SER-03", "flattened JSON serialization, base64url-encoded into one segment")
                        .token(a -> Forge.b64(Forge.flattenedJson(a.token()))).invalidWithoutKeyFetch().build(),
                c("SER-04", "flattened JSON with an unprotected header claiming alg none")
                        .token(a -> Forge.withMembers(Forge.flattenedJson(a.token()), "\"header\":{\"alg\":\"none\"}"))
                        .invalidWithoutKeyFetch().build(),
                c("SER-05", "valid compact mandate with a trailing dot").token(a -> a.token() + ".").invalidWithoutKeyFetch().build(),
                c("SER-06", "valid compact mandate with a leading dot").token(a -> "." + a.token()).invalidWithoutKeyFetch().build(),
                c("SER-07", "two dots only").token(a -> "..").invalidWithoutKeyFetch().build(),
                c("SER-08", "header and payload only, no signature segment")
                        .token(a -> {
                            String token = a.token();
                            return token.substring(0, token.lastIndexOf('.'));
                        })
                        .invalidWithoutKeyFetch().build(),
                c("SER-09", "JWE-shaped compact form: five segments")
                        .token(a -> Forge.b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\",\"kid\":\"" + a.kid() + "\"}")
                                + ".AAAA.AAAAAAAAAAAAAAAA." + segment(a.token(), 1) + ".AAAAAAAAAAAAAAAAAAAAAA")
                        .invalidWithoutKeyFetch().build(),
                c("SER-10", "signature segment with a standard-base64 '+' character")
                        .token(a -> replaceAt(a.token(), a.token().lastIndexOf('.') + 1, '+')).invalidWithoutKeyFetch().build(),
                c("SER-11", "payload segment with a standard-base64 '/' character")
                        .token(a -> {
                            String token = a.token();
                            return replaceAt(token, token.indexOf('.') + 1, '/');
                        })
                        .invalidWithoutKeyFetch().build(),
                c("SER-12", "dots percent-encoded as %2E")
                        .token(a -> a.token().replace(".", "%2E")).invalidWithoutKeyFetch().build(),
                c("SER-13", "valid mandate in double quotes").token(a -> "\"" + a.token() + "\"").invalidWithoutKeyFetch().build(),
                c("SER-14", "header segment one character too long (length 1 mod 4)")
                        .token(a -> {
                            String token = a.token();
                            int dot = token.indexOf('.');
                            String header = token.substring(0, dot);
                            String grown = header.length() % 4 == 0 ? header + "A" : header + "A".repeat(5 - header.length() % 4);
                            return grown + token.substring(dot);
                        })
                        .invalidWithoutKeyFetch().build(),
                c("SER-15", "header prefixed with a UTF-8 byte order mark")
                        .token(a -> a.mint().rawHeader("\uFEFF" + Forge.header(a)).sign()).invalidWithoutKeyFetch().build(),
                c("SER-16", "header bytes that are not UTF-8 (overlong encoding inside a string)")
                        .token(a -> a.mint().rawHeader(overlong(Forge.header(a))).sign()).invalidWithoutKeyFetch().build(),
                c("SER-17", "header JSON followed by a second value")
                        .token(a -> a.mint().rawHeader(Forge.header(a) + "{}").sign()).invalidWithoutKeyFetch().build(),
                c("SER-18", "header JSON with a comment")
                        .token(a -> a.mint().rawHeader("/*x*/" + Forge.header(a)).sign()).invalidWithoutKeyFetch().build(),
                c("SER-19", "header is a JSON array holding the header object")
                        .token(a -> a.mint().rawHeader("[" + Forge.header(a) + "]").sign()).invalidWithoutKeyFetch().build(),
                c("SER-20", "header with single-quoted strings")
                        .token(a -> a.mint().rawHeader(Forge.header(a).replace('"', '\'')).sign()).invalidWithoutKeyFetch().build(),
                c("SER-21", "payload bytes that are not UTF-8, signed by the zone key")
                        .token(a -> {
                            MandateBuilder mandate = a.mint();
                            return mandate.rawPayload(overlong(TestJson.write(mandate.claims()))).sign();
                        })
                        .invalid().build(),
                c("SER-22", "payload JSON followed by trailing garbage, signed by the zone key")
                        .token(a -> Forge.editPayload(a.mint(), json -> json + " x").sign()).invalid().build(),
                c("SER-23", "payload is a JSON string, signed by the zone key")
                        .token(a -> a.mint().rawPayload("\"claims\"").sign()).invalid().build(),
                c("SER-24", "payload is JSON null, signed by the zone key")
                        .token(a -> a.mint().rawPayload("null").sign()).invalid().build(),
                c("SER-25", "payload with an unquoted member name, signed by the zone key")
                        .token(a -> Forge.editPayload(a.mint(), json -> Forge.withMembers(json, "foo:1")).sign()).invalid().build(),
                c("SER-26", "valid: header and payload JSON with whitespace and newlines around every token")
                        .token(a -> Forge.editPayload(a.mint().rawHeader(" {\n \"alg\" : \"ES256\" ,\n \"kid\" : \"" + a.kid() + "\"\n}\n"),
                                json -> "\n\t" + json.replace(",", " ,\r\n ") + " \n").sign())
                        .accepted().build(),
                c("SER-27", "valid: payload with members in reverse order and unknown claims")
                        .token(a -> {
                            MandateBuilder mandate = a.mint();
                            List<Map.Entry<String, Object>> entries = new ArrayList<>(mandate.claims().entrySet());
                            Collections.reverse(entries);
                            Map<String, Object> reversed = new LinkedHashMap<>();
                            reversed.put("x-unknown", Map.of("nested", List.of(1, "two", false)));
                            entries.forEach(e -> reversed.put(e.getKey(), e.getValue()));
                            return mandate.rawPayload(TestJson.write(reversed)).sign();
                        })
                        .accepted().build(),
                c("SER-28", "payload in a non-canonical spelling, signed over the respelled text (V126)")
                        .token(a -> a.mint().respell(MandateBuilder.Segment.PAYLOAD).sign()).invalidWithoutKeyFetch().build(),
                c("SER-29", "header in a non-canonical spelling, signed over the respelled text (V126)")
                        .token(a -> a.mint().respell(MandateBuilder.Segment.HEADER).sign()).invalidWithoutKeyFetch().build());
    }

    private static String replaceAt(String text, int index, char c) {
        return text.substring(0, index) + c + text.substring(index + 1);
    }

    /** The UTF-8 bytes of {@code json} with an overlong encoding of {@code /} (C0 AF) at the start of the first string value. */
    private static byte[] overlong(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int quote = json.indexOf('"', json.indexOf(':')) + 1;
        byte[] out = new byte[bytes.length + 2];
        System.arraycopy(bytes, 0, out, 0, quote);
        out[quote] = (byte) 0xC0;
        out[quote + 1] = (byte) 0xAF;
        System.arraycopy(bytes, quote, out, quote + 2, bytes.length - quote);
        return out;
    }
}
