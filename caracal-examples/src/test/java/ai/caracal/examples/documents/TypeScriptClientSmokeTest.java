package ai.caracal.examples.documents;

import static ai.caracal.examples.documents.McpHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The official MCP TypeScript SDK client against {@code documents-mcp}: connect without a token (401 and
 * a challenge naming the RFC 9728 document), fetch that document, then connect with a mandate and call
 * {@code search}. The SDK is installed once with npm under {@code target/ts-client} and reused by later
 * runs. Skipped only when {@code node} or {@code npm} is not installed.
 */
@Tag("integration")
@Tag("node")
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class TypeScriptClientSmokeTest {

    private static final String SDK_PACKAGE = "@modelcontextprotocol/sdk";
    private static final String SDK_VERSION = "1.32.2";
    private static final Path CLIENT_DIR = Path.of("target", "ts-client").toAbsolutePath();

    @BeforeAll
    static void installClient() throws Exception {
        assumeTrue(runs("node", "--version") && runs("npm", "--version"),
                "node and npm are not installed: the TypeScript client smoke test needs Node 20+ with npm");
        Path installed = CLIENT_DIR.resolve("node_modules/" + SDK_PACKAGE + "/package.json");
        if (!Files.exists(installed) || !json(Files.readString(installed)).get("version").equals(SDK_VERSION)) {
            Files.createDirectories(CLIENT_DIR);
            Process npm = new ProcessBuilder("npm", "install", "--prefix", CLIENT_DIR.toString(),
                    SDK_PACKAGE + "@" + SDK_VERSION, "--no-audit", "--no-fund", "--loglevel=error")
                    .redirectErrorStream(true)
                    .redirectOutput(CLIENT_DIR.resolve("npm-install.log").toFile())
                    .start();
            boolean done = npm.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                npm.destroyForcibly();
            }
            assertThat(done && npm.exitValue() == 0)
                    .as("npm install %s@%s (log: %s)", SDK_PACKAGE, SDK_VERSION, CLIENT_DIR.resolve("npm-install.log"))
                    .isTrue();
        }
        try (InputStream script = TypeScriptClientSmokeTest.class.getResourceAsStream("/ts-client/smoke.mjs")) {
            Files.copy(script, CLIENT_DIR.resolve("smoke.mjs"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Map<String, Object> runSmokeScript(String mcpUrl, String mandate) throws Exception {
        Path stderr = CLIENT_DIR.resolve("smoke-stderr.log");
        ProcessBuilder node = new ProcessBuilder("node", "smoke.mjs", mcpUrl)
                .directory(CLIENT_DIR.toFile())
                .redirectError(stderr.toFile());
        node.environment().put("MCP_MANDATE", mandate);
        Process process = node.start();
        byte[] stdout;
        try (InputStream out = process.getInputStream()) {
            stdout = out.readAllBytes();
        }
        boolean done = process.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        assertThat(done && process.exitValue() == 0).as("node smoke.mjs exited 0 (stderr: %s)", read(stderr)).isTrue();
        List<String> lines = new String(stdout, StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).as("stdout of node smoke.mjs").isNotEmpty();
        return json(lines.get(lines.size() - 1));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName("TypeScript SDK client: 401 with resource_metadata, the metadata document, then search with a mandate")
    @SuppressWarnings("unchecked")
    void typescriptClient(TestIssuer issuer) throws Exception {
        issuer.clock().set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (DocumentsMcpServer server = DocumentsMcpServer.builder().port(0).issuer(issuer.url()).zoneId("zone_dev")
                .revocations(issuer.revocations()).build().start()) {
            String metadataUrl = server.baseUrl() + "/.well-known/oauth-protected-resource/mcp";

            Map<String, Object> out = runSmokeScript(server.mcpUrl().toString(),
                    issuer.mint().scope("tool:call").agentSession().sign());

            Map<String, Object> unauthenticated = (Map<String, Object>) out.get("unauthenticated");
            assertThat(unauthenticated).containsEntry("connected", false).containsEntry("status", 401)
                    .containsEntry("wwwAuthenticate", "Bearer resource_metadata=\"" + metadataUrl + "\"");
            assertThat((Map<String, Object>) unauthenticated.get("body")).containsEntry("error", "missing_token");

            Map<String, Object> metadata = (Map<String, Object>) out.get("metadata");
            assertThat(metadata).containsEntry("url", metadataUrl).containsEntry("status", 200);
            assertThat((Map<String, Object>) metadata.get("document"))
                    .containsEntry("resource", server.mcpUrl().toString())
                    .containsEntry("authorization_servers", List.of(issuer.url()))
                    .containsEntry("scopes_supported", List.of("tool:call"));

            assertThat(out.get("tools")).isEqualTo(List.of("search", "get_document", "whoami"));
            Map<String, Object> search = (Map<String, Object>) out.get("search");
            assertThat(search.get("isError")).isNotEqualTo(true);
            assertThat((List<Map<String, Object>>) search.get("content")).singleElement()
                    .satisfies(content -> assertThat(content.get("text"))
                            .isEqualTo("[{\"id\":\"1\",\"title\":\"Result for: from typescript\"}]"));
        }
    }
}
