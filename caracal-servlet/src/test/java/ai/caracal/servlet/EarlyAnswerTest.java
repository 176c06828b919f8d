package ai.caracal.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.jetty.JettyForTests;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * connectors.md §10.3 beyond parity row P46, on Jetty 12 and Tomcat 10.1: a body announced larger than
 * the drain limit is not read, and the answer, sent before the body, says the connection closes. (What
 * the container does with a body that follows anyway differs: Jetty closes at once, Tomcat swallows up
 * to its {@code maxSwallowSize} first.)
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class EarlyAnswerTest {

    /** A handler that must never run: every request here is rejected at the boundary. */
    static final class Unreachable extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) {
            throw new AssertionError("the handler ran for a rejected request");
        }
    }

    /** Starts a container with the filter in front of {@link Unreachable}; returns its base URI and closer. */
    interface Container extends Function<CaracalFilter, Started> {
    }

    record Started(URI base, AutoCloseable server) {
    }

    static Stream<Arguments> containers() {
        Container jetty = filter -> {
            JettyForTests server = new JettyForTests().filter(filter, "/*").servlet(new Unreachable(), "/*");
            return new Started(server.start(), server);
        };
        Container tomcat = filter -> {
            TomcatForTests server = new TomcatForTests().filter(filter, "/*").servlet(new Unreachable(), "/*");
            return new Started(server.start(), server);
        };
        return Stream.of(Arguments.of("Jetty", jetty), Arguments.of("Tomcat", tomcat));
    }

    @ParameterizedTest(name = "{0}: a body announced over the drain limit is not read; the 401 comes before the body and says Connection: close")
    @MethodSource("containers")
    void bodyOverTheDrainLimitClosesTheConnection(String name, Container container, TestIssuer issuer) throws Exception {
        CaracalFilter filter = CaracalFilter.builder().verifier(issuer.verifier().build()).drainLimit(1024).build();
        Started started = container.apply(filter);
        try (AutoCloseable server = started.server(); Socket socket = new Socket(started.base().getHost(), started.base().getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());

            List<String> head = readHead(in);
            byte[] body = in.readNBytes(contentLength(head));

            assertThat(head.get(0)).startsWith("HTTP/1.1 401");
            assertThat(head).anySatisfy(line -> assertThat(line.toLowerCase(Locale.ROOT)).isEqualTo("connection: close"));
            assertThat(new String(body, StandardCharsets.UTF_8)).startsWith("{\"error\":\"missing_token\"");
        }
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            lines.add(line);
        }
        return lines;
    }

    private static int contentLength(List<String> head) {
        return head.stream().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .map(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no Content-Length in " + head));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new AssertionError("connection closed mid-answer after: " + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
