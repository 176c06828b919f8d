package ai.caracal.devsts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The key directory: {@code <dir>/<zone>/<kid>.pem}, each file a PKCS#8 {@code PRIVATE KEY} PEM with
 * mode 0600 (directories 0700) on file systems that have POSIX permissions.
 *
 * <p>Zone IDs are arbitrary strings, so the directory name is the zone ID with every character outside
 * {@code [A-Za-z0-9._-]}, {@code %} included, percent-encoded as UTF-8 (and {@code .} / {@code ..}
 * encoded whole): ordinary zone names stay readable, and no zone ID can escape the directory.
 * Not thread-safe; {@link ZoneKeys} serialises access.
 */
final class KeyFiles {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";
    private static final String SUFFIX = ".pem";
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path dir;

    KeyFiles(Path dir) {
        this.dir = dir;
    }

    /** A key read back from disk. */
    record Loaded(String kid, ECPrivateKey privateKey) {
    }

    /**
     * Writes a new key file with mode 0600.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    void write(String zone, String kid, ECPrivateKey key) {
        try {
            Path zoneDir = dir.resolve(encodeZone(zone));
            createDirectory(dir);
            createDirectory(zoneDir);
            Path file = zoneDir.resolve(kid + SUFFIX);
            String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
            byte[] pem = (BEGIN + "\n" + body + "\n" + END + "\n").getBytes(StandardCharsets.US_ASCII);
            if (posix(zoneDir)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
                Files.setPosixFilePermissions(file, OWNER_FILE); // the umask may have narrowed the mode
            } else {
                Files.createFile(file);
            }
            Files.write(file, pem);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("key file for kid " + kid + " already exists", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key file for kid " + kid + " of zone " + zone, e);
        }
    }

    /**
     * Reads every {@code <zone>/<kid>.pem} under the directory. A missing directory holds no keys.
     *
     * @return the keys per zone, zones in name order, keys in kid order (oldest first)
     * @throws IllegalStateException naming the file when one cannot be read as a P-256 PKCS#8 key
     */
    Map<String, List<Loaded>> readAll() {
        Map<String, List<Loaded>> zones = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return zones;
        }
        try (DirectoryStream<Path> zoneDirs = Files.newDirectoryStream(dir, Files::isDirectory)) {
            Map<String, Path> sorted = new TreeMap<>();
            zoneDirs.forEach(zoneDir -> sorted.put(zoneDir.getFileName().toString(), zoneDir));
            for (Path zoneDir : sorted.values()) {
                List<Loaded> keys = readZone(zoneDir);
                if (!keys.isEmpty()) {
                    zones.put(decodeZone(zoneDir.getFileName().toString()), keys);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key directory " + dir, e);
        }
        return zones;
    }

    private static List<Loaded> readZone(Path zoneDir) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> pems = Files.newDirectoryStream(zoneDir, "*" + SUFFIX)) {
            pems.forEach(file -> files.put(file.getFileName().toString(), file));
        }
        List<Loaded> keys = new ArrayList<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            String kid = file.getKey().substring(0, file.getKey().length() - SUFFIX.length());
            if (UuidV7.timestampOf(kid) < 0) {
                throw new IllegalStateException("key file " + file.getValue() + " is not named <kid>.pem with a UUIDv7 kid");
            }
            keys.add(new Loaded(kid, parse(file.getValue())));
        }
        return keys;
    }

    private static ECPrivateKey parse(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!pem.startsWith(BEGIN) || !pem.endsWith(END)) {
            throw new IllegalStateException("key file " + file + " is not a PEM PRIVATE KEY");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(BEGIN.length(), pem.length() - END.length()));
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            return (ECPrivateKey) key;
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("key file " + file + " is not a PKCS#8 EC private key", e);
        }
    }

    private static void createDirectory(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return;
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (posix(parent == null ? path : parent)) {
            Files.createDirectory(path, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } else {
            Files.createDirectory(path);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** @return the directory name of a zone (see the class comment) */
    static String encodeZone(String zone) {
        boolean dotsOnly = zone.chars().allMatch(c -> c == '.');
        StringBuilder name = new StringBuilder();
        for (byte b : zone.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean plain = !dotsOnly && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == '-');
            if (plain) {
                name.append(c);
            } else {
                name.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return name.toString();
    }

    /** @return the zone ID of a directory name written by {@link #encodeZone(String)} */
    static String decodeZone(String name) {
        return ZoneIds.percentDecode(name);
    }
}
