package ai.caracal.release;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Assembles the Maven Central bundle of every published module from the modules' {@code target/}
 * directories, after a {@code -P release} build: the Maven repository layout
 * ({@code ai/caracal/<artifactId>/<version>/}) with each module's consumer POM, jar, {@code -sources} and
 * {@code -javadoc} jars, CycloneDX SBOM, their {@code .asc} signatures when the build signed, and an MD5 and
 * a SHA-1 file for each of those, then the same tree as a zip next to it. A missing file fails the
 * assembly with the list of what is missing, so an incomplete bundle is never written.
 *
 * <p>Run by the release profile of {@code caracal-release} ({@code exec:java}); see {@code RELEASING} in
 * the README. Not thread-safe; a command, not a library.
 */
public final class CentralBundle {

    private static final String GROUP_PATH = "ai/caracal";
    /** The zip's entries carry this time, so the zip of identical files is identical. */
    private static final FileTime ZIP_ENTRY_TIME = FileTime.fromMillis(1_764_547_200_000L);

    private final Path root;
    private final String version;
    private final boolean signed;

    private CentralBundle(Path root, String version, boolean signed) {
        this.root = root;
        this.version = version;
        this.signed = signed;
    }

    /**
     * Assembles the bundle.
     *
     * @param args the repository root, the version, the output directory (replaced), and {@code true} when
     *     the build signed its artifacts
     * @throws IOException when a file cannot be read or written
     * @throws IllegalStateException when a published module lacks a file Central requires
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: CentralBundle <root> <version> <output-dir> <signed>");
        }
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        Path out = Path.of(args[2]).toAbsolutePath().normalize();
        CentralBundle bundle = new CentralBundle(root, args[1], Boolean.parseBoolean(args[3]));
        Map<String, Path> files = bundle.files();
        bundle.write(files, out);
        System.out.println("central bundle: " + files.size() + " files for " + PublishedModules.of(root).size()
                + " modules in " + out + " and " + out.resolveSibling(out.getFileName() + ".zip"));
    }

    /** Bundle path to source file, for every published module; fails listing every missing file. */
    private Map<String, Path> files() throws IOException {
        Map<String, Path> files = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        for (PublishedModule module : PublishedModules.of(root)) {
            String dir = GROUP_PATH + "/" + module.artifactId() + "/" + version + "/";
            String base = module.artifactId() + "-" + version;
            for (Map.Entry<String, Path> artifact : module.artifactFiles(root, version).entrySet()) {
                String name = base + artifact.getKey();
                Path source = artifact.getValue();
                if (!Files.isRegularFile(source)) {
                    missing.add(name + " (" + root.relativize(source) + ")");
                    continue;
                }
                files.put(dir + name, source);
                if (signed) {
                    Path signature = module.signatureOf(root, version, artifact.getKey(), source);
                    if (Files.isRegularFile(signature)) {
                        files.put(dir + name + ".asc", signature);
                    } else {
                        missing.add(name + ".asc (" + root.relativize(signature) + ")");
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the Central bundle is incomplete, missing: " + String.join(", ", missing)
                    + " (build with ./mvnw -B -P release verify)");
        }
        return files;
    }

    private void write(Map<String, Path> files, Path out) throws IOException {
        deleteTree(out);
        Map<String, byte[]> entries = new TreeMap<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            byte[] content = Files.readAllBytes(file.getValue());
            entries.put(file.getKey(), content);
            if (!file.getKey().endsWith(".asc")) {
                entries.put(file.getKey() + ".md5", hex("MD5", content));
                entries.put(file.getKey() + ".sha1", hex("SHA-1", content));
            }
        }
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            Path target = out.resolve(entry.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, entry.getValue());
        }
        Path zip = out.resolveSibling(out.getFileName() + ".zip");
        try (OutputStream stream = Files.newOutputStream(zip); ZipOutputStream zipped = new ZipOutputStream(stream)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                ZipEntry zipEntry = new ZipEntry(entry.getKey());
                zipEntry.setLastModifiedTime(ZIP_ENTRY_TIME);
                zipped.putNextEntry(zipEntry);
                zipped.write(entry.getValue());
                zipped.closeEntry();
            }
        }
    }

    private static byte[] hex(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content))
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is a required JDK algorithm", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
