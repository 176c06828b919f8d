package ai.caracal.bench.load;

import ai.caracal.examples.servlet.ServletExample;
import ai.caracal.testkit.TestIssuer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Starts two servers for an external load generator and prints four lines: the servlet example's base
 * URL (Jetty 12 + {@code CaracalFilter}, against a loopback test issuer), a repeat-use mandate with
 * {@code documents:read}, the base URL of the control server, and {@code ready}.
 *
 * <p>The control server is the same Jetty 12 servlet set-up without the filter: its
 * {@code GET /api/documents} answers the very bytes and content type the protected endpoint answered,
 * so the two differ only by verification. The example's excluded {@code GET /healthz} is a second
 * comparison (the filter runs, but only its exclusion check). Runs until killed.
 */
public final class HttpThroughputServer {

    private HttpThroughputServer() {
    }

    /**
     * @param args ignored
     * @throws Exception when a server cannot start
     */
    public static void main(String[] args) throws Exception {
        TestIssuer issuer = TestIssuer.start("zone_bench", "resource://examples");
        issuer.clock().set(Instant.now());
        Map<String, String> env = Map.of("CARACAL_STS_URL", issuer.url(), "CARACAL_ZONE_ID", "zone_bench", "PORT", "0");
        ServletExample example = ServletExample.start(env::get);
        String token = issuer.mint().scope("documents:read").agentSession().expiresIn(Duration.ofHours(1)).sign();
        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(example.uri().resolve("/api/documents")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the protected endpoint answered " + answer.statusCode());
        }
        URI control = startControl(answer.body(), answer.headers().firstValue("Content-Type").orElse("application/json"));
        System.out.println(example.uri());
        System.out.println(token);
        System.out.println(control);
        System.out.println("ready");
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static URI startControl(byte[] body, String contentType) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setStatus(200);
                response.setContentType(contentType);
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            }
        }), "/api/documents");
        server.setHandler(context);
        server.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }
}
