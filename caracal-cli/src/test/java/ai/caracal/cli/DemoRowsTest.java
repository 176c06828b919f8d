package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.devsts.DevSts;
import ai.caracal.devsts.MintRequest;
import java.util.Base64;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The parts of the demo rows that do not need a server: D6's tampering and keeping tokens out of bodies. */
class DemoRowsTest {

    @Test
    @DisplayName("D6 changes exactly one signature character, and the decoded signature bytes with it")
    void tamperedSignature() {
        String token;
        try (DevSts sts = DevSts.builder().start()) {
            token = sts.mint(MintRequest.builder().audience("resource://documents").build()).accessToken();
        }
        String tampered = DemoRows.tamperSignature(token);

        int signature = token.lastIndexOf('.') + 1;
        assertThat(tampered).hasSameSizeAs(token).startsWith(token.substring(0, signature)).isNotEqualTo(token);
        assertThat(tampered.substring(signature + 1)).isEqualTo(token.substring(signature + 1));
        Base64.Decoder base64url = Base64.getUrlDecoder();
        assertThat(base64url.decode(tampered.substring(signature))).isNotEqualTo(base64url.decode(token.substring(signature)));
    }

    @Test
    @DisplayName("a received body that echoes the row's token prints [token] in its place")
    void tokenIsLeftOutOfBodies() {
        DemoObservation echoed = new DemoObservation("ok", DemoObservation.TOOL, OptionalInt.of(200), "{\"seen\":\"abc.def.ghi\"}");

        assertThat(echoed.withoutToken("abc.def.ghi").body()).isEqualTo("{\"seen\":\"[token]\"}");
        assertThat(echoed.withoutToken(null)).isSameAs(echoed);
    }
}
