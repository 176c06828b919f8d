package ai.caracal.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.verify.MandateVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code caracal-resource-verifier-manifest.json} against the Caracal resource-verifier manifest schema
 * (interop.md §4, schema version {@code 2026-05-21}), and against this repository: its version is the
 * build's, and every fixture it names is a data file in some module's {@code src/test/resources/interop/}
 * that a test of that module reads.
 */
class ResourceVerifierManifestTest {

    private static final Path ROOT = Path.of(System.getProperty("caracal.root", "..")).toAbsolutePath().normalize();
    private static final Set<String> LANGUAGES = Set.of("typescript", "go", "python", "java", "rust", "other");
    private static final Set<String> ANCHORS = Set.of("sid", "root_sid", "agent_session_id", "delegation_edge_id");

    private JsonNode manifest;

    @BeforeEach
    void read() throws IOException {
        manifest = new ObjectMapper().readTree(ROOT.resolve("caracal-resource-verifier-manifest.json").toFile());
    }

    @Test
    @DisplayName("the manifest has exactly the schema's members, with the schema's types and values")
    void manifestFollowsTheSchema() {
        assertThat(fieldNames(manifest)).containsExactlyInAnyOrder("schema_version", "name", "version", "languages",
                "claim_profile", "revocation", "w3c_context", "audit", "conformance");
        assertThat(manifest.path("schema_version").textValue()).isEqualTo("2026-05-21");
        assertThat(manifest.path("name").textValue()).isNotBlank();
        assertThat(manifest.path("version").textValue()).isNotBlank();
        assertThat(uniqueStrings(manifest.path("languages"))).isNotEmpty().isSubsetOf(LANGUAGES).contains("java");

        JsonNode claims = manifest.path("claim_profile");
        assertThat(fieldNames(claims)).containsExactlyInAnyOrder("jwt_claim_schema_version", "requires_audience",
                "requires_target", "requires_scope", "requires_use_resource");
        assertThat(claims.path("jwt_claim_schema_version").textValue()).isEqualTo("2026-05-21");
        for (String flag : List.of("requires_audience", "requires_target", "requires_scope", "requires_use_resource")) {
            assertThat(claims.path(flag).isBoolean()).as(flag).isTrue();
        }

        JsonNode revocation = manifest.path("revocation");
        assertThat(fieldNames(revocation)).containsExactlyInAnyOrder("supported", "anchors");
        assertThat(revocation.path("supported").isBoolean()).isTrue();
        assertThat(uniqueStrings(revocation.path("anchors"))).isSubsetOf(ANCHORS);

        assertThat(fieldNames(manifest.path("w3c_context"))).containsExactlyInAnyOrder("trace_context", "baggage");
        manifest.path("w3c_context").forEach(flag -> assertThat(flag.isBoolean()).isTrue());
        assertThat(fieldNames(manifest.path("audit"))).containsExactly("action_result_emitter");
        assertThat(manifest.path("audit").path("action_result_emitter").isBoolean()).isTrue();
        assertThat(fieldNames(manifest.path("conformance"))).containsExactly("fixtures");
        assertThat(uniqueStrings(manifest.path("conformance").path("fixtures"))).isNotEmpty();
    }

    @Test
    @DisplayName("the manifest states this build: its version, all four anchors revocable, audience and use=resource required")
    void manifestStatesThisBuild() {
        assertThat(manifest.path("version").textValue())
                .isEqualTo(System.getProperty("caracal.version", "").replace("-SNAPSHOT", ""));
        assertThat(manifest.path("languages").toString()).isEqualTo("[\"java\"]");
        assertThat(manifest.path("revocation").path("supported").booleanValue()).isTrue();
        assertThat(uniqueStrings(manifest.path("revocation").path("anchors"))).containsExactlyInAnyOrderElementsOf(ANCHORS);
        assertThat(manifest.path("claim_profile").path("requires_audience").booleanValue()).isTrue();
        assertThatThrownBy(() -> MandateVerifier.builder().issuer("https://sts.example.com")
                .revocations(new InMemoryRevocationStore()).build())
                .as("a verifier cannot be built without an audience").isInstanceOf(RuntimeException.class);
        assertThat(manifest.path("claim_profile").path("requires_use_resource").booleanValue()).isTrue();
        assertThatThrownBy(() -> MandateVerifier.builder().requiredUse("gateway"))
                .as("use=gateway can never be accepted").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("every fixture the manifest names is a test resource under interop/ that a test of its module reads")
    void everyFixtureIsRunByATest() throws IOException {
        List<String> unrun = new ArrayList<>();
        for (String fixture : uniqueStrings(manifest.path("conformance").path("fixtures"))) {
            List<Path> homes;
            try (Stream<Path> modules = Files.list(ROOT)) {
                homes = modules.filter(module -> Files.isRegularFile(
                        module.resolve("src/test/resources/interop").resolve(fixture))).toList();
            }
            assertThat(homes).as("modules holding src/test/resources/interop/%s", fixture).hasSize(1);
            if (!readByATest(homes.get(0), fixture)) {
                unrun.add(fixture + " (" + homes.get(0).getFileName() + ")");
            }
        }
        assertThat(unrun).as("fixtures no test reads").isEmpty();
    }

    private static boolean readByATest(Path module, String fixture) throws IOException {
        try (Stream<Path> sources = Files.walk(module.resolve("src/test/java"))) {
            return sources.filter(path -> path.toString().endsWith("Test.java")).anyMatch(path -> {
                try {
                    return Files.readString(path).contains("\"" + fixture + "\"")
                            || Files.readString(path).contains("/interop/" + fixture);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    private static List<String> fieldNames(JsonNode object) {
        assertThat(object.isObject()).as("an object: %s", object).isTrue();
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> uniqueStrings(JsonNode array) {
        assertThat(array.isArray()).as("an array: %s", array).isTrue();
        List<String> values = new ArrayList<>();
        array.forEach(value -> {
            assertThat(value.isTextual()).as("a string: %s", value).isTrue();
            values.add(value.textValue());
        });
        assertThat(new TreeSet<>(values)).as("unique").hasSameSizeAs(values);
        return values;
    }
}
