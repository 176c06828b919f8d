package ai.caracal.release;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One artifact Caracal for Java publishes to Maven Central, and where a {@code -P release} build leaves
 * each of its files.
 *
 * @param artifactId the artifact ID (group {@code ai.caracal})
 * @param directory the module's directory, relative to the repository root ({@code ""} for the parent)
 * @param kind what the module is, which decides its files
 */
record PublishedModule(String artifactId, String directory, Kind kind) {

    /** What a published module is. */
    enum Kind {
        /** {@code caracal-parent}: a flattened POM and the SBOMs (its own and the aggregate of all modules). */
        PARENT,
        /** {@code caracal-bom}: a POM only. */
        BOM,
        /** A library jar: POM, jar, sources, javadoc and SBOM. */
        LIBRARY
    }

    /** The module's {@code target/} directory. */
    Path target(Path root) {
        return root.resolve(directory).resolve("target");
    }

    /**
     * The files Central receives, by their suffix after {@code <artifactId>-<version>}.
     *
     * @return suffix (such as {@code ".pom"}, {@code "-sources.jar"}) to the file the build wrote
     */
    Map<String, Path> artifactFiles(Path root, String version) {
        Path target = target(root);
        Map<String, Path> files = new LinkedHashMap<>();
        switch (kind) {
            case PARENT -> {
                files.put(".pom", target.resolve(".flattened-pom.xml"));
                files.put("-cyclonedx.json", target.resolve("bom.json"));
                files.put("-cyclonedx-aggregate.json", target.resolve("aggregate-bom.json"));
            }
            case BOM -> files.put(".pom", root.resolve(directory).resolve("pom.xml"));
            case LIBRARY -> {
                String base = artifactId + "-" + version;
                files.put(".pom", target.resolve(".flattened-pom.xml"));
                files.put(".jar", target.resolve(base + ".jar"));
                files.put("-sources.jar", target.resolve(base + "-sources.jar"));
                files.put("-javadoc.jar", target.resolve(base + "-javadoc.jar"));
                files.put("-cyclonedx.json", target.resolve("bom.json"));
            }
        }
        return files;
    }

    /** Where maven-gpg-plugin writes the signature of one of {@link #artifactFiles}. */
    Path signatureOf(Path root, String version, String suffix, Path file) {
        if (suffix.equals(".pom")) {
            return target(root).resolve(artifactId + "-" + version + ".pom.asc");
        }
        return file.resolveSibling(file.getFileName() + ".asc");
    }
}
