package ai.caracal.release;

import static ai.caracal.release.PublishedModules.child;
import static ai.caracal.release.PublishedModules.children;
import static ai.caracal.release.PublishedModules.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;

/**
 * Maven Central's requirements, checked on what every build produces: the consumer POM of every published
 * module (flattened: no parent, resolved versions, name, description, url, licenses, developers, scm), and
 * a stable, valid {@code Automatic-Module-Name} in every library jar. The files only a {@code -P release}
 * build produces (sources, javadoc, SBOMs, signatures, the bundle) are checked by {@link CentralBundleIT}.
 */
class CentralRequirementsIT {

    static final Path ROOT = Path.of(System.getProperty("caracal.root", "..")).toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("caracal.version");

    /**
     * The module names users write in {@code requires}: changing one breaks their module-info, so a change
     * here is a breaking change. Every published library has one (the test fails for a new BOM entry
     * without a row).
     */
    static final Map<String, String> MODULE_NAMES = Map.ofEntries(
            Map.entry("caracal-revocation", "ai.caracal.revocation"),
            Map.entry("caracal-verify", "ai.caracal.verify"),
            Map.entry("caracal-revocation-redis", "ai.caracal.revocation.redis"),
            Map.entry("caracal-tokenstate-postgres", "ai.caracal.tokenstate.postgres"),
            Map.entry("caracal-servlet", "ai.caracal.servlet"),
            Map.entry("caracal-jdkhttp", "ai.caracal.jdkhttp"),
            Map.entry("caracal-jaxrs", "ai.caracal.jaxrs"),
            Map.entry("caracal-webflux", "ai.caracal.webflux"),
            Map.entry("caracal-mcp", "ai.caracal.mcp"),
            Map.entry("caracal-spring-boot-starter", "ai.caracal.spring"),
            Map.entry("caracal-mint", "ai.caracal.mint"),
            Map.entry("caracal-testkit", "ai.caracal.testkit"));

    static List<PublishedModule> published() throws IOException {
        return PublishedModules.of(ROOT);
    }

    static Stream<PublishedModule> libraries() throws IOException {
        return published().stream().filter(module -> module.kind() == PublishedModule.Kind.LIBRARY);
    }

    @Test
    @DisplayName("the modules built without maven.deploy.skip are exactly the BOM's list, the BOM and the parent")
    void publishedModulesAreTheBomList() throws IOException {
        Element root = PublishedModules.parse(ROOT.resolve("pom.xml")).getDocumentElement();
        Set<String> deployed = new TreeSet<>();
        for (Element module : children(child(root, "modules"), "module")) {
            Element pom = PublishedModules.parse(ROOT.resolve(module.getTextContent().trim()).resolve("pom.xml"))
                    .getDocumentElement();
            Element properties = child(pom, "properties");
            boolean skipped = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
            if (!skipped) {
                deployed.add(text(pom, "artifactId"));
            }
        }
        Set<String> expected = new TreeSet<>(PublishedModules.bomArtifactIds(ROOT));
        expected.add("caracal-bom");
        assertThat(deployed)
                .as("a module is in caracal-bom, or sets <maven.deploy.skip>true</maven.deploy.skip>")
                .isEqualTo(expected);
        assertThat(MODULE_NAMES.keySet()).as("a module name for every library").isEqualTo(
                new TreeSet<>(PublishedModules.bomArtifactIds(ROOT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("published")
    @DisplayName("the consumer POM has the Central metadata and no parent, and pins every dependency")
    void consumerPomMeetsCentralRequirements(PublishedModule module) throws IOException {
        Path pomFile = module.artifactFiles(ROOT, VERSION).get(".pom");
        assertThat(pomFile).as("consumer POM of %s", module.artifactId()).isRegularFile();
        Element pom = PublishedModules.parse(pomFile).getDocumentElement();

        assertThat(child(pom, "parent")).as("flattened: no parent").isNull();
        assertThat(text(pom, "groupId")).isEqualTo(PublishedModules.GROUP_ID);
        assertThat(text(pom, "artifactId")).isEqualTo(module.artifactId());
        assertThat(text(pom, "version")).isEqualTo(VERSION);
        for (String element : List.of("name", "description", "url")) {
            assertThat(text(pom, element)).as(element).isNotBlank().doesNotContain("${");
        }
        List<Element> licenses = children(child(pom, "licenses"), "license");
        assertThat(licenses).as("licenses").isNotEmpty();
        licenses.forEach(license -> assertThat(List.of(text(license, "name"), text(license, "url")))
                .as("license name and url").allSatisfy(value -> assertThat(value).isNotBlank()));
        List<Element> developers = children(child(pom, "developers"), "developer");
        assertThat(developers).as("developers").isNotEmpty();
        developers.forEach(developer -> assertThat(text(developer, "name")).as("developer name").isNotBlank());
        Element scm = child(pom, "scm");
        assertThat(scm).as("scm").isNotNull();
        assertThat(text(scm, "connection")).startsWith("scm:git:");
        assertThat(text(scm, "url")).startsWith("https://");

        Element dependencies = child(pom, "dependencies");
        if (dependencies != null) {
            for (Element dependency : children(dependencies, "dependency")) {
                assertThat(text(dependency, "version")).as("version of %s", text(dependency, "artifactId"))
                        .isNotBlank().doesNotContain("${");
                assertThat(text(dependency, "scope")).as("scope of %s", text(dependency, "artifactId"))
                        .isNotEqualTo("test");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraries")
    @DisplayName("the jar carries its stable Automatic-Module-Name and is a valid module")
    void jarHasStableModuleName(PublishedModule module) throws IOException {
        Path jar = module.artifactFiles(ROOT, VERSION).get(".jar");
        assertThat(jar).isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
                    .isEqualTo(MODULE_NAMES.get(module.artifactId()));
        }
        Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
        assertThat(found).hasSize(1);
        ModuleDescriptor descriptor = found.iterator().next().descriptor();
        assertThat(descriptor.name()).isEqualTo(MODULE_NAMES.get(module.artifactId()));
        assertThat(descriptor.packages()).as("the module's packages live under its name")
                .allSatisfy(pkg -> assertThat(pkg).startsWith(descriptor.name()));
    }

    @Test
    @DisplayName("no two published jars share a package (they load together on the module path)")
    void noSplitPackages() throws IOException {
        Map<String, String> owner = new HashMap<>();
        List<String> splits = new ArrayList<>();
        for (PublishedModule module : libraries().toList()) {
            Path jar = module.artifactFiles(ROOT, VERSION).get(".jar");
            for (String pkg : ModuleFinder.of(jar).findAll().iterator().next().descriptor().packages()) {
                String previous = owner.putIfAbsent(pkg, module.artifactId());
                if (previous != null) {
                    splits.add(pkg + " in " + previous + " and " + module.artifactId());
                }
            }
        }
        assertThat(splits).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraries")
    @DisplayName("jar entries carry the fixed outputTimestamp (reproducible builds)")
    void jarEntriesHaveFixedTime(PublishedModule module) throws IOException {
        Path jar = module.artifactFiles(ROOT, VERSION).get(".jar");
        try (JarFile file = new JarFile(jar.toFile())) {
            Set<Long> times = new TreeSet<>();
            file.stream().forEach(entry -> times.add(entry.getTime()));
            assertThat(times).as("one time for every entry").hasSize(1);
        }
    }
}
