package ai.caracal.devsts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.testkit.TestClock;
import ai.caracal.verify.JwksCache;
import ai.caracal.verify.MandateVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** devtools.md §1.2 {@code keyDir}: {@code <dir>/<zone>/<kid>.pem}, PKCS#8, mode 0600, reloaded at start. */
class KeyPersistenceTest {

    private static final String AUD = "https://api.test";

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();

    private DevSts start() {
        return DevSts.builder().clock(clock).keyDir(dir).zones("zone_dev", "zone_two").start();
    }

    private static String jwks(DevSts sts, String zone) {
        return new Http(sts).get("/.well-known/jwks.json?zone_id=" + zone).raw().body();
    }

    @Test
    void restartWithTheSameKeyDirKeepsTheKids() {
        List<ZoneInfo> before;
        String jwksBefore;
        try (DevSts sts = start()) {
            sts.mint(MintRequest.builder().audience(AUD).zoneId("zone_lazy").build());
            before = sts.zones();
            jwksBefore = jwks(sts, "zone_dev");
        }

        try (DevSts sts = start()) {
            assertThat(sts.zones()).isEqualTo(before);
            assertThat(sts.zones()).extracting(ZoneInfo::zoneId).containsExactly("zone_dev", "zone_two", "zone_lazy");
            assertThat(jwks(sts, "zone_dev")).isEqualTo(jwksBefore);
        }
    }

    @Test
    void mandateMintedBeforeARestartVerifiesAfterIt() {
        String token;
        int port;
        try (DevSts sts = start()) {
            token = sts.mint(MintRequest.builder().audience(AUD).build()).accessToken();
            port = sts.port();
        }

        try (DevSts sts = DevSts.builder().clock(clock).keyDir(dir).port(port).start()) {
            MandateVerifier verifier = MandateVerifier.builder().issuer(sts.issuer()).audience(AUD).zoneId("zone_dev")
                    .revocations(new ai.caracal.revocation.InMemoryRevocationStore()).clock(clock).jwksTtl(JwksCache.DEFAULT_TTL).build();

            assertThat(verifier.authenticate(token).ok()).isTrue();
            assertThat(Tokens.header(sts.mint(MintRequest.builder().audience(AUD).build()).accessToken()).get("kid"))
                    .isEqualTo(Tokens.header(token).get("kid"));
        }
    }

    @Test
    void keyFilesArePkcs8PemWithMode0600() throws Exception {
        String kid;
        try (DevSts sts = start()) {
            kid = sts.zones().get(0).kids().get(0);
        }

        Path file = dir.resolve("zone_dev").resolve(kid + ".pem");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    }

    @Test
    void rotatedKeysAndTheirGraceSurviveARestart() {
        String old;
        String current;
        try (DevSts sts = start()) {
            old = sts.zones().get(0).kids().get(0);
            current = sts.rotate("zone_dev").kid();
        }

        try (DevSts sts = start()) {
            assertThat(sts.zones().get(0).kids()).containsExactly(current, old);
            assertThat(Tokens.header(sts.mint(MintRequest.builder().audience(AUD).build()).accessToken()).get("kid"))
                    .isEqualTo(current);
        }

        clock.advance(Duration.ofHours(24));
        try (DevSts sts = start()) {
            assertThat(sts.zones().get(0).kids()).containsExactly(current);
        }
    }

    @Test
    void keysCreatedAfterAReloadSortAfterTheReloadedOnes() {
        String first;
        try (DevSts sts = start()) {
            first = sts.zones().get(0).kids().get(0);
        }
        clock.advance(Duration.ofHours(-1)); // a clock behind the stored kids

        String second;
        try (DevSts sts = start()) {
            second = sts.rotate("zone_dev").kid();
        }

        assertThat(second).isGreaterThan(first);
        try (DevSts sts = start()) {
            assertThat(sts.zones().get(0).kids()).containsExactly(second, first);
        }
    }

    @Test
    void zoneIdsThatAreNotPlainNamesStayInsideTheKeyDir() throws Exception {
        String zone = "../escape/zone ü%";
        try (DevSts sts = start()) {
            sts.rotate(zone);
            sts.rotate("..");
        }

        try (Stream<Path> files = Files.walk(dir.getParent(), 1)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).doesNotContain("escape");
        }
        assertThat(dir.resolve(KeyFiles.encodeZone(zone))).isDirectory();
        assertThat(KeyFiles.encodeZone(zone)).doesNotContain("/").isEqualTo("..%2Fescape%2Fzone%20%C3%BC%25");
        assertThat(KeyFiles.encodeZone("..")).isEqualTo("%2E%2E");
        try (DevSts sts = start()) {
            assertThat(sts.zones()).extracting(ZoneInfo::zoneId).contains(zone, "..");
        }
    }

    @Test
    void unreadableKeyFileRefusesStartNamingTheFile() throws Exception {
        Path zoneDir = Files.createDirectories(dir.resolve("zone_dev"));
        Path bad = zoneDir.resolve("0190a4c2-0000-7000-8000-000000000000.pem");
        Files.writeString(bad, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(this::start).isInstanceOf(IllegalStateException.class).hasMessageContaining(bad.toString());
    }

    @Test
    void keyFileNotNamedByAUuidV7RefusesStart() throws Exception {
        Files.writeString(Files.createDirectories(dir.resolve("zone_dev")).resolve("k1.pem"), "x");

        assertThatThrownBy(this::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("k1.pem");
    }

    @Test
    void withoutAKeyDirNothingIsWritten() throws Exception {
        try (DevSts sts = DevSts.builder().start()) {
            sts.rotate("zone_dev");
        }

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
