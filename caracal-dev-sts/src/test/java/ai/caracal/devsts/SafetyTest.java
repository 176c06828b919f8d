package ai.caracal.devsts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * devtools.md §1.1: the banner, loopback-only binding, the {@code CARACAL_MODE} refusal. The environment
 * cannot be set in-process, so the mode tests (tagged {@code slow}) run {@link DevStsMain} in a child JVM.
 */
class SafetyTest {

    /** The result of a child JVM. */
    private record Child(int exit, String stdout, String stderr) {
    }

    private static Child runChild(String mode, String caracalMode, String classPath) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classPath, DevStsMain.class.getName(), mode);
        builder.environment().remove(Safety.MODE_VARIABLE);
        if (caracalMode != null) {
            builder.environment().put(Safety.MODE_VARIABLE, caracalMode);
        }
        Process process = builder.start();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread out = new Thread(() -> copy(process.getInputStream(), stdout));
        Thread err = new Thread(() -> copy(process.getErrorStream(), stderr));
        out.start();
        err.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child JVM did not finish within 60 s");
        }
        out.join(5_000);
        err.join(5_000);
        return new Child(process.exitValue(), stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    private static void copy(java.io.InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // the process ended
        }
    }

    private static String testClassPath() {
        return System.getProperty("java.class.path");
    }

    @Tag("slow")
    @ParameterizedTest
    @ValueSource(strings = {"rc", "stable", "RC", " stable "})
    void startIsRefusedInRcAndStableModes(String mode) throws Exception {
        Child child = runChild("start", mode, testClassPath());

        assertThat(child.exit()).as("stdout %s stderr %s", child.stdout(), child.stderr()).isEqualTo(3);
        assertThat(child.stdout()).contains(DevStsMain.REFUSED).contains("CARACAL_MODE").doesNotContain(DevStsMain.STARTED);
        assertThat(child.stderr()).doesNotContain(Safety.BANNER);
    }

    @Tag("slow")
    @ParameterizedTest
    @ValueSource(strings = {"dev", "", "rc1", "unstable"})
    void otherModesStartAndPrintTheBanner(String mode) throws Exception {
        Child child = runChild("start", mode, testClassPath());

        assertThat(child.exit()).as("stdout %s stderr %s", child.stdout(), child.stderr()).isZero();
        assertThat(child.stdout()).contains(DevStsMain.STARTED);
        assertThat(child.stderr()).contains(Safety.BANNER + System.lineSeparator());
    }

    @Tag("slow")
    @Test
    void startsWithoutCaracalMode() throws Exception {
        assertThat(runChild("start", null, testClassPath()).exit()).isZero();
    }

    @Tag("slow")
    @Test
    void runsWithoutLettuceOrTheRedisModuleOnTheClassPath() throws Exception {
        String withoutRedis = Arrays.stream(testClassPath().split(File.pathSeparator))
                .filter(entry -> !entry.contains("lettuce") && !entry.contains("caracal-revocation-redis")
                        && !entry.contains("netty") && !entry.contains("reactor"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(withoutRedis).isNotEqualTo(testClassPath());

        Child minted = runChild("mint", null, withoutRedis);
        assertThat(minted.exit()).as("stdout %s stderr %s", minted.stdout(), minted.stderr()).isZero();
        assertThat(minted.stdout()).contains(DevStsMain.MINTED + "200 200");

        Child redis = runChild("redis", null, withoutRedis);
        assertThat(redis.exit()).isEqualTo(3);
        assertThat(redis.stdout()).contains("caracal-revocation-redis");
    }

    @Test
    void bannerGoesToStderrAtStart() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (DevSts sts = DevSts.builder().start()) {
            assertThat(sts.port()).isPositive();
        } finally {
            System.setErr(original);
        }

        assertThat(captured.toString(StandardCharsets.UTF_8))
                .isEqualTo("DEVELOPMENT ONLY: this issuer is not a Caracal STS" + System.lineSeparator());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.1", "8.8.8.8"})
    void nonLoopbackHostIsRefusedWithoutAllowRemote(String host) {
        assertThatThrownBy(() -> DevSts.builder().host(host).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("allowRemote");
    }

    @Test
    void allowRemotePermitsANonLoopbackAddress() {
        assertThat(Safety.bindAddress("0.0.0.0", true).isAnyLocalAddress()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "::1", "127.0.0.2"})
    void loopbackHostsBindWithoutAllowRemote(String host) {
        try (DevSts sts = DevSts.builder().host(host).start()) {
            Http.Answer health = new Http(sts).get("/health");

            assertThat(health.status()).isEqualTo(200);
            assertThat(sts.issuer()).isEqualTo(sts.url()).startsWith("http://").doesNotEndWith("/");
        }
    }

    @Test
    void ipv6LoopbackIssuerIsBracketed() {
        try (DevSts sts = DevSts.builder().host("::1").start()) {
            assertThat(sts.issuer()).isEqualTo("http://[::1]:" + sts.port());
        }
    }

    @Test
    void closeIsIdempotentAndStopsServing() {
        DevSts sts = DevSts.builder().start();
        Http http = new Http(sts);
        sts.close();
        sts.close();

        assertThatThrownBy(() -> http.get("/health")).isInstanceOf(java.io.UncheckedIOException.class);
    }

    @Test
    void builderRejectsBadOptionsNamingThem() {
        List<Runnable> bad = new ArrayList<>();
        bad.add(() -> DevSts.builder().defaultTtl(java.time.Duration.ofSeconds(901)));
        bad.add(() -> DevSts.builder().defaultTtl(java.time.Duration.ZERO));
        bad.add(() -> DevSts.builder().defaultTtl(java.time.Duration.ofMillis(1500)));
        bad.add(() -> DevSts.builder().streamHmacKeyHex("07".repeat(31)));
        bad.add(() -> DevSts.builder().streamHmacKeyHex("zz".repeat(32)));
        bad.add(() -> DevSts.builder().streamHmacKey(new byte[31]));
        bad.add(() -> DevSts.builder().issuer("ftp://x"));
        bad.add(() -> DevSts.builder().issuer("http://x/?q=1"));
        bad.add(() -> DevSts.builder().zones(List.of()));
        bad.add(() -> DevSts.builder().zones(""));
        bad.add(() -> DevSts.builder().port(70_000));
        String[] names = {"defaultTtl", "defaultTtl", "defaultTtl", "streamHmacKeyHex", "streamHmacKeyHex", "streamHmacKey",
                "issuer", "issuer", "zones", "zones", "port"};
        for (int i = 0; i < bad.size(); i++) {
            assertThatThrownBy(bad.get(i)::run).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(names[i]);
        }
    }

    @Test
    void configuredIssuerIsUsedExactly() {
        try (DevSts sts = DevSts.builder().issuer("https://sts.dev.example/").start()) {
            MintResponse minted = sts.mint(MintRequest.builder().audience("a").build());

            assertThat(minted.claims()).containsEntry("iss", "https://sts.dev.example/");
            assertThat(sts.url()).isEqualTo("http://127.0.0.1:" + sts.port());
        }
    }
}
