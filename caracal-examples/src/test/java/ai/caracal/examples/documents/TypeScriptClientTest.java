package ai.caracal.examples.documents;

import static ai.caracal.examples.documents.McpHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The official MCP TypeScript SDK client ({@code @modelcontextprotocol/sdk}, pinned with the committed
 * {@code src/test/ts-client/package-lock.json} and installed with {@code npm ci} under
 * {@code target/ts-client}) against {@code documents-mcp} as {@code caracal serve} runs it:
 *
 * <ul>
 *   <li>{@code smoke.mjs}: without a token, 401 and a challenge naming the RFC 9728 document; the
 *       document; with a mandate, the listing and {@code search}.</li>
 *   <li>{@code stepup.mjs}: the SDK's own authorization path acts on the 403 step-up challenge of
 *       {@code get_document} (connectors.md §10.2 M9): it reads the metadata, asks the authorization
 *       server's token endpoint (a small OAuth server here, minting mandates with the test issuer) for the
 *       challenged scopes, and its retry succeeds.</li>
 * </ul>
 *
 * Node 20+ and npm are required: without them the test fails, unless {@code CARACAL_SKIP_NODE_TESTS=1}
 * says to skip it (then it is reported as skipped, never passed).
 */
@Tag("integration")
@Tag("node")
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class TypeScriptClientTest {

    private static final Path SOURCES = Path.of("src", "test", "ts-client").toAbsolutePath();
    private static final Path CLIENT_DIR = Path.of("target", "ts-client").toAbsolutePath();
    private static final String AGENT = "agent-ts";

    @BeforeAll
    static void installClient() throws Exception {
        boolean skip = "1".equals(System.getenv("CARACAL_SKIP_NODE_TESTS"));
        org.junit.jupiter.api.Assumptions.assumeFalse(skip, "CARACAL_SKIP_NODE_TESTS=1: the TypeScript client tests are skipped");
        assertThat(runs("node", "--version") && runs("npm", "--version"))
                .as("node and npm must be installed for the TypeScript client tests (Node 20+); set CARACAL_SKIP_NODE_TESTS=1 to skip them")
                .isTrue();
        Files.createDirectories(CLIENT_DIR);
        byte[] lock = Files.readAllBytes(SOURCES.resolve("package-lock.json"));
        Path installedLock = CLIENT_DIR.resolve("node_modules/.package-lock.json.installed");
        boolean installed = Files.exists(installedLock) && java.util.Arrays.equals(Files.readAllBytes(installedLock), lock);
        for (String file : List.of("package.json", "package-lock.json", "smoke.mjs", "stepup.mjs")) {
            Files.copy(SOURCES.resolve(file), CLIENT_DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!installed) {
            Path log = CLIENT_DIR.resolve("npm-ci.log");
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(CLIENT_DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = npm.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                npm.destroyForcibly();
            }
            assertThat(done && npm.exitValue() == 0).as("npm ci in %s (log: %s)", CLIENT_DIR, log).isTrue();
            Files.write(installedLock, lock);
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

    private static Map<String, Object> runScript(String script, String mcpUrl, String mandate) throws Exception {
        Path stderr = CLIENT_DIR.resolve(script + ".stderr.log");
        ProcessBuilder node = new ProcessBuilder("node", script, mcpUrl).directory(CLIENT_DIR.toFile()).redirectError(stderr.toFile());
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
        assertThat(done && process.exitValue() == 0).as("node %s exited 0 (stderr: %s)", script, read(stderr)).isTrue();
        List<String> lines = new String(stdout, StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).as("stdout of node %s", script).isNotEmpty();
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
    @DisplayName("TypeScript SDK client: 401 with resource_metadata, the metadata document, then the listing and search with a mandate")
    @SuppressWarnings("unchecked")
    void smoke(TestIssuer issuer) throws Exception {
        issuer.clock().set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (DocumentsMcpServer server = DocumentsMcpServer.builder().port(0).issuer(issuer.url()).zoneId("zone_dev")
                .revocations(issuer.revocations()).build().start()) {
            String metadataUrl = server.baseUrl() + "/.well-known/oauth-protected-resource/mcp";

            Map<String, Object> out = runScript("smoke.mjs", server.mcpUrl().toString(), issuer.mint().scope("tool:call").agentSession().sign());

            Map<String, Object> unauthenticated = (Map<String, Object>) out.get("unauthenticated");
            assertThat(unauthenticated).containsEntry("connected", false).containsEntry("status", 401)
                    .containsEntry("wwwAuthenticate", "Bearer resource_metadata=\"" + metadataUrl + "\"");
            assertThat((Map<String, Object>) unauthenticated.get("body")).containsEntry("error", "missing_token");

            Map<String, Object> metadata = (Map<String, Object>) out.get("metadata");
            assertThat(metadata).containsEntry("url", metadataUrl).containsEntry("status", 200);
            assertThat((Map<String, Object>) metadata.get("document"))
                    .containsEntry("resource", server.mcpUrl().toString())
                    .containsEntry("authorization_servers", List.of(issuer.url()))
                    .containsEntry("scopes_supported", List.of("tool:call", "documents:read"));

            assertThat(out.get("tools")).as("get_document is hidden from a mandate that cannot call it").isEqualTo(List.of("search", "whoami"));
            Map<String, Object> search = (Map<String, Object>) out.get("search");
            assertThat(search.get("isError")).isNotEqualTo(true);
            assertThat((List<Map<String, Object>>) search.get("content")).singleElement()
                    .satisfies(content -> assertThat(content.get("text"))
                            .isEqualTo("[{\"id\":\"1\",\"title\":\"Result for: from typescript\"}]"));
        }
    }

    @Test
    @DisplayName("TypeScript SDK client: the 403 step-up challenge of get_document makes the SDK obtain a mandate with documents:read and retry successfully")
    @SuppressWarnings("unchecked")
    void stepUp(TestIssuer issuer) throws Exception {
        issuer.clock().set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (TokenEndpoint tokens = new TokenEndpoint(issuer);
             DocumentsMcpServer server = DocumentsMcpServer.builder().port(0).issuer(issuer.url()).zoneId("zone_dev")
                     .revocations(issuer.revocations()).authorizationServers(tokens.url()).build().start()) {
            String metadataUrl = server.baseUrl() + "/.well-known/oauth-protected-resource/mcp";
            String delegatedWithoutDocumentsRead = issuer.mint().scope("tool:call").agentSession(AGENT).delegationEdge()
                    .chain("app_orchestrator", "app_dev").delegationPath("edge-1").hopCount(1).sign();

            Map<String, Object> out = runScript("stepup.mjs", server.mcpUrl().toString(), delegatedWithoutDocumentsRead);

            assertThat(out.get("toolsBefore")).isEqualTo(List.of("search", "whoami"));
            List<Map<String, Object>> challenges = (List<Map<String, Object>>) out.get("challenges");
            assertThat(challenges).singleElement().satisfies(challenge -> {
                assertThat(challenge).containsEntry("status", 403).containsEntry("wwwAuthenticate",
                        "Bearer error=\"insufficient_scope\", error_description=\"Mandate lacks scope: documents:read\", "
                                + "scope=\"tool:call documents:read\", resource_metadata=\"" + metadataUrl + "\"");
                assertThat((Map<String, Object>) challenge.get("body")).containsEntry("error", "insufficient_scope");
            });
            assertThat(out.get("tokenRequests")).isEqualTo(List.of("tool:call documents:read"));
            assertThat(tokens.granted()).containsExactly("tool:call documents:read");
            Map<String, Object> document = (Map<String, Object>) out.get("document");
            assertThat(document.get("isError")).isNotEqualTo(true);
            assertThat((Map<String, Object>) document.get("structuredContent"))
                    .containsEntry("id", "doc-ts").containsEntry("content", "Document content here");
            assertThat(out.get("toolsAfter")).isEqualTo(List.of("search", "get_document", "whoami"));
        }
    }

    /**
     * An OAuth authorization server just large enough for the SDK's client-credentials path: its RFC 8414
     * metadata, and a token endpoint that mints, with the test issuer, a delegated mandate for the same
     * principal and agent session with the scopes asked for.
     */
    private static final class TokenEndpoint implements AutoCloseable {
        private final HttpServer http;
        private final List<String> granted = new CopyOnWriteArrayList<>();

        TokenEndpoint(TestIssuer issuer) throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/.well-known/oauth-authorization-server", exchange -> {
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("issuer", url());
                metadata.put("authorization_endpoint", url() + "/authorize");
                metadata.put("token_endpoint", url() + "/token");
                metadata.put("response_types_supported", List.of("code"));
                metadata.put("grant_types_supported", List.of("client_credentials"));
                metadata.put("token_endpoint_auth_methods_supported", List.of("none"));
                answer(exchange, 200, io.modelcontextprotocol.json.McpJsonDefaults.getMapper().writeValueAsString(metadata));
            });
            http.createContext("/token", exchange -> {
                Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                if (!"POST".equals(exchange.getRequestMethod()) || !"client_credentials".equals(form.get("grant_type"))) {
                    answer(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
                    return;
                }
                String scope = form.getOrDefault("scope", "");
                granted.add(scope);
                String mandate = issuer.mint().scope(scope.split(" ")).agentSession(AGENT).delegationEdge()
                        .chain("app_orchestrator", "app_dev").delegationPath("edge-1").hopCount(1).sign();
                answer(exchange, 200, "{\"access_token\":\"" + mandate + "\",\"token_type\":\"Bearer\",\"expires_in\":300,"
                        + "\"scope\":\"" + scope + "\"}");
            });
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        List<String> granted() {
            return granted;
        }

        private static Map<String, String> form(String body) {
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
            return form;
        }

        private static void answer(HttpExchange exchange, int status, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
