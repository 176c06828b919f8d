package ai.caracal.testkit.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class JettyForTestsTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void servesOnLoopbackThroughTheFilterAndStops() throws Exception {
        Filter tag = (request, response, chain) -> {
            request.setAttribute("tag", "filtered:" + request.isAsyncSupported());
            chain.doFilter(request, response);
        };
        HttpServlet echo = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print(req.getAttribute("tag") + " " + getServletContext().getAttribute("name"));
            }
        };
        URI base;
        try (JettyForTests jetty = new JettyForTests().filter(tag, "/*").servlet(echo, "/*")) {
            jetty.context().setAttribute("name", "ctx");
            base = jetty.start();
            assertThat(base.getHost()).isEqualTo("127.0.0.1");

            HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("filtered:true ctx");
        }
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(base.resolve("/x")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
    }
}
