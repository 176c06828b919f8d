package ai.caracal.release;

import static ai.caracal.release.CentralRequirementsIT.ROOT;
import static ai.caracal.release.CentralRequirementsIT.VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Central bundle a {@code ./mvnw -B -P release verify} build leaves in {@code target/central-bundle/}
 * (run only by the release profile, which builds it): every published module's POM, jar, sources, javadoc
 * and SBOM with MD5 and SHA-1 files, signatures when the build signed, sources and javadoc covering every
 * public class, SBOMs naming their module, the aggregate SBOM naming every library, and the zip holding the
 * same files.
 */
class CentralBundleIT {

    private static final Path BUNDLE = ROOT.resolve("target").resolve("central-bundle");
    private static final boolean SIGNED = Boolean.getBoolean("caracal.signed");
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<PublishedModule> published() throws IOException {
        return PublishedModules.of(ROOT);
    }

    static Stream<PublishedModule> libraries() throws IOException {
        return published().stream().filter(module -> module.kind() == PublishedModule.Kind.LIBRARY);
    }

    private static Path inBundle(PublishedModule module, String suffix) {
        return BUNDLE.resolve("ai/caracal").resolve(module.artifactId()).resolve(VERSION)
                .resolve(module.artifactId() + "-" + VERSION + suffix);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("published")
    @DisplayName("every file Central requires is in the bundle, with checksums (and signatures when signed)")
    void bundleHasEveryFileWithChecksums(PublishedModule module) throws Exception {
        for (Map.Entry<String, Path> artifact : module.artifactFiles(ROOT, VERSION).entrySet()) {
            Path file = inBundle(module, artifact.getKey());
            assertThat(file).isRegularFile().hasSameBinaryContentAs(artifact.getValue());
            byte[] content = Files.readAllBytes(file);
            assertThat(Files.readString(file.resolveSibling(file.getFileName() + ".md5")))
                    .isEqualTo(digest("MD5", content));
            assertThat(Files.readString(file.resolveSibling(file.getFileName() + ".sha1")))
                    .isEqualTo(digest("SHA-1", content));
            Path signature = file.resolveSibling(file.getFileName() + ".asc");
            if (SIGNED) {
                assertThat(Files.readString(signature, StandardCharsets.US_ASCII))
                        .startsWith("-----BEGIN PGP SIGNATURE-----");
            } else {
                assertThat(signature).as("no key configured: nothing signed").doesNotExist();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraries")
    @DisplayName("the sources jar has every class's source and the javadoc jar a page for every public class")
    void sourcesAndJavadocCoverEveryClass(PublishedModule module) throws IOException {
        Set<String> topLevelClasses = new TreeSet<>();
        try (JarFile jar = new JarFile(inBundle(module, ".jar").toFile())) {
            jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.endsWith(".class") && !name.contains("$") && !name.endsWith("module-info.class"))
                    .forEach(name -> topLevelClasses.add(name.substring(0, name.length() - ".class".length())));
        }
        assertThat(topLevelClasses).isNotEmpty();
        Set<String> sources = entries(inBundle(module, "-sources.jar"));
        assertThat(sources).containsAll(topLevelClasses.stream()
                .filter(name -> !name.endsWith("package-info")).map(name -> name + ".java").toList());
        Set<String> javadoc = entries(inBundle(module, "-javadoc.jar"));
        assertThat(javadoc).contains("index.html");
        Set<String> packages = topLevelClasses.stream().map(name -> name.substring(0, name.lastIndexOf('/')))
                .collect(Collectors.toCollection(TreeSet::new));
        // Named and automatic modules put their pages under a directory named after the module.
        for (String pkg : packages) {
            assertThat(javadoc).as("javadoc of package %s", pkg)
                    .anyMatch(entry -> entry.equals(pkg + "/package-summary.html")
                            || entry.endsWith("/" + pkg + "/package-summary.html"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraries")
    @DisplayName("the module's CycloneDX SBOM describes the module and lists its dependencies")
    void moduleSbomDescribesTheModule(PublishedModule module) throws IOException {
        JsonNode sbom = JSON.readTree(inBundle(module, "-cyclonedx.json").toFile());
        assertThat(sbom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        JsonNode component = sbom.path("metadata").path("component");
        assertThat(component.path("name").asText()).isEqualTo(module.artifactId());
        assertThat(component.path("version").asText()).isEqualTo(VERSION);
        assertThat(component.path("purl").asText()).startsWith("pkg:maven/ai.caracal/" + module.artifactId() + "@");
        assertThat(sbom.path("dependencies").isArray()).isTrue();
    }

    @Test
    @DisplayName("the aggregate SBOM lists every published library and no unpublished module")
    void aggregateSbomListsEveryLibrary() throws IOException {
        PublishedModule parent = published().get(0);
        JsonNode sbom = JSON.readTree(inBundle(parent, "-cyclonedx-aggregate.json").toFile());
        Set<String> caracalComponents = new TreeSet<>();
        sbom.path("components").forEach(component -> {
            if (component.path("group").asText().equals("ai.caracal")) {
                caracalComponents.add(component.path("name").asText());
            }
        });
        assertThat(caracalComponents).containsAll(PublishedModules.bomArtifactIds(ROOT));
        assertThat(caracalComponents).doesNotContain("caracal-cli", "caracal-examples", "caracal-bench",
                "caracal-dev-sts", "caracal-release");
    }

    @Test
    @DisplayName("the zip holds exactly the bundle directory's files")
    void zipMatchesDirectory() throws IOException {
        Set<String> files;
        try (Stream<Path> walk = Files.walk(BUNDLE)) {
            files = walk.filter(Files::isRegularFile).map(path -> BUNDLE.relativize(path).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(entries(BUNDLE.resolveSibling("central-bundle.zip"))).isEqualTo(files);
    }

    private static Set<String> entries(Path zip) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return file.stream().filter(entry -> !entry.isDirectory()).map(ZipEntry::getName)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String digest(String algorithm, byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    }
}
