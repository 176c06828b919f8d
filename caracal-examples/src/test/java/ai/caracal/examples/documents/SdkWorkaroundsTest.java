package ai.caracal.examples.documents;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The MCP Java SDK issues {@link DocumentsMcpServer} works around (README, "Known MCP Java SDK issues"),
 * shown on the SDK of this build. Each canary fails once the SDK fixes its issue: the work-around can
 * then go. The example's own behaviour (no stack trace, no leftover thread) is checked next to it.
 */
@Tag("integration")
@CaracalTest(zone = "zone_dev", audience = "resource://documents")
class SdkWorkaroundsTest {

    private static final String SWEEPER = "streamable-http-server-transport-session-sweeper";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}";

    private static HttpResponse<String> postUnknownSession(URI mcp) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(mcp).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Mcp-Session-Id", "no-such-session").POST(HttpRequest.BodyPublishers.ofString(PING)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("canary: the SDK's servlet transport answers an unknown session with a serialised exception, stack trace included")
    void sdkTransportSerialisesItsException() throws Exception {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint("/mcp").sessionSweepInterval(null).build();
        McpSyncServer mcp = McpServer.sync(transport).serverInfo("canary", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build()).build();
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(transport);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/mcp");
        jetty.setHandler(context);
        jetty.start();
        try {
            HttpResponse<String> response = postUnknownSession(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/mcp"));
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).as("remove JsonRpcErrorMapper once this fails").contains("\"stackTrace\"");
        } finally {
            jetty.stop();
            mcp.close();
        }
    }

    @Test
    @DisplayName("the example answers the same request with a plain JSON-RPC error")
    void exampleAnswersWithoutStackTrace(TestIssuer issuer) throws Exception {
        issuer.clock().set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (DocumentsMcpServer server = DocumentsMcpServer.builder().port(0).issuer(issuer.url()).zoneId("zone_dev")
                .revocations(issuer.revocations()).build().start()) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.mcpUrl()).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + issuer.mint().scope("tool:call").agentSession().sign())
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .header("Mcp-Session-Id", "no-such-session").POST(HttpRequest.BodyPublishers.ofString(PING)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,"
                    + "\"message\":\"Session not found: no-such-session\"}}");
        }
    }

    @Test
    @DisplayName("canary: the SDK's idle-session sweeper is a non-daemon thread that closing the server leaves running; the example starts none")
    void sweeperOutlivesTheServer(TestIssuer issuer) {
        try (DocumentsMcpServer server = DocumentsMcpServer.builder().port(0).issuer(issuer.url()).zoneId("zone_dev")
                .revocations(issuer.revocations()).build().start()) {
            assertThat(sweepers()).as("the example disables the sweeper").isZero();
        }
        long before = sweepers();
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint("/mcp").build();
        McpSyncServer mcp = McpServer.sync(transport).serverInfo("canary", "1.0.0").build();
        mcp.closeGracefully();
        assertThat(sweepers()).as("remove sessionSweepInterval(null) once this fails").isEqualTo(before + 1);
    }

    /** @return live non-daemon sweeper threads */
    private static long sweepers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(SWEEPER) && thread.isAlive() && !thread.isDaemon())
                .count();
    }
}
