package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code ecdsa_secp256r1_sha256} P1363 (raw r‖s) vector of Project Wycheproof, through each ES256
 * engine: Caracal's precomputed tables, BouncyCastle's provider and the JDK's. Each engine must give the
 * vector's result: valid signatures accepted, every invalid one (r or s zero or out of range, wrong
 * length, arithmetic edge cases, point duplication, infinity) rejected.
 *
 * <p>One known defect of a reference engine: the JDK 17 SunEC provider rejects the two valid vectors
 * whose {@code R} has an affine x at or above {@code n} (tcId 115 and 257: {@code x mod n = r} is
 * compared as {@code x = r}); JDK 25 accepts them. Caracal's tables and BouncyCastle accept them.
 */
class WycheproofEs256Test {

    private static final String VECTORS = "/wycheproof/ecdsa_secp256r1_sha256_p1363_test.json";
    /** The valid vectors with {@code x(R) >= n}, which SunEC before JDK 25 rejects. */
    private static final Set<Integer> X_AT_OR_ABOVE_N = Set.of(115, 257);

    /** One group's key through each engine; the table is built once per group. */
    private record GroupKey(int group, Map<Es256TestKeys.Engine, KeyVerifier> verifiers) {
        @Override
        public String toString() {
            return "group " + group;
        }
    }

    static Stream<Arguments> vectors() throws IOException, java.text.ParseException {
        Map<String, Object> document;
        try (InputStream in = WycheproofEs256Test.class.getResourceAsStream(VECTORS)) {
            document = JSONObjectUtils.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(document.get("algorithm")).isEqualTo("ECDSA");
        List<Arguments> vectors = new ArrayList<>();
        int groupNumber = 0;
        for (Object groupObject : (List<?>) document.get("testGroups")) {
            Map<?, ?> group = (Map<?, ?>) groupObject;
            assertThat(group.get("type")).isEqualTo("EcdsaP1363Verify");
            assertThat(group.get("sha")).isEqualTo("SHA-256");
            Map<?, ?> key = (Map<?, ?>) group.get("publicKey");
            assertThat(key.get("curve")).isEqualTo("secp256r1");
            byte[] x = Es256TestKeys.hex((String) key.get("wx"));
            byte[] y = Es256TestKeys.hex((String) key.get("wy"));
            Map<Es256TestKeys.Engine, KeyVerifier> verifiers = new EnumMap<>(Es256TestKeys.Engine.class);
            for (Es256TestKeys.Engine engine : Es256TestKeys.Engine.values()) {
                verifiers.put(engine, Es256TestKeys.verifier(engine, x, y));
            }
            GroupKey groupKey = new GroupKey(++groupNumber, verifiers);
            for (Object testObject : (List<?>) group.get("tests")) {
                Map<?, ?> test = (Map<?, ?>) testObject;
                vectors.add(Arguments.of(((Number) test.get("tcId")).intValue(), test.get("comment"), test.get("flags"),
                        groupKey, test.get("msg"), test.get("sig"), test.get("result")));
            }
        }
        assertThat(vectors).hasSize(((Number) document.get("numberOfTests")).intValue());
        return vectors.stream();
    }

    @ParameterizedTest(name = "tcId {0}: {1} {2} -> {6}")
    @MethodSource("vectors")
    void everyEngineGivesTheVectorsResult(int tcId, String comment, List<?> flags, GroupKey key, String msg, String sig,
                                          String result) {
        assertThat(result).isIn("valid", "invalid");
        byte[] message = Es256TestKeys.hex(msg);
        byte[] signature = Es256TestKeys.hex(sig);
        boolean expected = "valid".equals(result);
        for (Map.Entry<Es256TestKeys.Engine, KeyVerifier> engine : key.verifiers().entrySet()) {
            // the signing input is a prefix of a longer array, as in a token
            byte[] signed = Es256TestKeys.concat(message, new byte[] {'.', 'x', 'y'});
            boolean accepted = engine.getValue().verify(signed, message.length, signature);
            if (engine.getKey() == Es256TestKeys.Engine.JDK && X_AT_OR_ABOVE_N.contains(tcId)
                    && Runtime.version().feature() < 25) {
                assertThat(accepted).as("JDK engine before 25, tcId %d (the known SunEC defect)", tcId).isFalse();
                continue;
            }
            assertThat(accepted).as("%s engine, tcId %d", engine.getKey(), tcId).isEqualTo(expected);
        }
    }
}
