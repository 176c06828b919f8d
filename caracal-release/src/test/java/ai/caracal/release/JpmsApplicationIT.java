package ai.caracal.release;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.TestIssuer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A JPMS application ({@code src/it/jpms-app}: {@code requires ai.caracal.verify; requires
 * ai.caracal.jdkhttp;}) compiled and run on the module path with the published jars and nothing else on
 * the command line, as a user would: it only compiles when the jars carry the module names it requires,
 * and it only runs when the modules declare what they need (caracal-verify's module-info: java.net.http,
 * Nimbus, Jackson, BouncyCastle, SLF4J).
 */
class JpmsApplicationIT {

    private static final String MODULE = "ai.caracal.examples.jpms";

    @Test
    @DisplayName("a module-path application using caracal-verify and caracal-jdkhttp compiles, runs and verifies")
    void moduleApplicationVerifiesMandates() throws Exception {
        String modulePath = System.getProperty("caracal.jpms.modulePath");
        assertThat(modulePath).as("module path from the build").isNotBlank();
        for (String entry : modulePath.split(File.pathSeparator)) {
            assertThat(entry).as("module path entries are jars (run through `verify`, not `test`)").endsWith(".jar");
        }
        Path work = Path.of(System.getProperty("caracal.jpms.work"));
        Path classes = compile(Path.of(System.getProperty("caracal.jpms.sources")), modulePath, work);

        try (TestIssuer issuer = TestIssuer.start("zone_jpms", "resource://jpms")) {
            Process app = new ProcessBuilder(javaLauncher(),
                    "--module-path", classes + File.pathSeparator + modulePath,
                    "--module", MODULE + "/" + MODULE + ".ProtectedApp",
                    issuer.url(), issuer.zone(), issuer.audience())
                    .redirectError(work.resolve("app.err").toFile())
                    .start();
            try {
                String line = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                assertThat(line).as("first line of the application (stderr in %s)", work.resolve("app.err"))
                        .isNotNull().startsWith("listening ");
                String[] words = line.split(" ");
                assertThat(words[2]).as("MandateVerifier's module: module-info").isEqualTo("ai.caracal.verify");
                assertThat(words[3]).as("CaracalHttpFilter's module: the jar's Automatic-Module-Name")
                        .isEqualTo("ai.caracal.jdkhttp(automatic)");

                URI whoami = URI.create(words[1] + "/whoami");
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(whoami).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(anonymous.statusCode()).isEqualTo(401);
                assertThat(anonymous.body()).contains("\"error\":\"missing_token\"");

                Instant now = Instant.now();
                String mandate = issuer.mint().sub("jpms-user").issuedAt(now).expiresAt(now.plus(Duration.ofMinutes(5)))
                        .sign();
                HttpResponse<String> verified = http.send(HttpRequest.newBuilder(whoami)
                        .header("Authorization", "Bearer " + mandate).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(verified.statusCode()).isEqualTo(200);
                assertThat(verified.body()).isEqualTo("jpms-user");
            } finally {
                app.getOutputStream().close();
                if (!app.waitFor(30, TimeUnit.SECONDS)) {
                    app.destroyForcibly();
                }
            }
        }
    }

    private static Path compile(Path sources, String modulePath, Path work) throws IOException {
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--module-path", modulePath,
                "-Xlint:all,-requires-automatic", "-Werror"));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> args.add(file.toString()));
        }
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new));
        assertThat(status).as("javac of the JPMS application (output above)").isZero();
        return classes;
    }

    private static String javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
