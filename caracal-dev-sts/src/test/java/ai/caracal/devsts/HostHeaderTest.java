package ai.caracal.devsts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.mint.Json;
import ai.caracal.testkit.Eventually;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * devtools.md D16 over real HTTP: requests are written by hand on a socket, because the JDK client will
 * not forge a {@code Host} header, which is exactly what a DNS-rebinding page sends.
 */
class HostHeaderTest {

    private final List<String> requestLog = new ArrayList<>();
    private DevSts sts;

    @BeforeEach
    void start() {
        sts = DevSts.builder().requestLog(line -> {
            synchronized (requestLog) {
                requestLog.add(line);
            }
        }).start();
    }

    @AfterEach
    void stop() {
        sts.close();
    }

    /** The status line and body of one raw HTTP/1.1 exchange with the given header lines. */
    private record Raw(int status, String body) {
    }

    private static Raw send(DevSts target, String requestLine, String... headers) throws IOException {
        return sendWithBody(target, requestLine, "", headers);
    }

    private static Raw sendWithBody(DevSts target, String requestLine, String body, String... headers) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName(URI.create(target.url()).getHost()), target.port())) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(requestLine).append("\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n").append(body);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(response.indexOf(' ') + 1, response.indexOf(' ') + 4));
            return new Raw(status, response.substring(response.indexOf("\r\n\r\n") + 4));
        }
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"evil.example", "evil.example:PORT", "127.0.0.1.evil.example:PORT", "localhost.evil.example",
        "0.0.0.0:PORT", "10.0.0.1:PORT", "localhost:", "localhost:port", "[::2]:PORT", ""})
    void aForeignHostGets421WithTheJsonErrorBody(String host) throws Exception {
        Raw answer = send(sts, "GET /.well-known/jwks.json?zone_id=zone_dev HTTP/1.1", "Host: " + host.replace("PORT", "" + sts.port()));

        assertThat(answer.status()).isEqualTo(421);
        Map<?, ?> body = (Map<?, ?>) Json.read(answer.body().getBytes(StandardCharsets.UTF_8));
        assertThat(body.get("error")).isEqualTo("misdirected_request");
        assertThat((String) body.get("error_description")).contains("Host");
        Eventually.waitUntil(Duration.ofSeconds(10), "the request log line", () -> {
            synchronized (requestLog) {
                return requestLog.contains("GET /.well-known/jwks.json 421");
            }
        });
    }

    @Test
    void aForeignHostCannotMint() throws IOException {
        Raw answer = sendWithBody(sts, "POST /dev/mint HTTP/1.1", "{}", "Host: rebind.attacker.example:" + sts.port(),
                "Content-Type: application/json", "Content-Length: 2");

        assertThat(answer.status()).isEqualTo(421);
        assertThat(answer.body()).doesNotContain("access_token");
    }

    @Test
    void aRequestWithoutHostGets421() throws IOException {
        assertThat(send(sts, "GET /health HTTP/1.0").status()).isEqualTo(421);
    }

    @Test
    void twoHostHeadersGet421() throws IOException {
        assertThat(send(sts, "GET /health HTTP/1.1", "Host: 127.0.0.1", "Host: evil.example").status()).isEqualTo(421);
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:PORT", "localhost", "localhost:PORT", "LocalHost:PORT", "[::1]",
        "[::1]:PORT", "127.0.0.1:8787"})
    void loopbackNamesWithOrWithoutAPortAreAnswered(String host) throws IOException {
        Raw answer = send(sts, "GET /health HTTP/1.1", "Host: " + host.replace("PORT", "" + sts.port()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void theBindHostIsAnswered() throws IOException {
        try (DevSts other = DevSts.builder().host("127.0.0.2").start()) {
            assertThat(send(other, "GET /health HTTP/1.1", "Host: 127.0.0.2:" + other.port()).status()).isEqualTo(200);
            assertThat(send(other, "GET /health HTTP/1.1", "Host: 127.0.0.3:" + other.port()).status()).isEqualTo(421);
        }
    }

    @Test
    void theIssuersHostIsAnswered() throws IOException {
        try (DevSts proxied = DevSts.builder().issuer("https://sts.dev.example").start()) {
            assertThat(send(proxied, "GET /health HTTP/1.1", "Host: sts.dev.example").status()).isEqualTo(200);
            assertThat(send(proxied, "GET /health HTTP/1.1", "Host: STS.dev.example:443").status()).isEqualTo(200);
        }
    }
}
