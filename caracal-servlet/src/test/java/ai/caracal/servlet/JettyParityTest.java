package ai.caracal.servlet;

import ai.caracal.testkit.jetty.JettyForTests;
import ai.caracal.testkit.parity.ConnectorParityContract;
import ai.caracal.testkit.parity.ParityFixture;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** connectors.md §9 on a real Jetty 12 (EE10) server: every row P1–P46, none skipped. */
class JettyParityTest extends ConnectorParityContract {

    private JettyForTests jetty;

    @Override
    protected URI start(ParityFixture f) {
        CaracalFilter.Builder filter = CaracalFilter.builder()
                .verifier(f.verifier())
                .exclude(f.excludes().toArray(String[]::new))
                .permitPreflight(f.permitPreflight())
                .wwwAuthenticate(f.wwwAuthenticate());
        f.routes().forEach(filter::route);
        jetty = new JettyForTests().filter(filter.build(), "/*").servlet(new Echo(f), "/*");
        return jetty.start();
    }

    @Override
    protected void stop() {
        jetty.close();
    }

    /** The fixture's echo handler: 200 {"sub": claims sub or null}, counted. */
    private static final class Echo extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient ParityFixture fixture;

        Echo(ParityFixture fixture) {
            this.fixture = fixture;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            fixture.countHandlerCall();
            byte[] body = ParityFixture.echoBody(CaracalRequests.claims(request).orElse(null)).getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.setContentType("application/json");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
