package ai.caracal.servlet;

import ai.caracal.testkit.parity.ConnectorParityContract;
import ai.caracal.testkit.parity.ParityFixture;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** connectors.md §9 on a real embedded Tomcat 10.1: every row, none skipped. */
class TomcatParityTest extends ConnectorParityContract {

    private TomcatForTests tomcat;

    @Override
    protected URI start(ParityFixture f) {
        CaracalFilter.Builder filter = CaracalFilter.builder()
                .verifier(f.verifier())
                .exclude(f.excludes().toArray(String[]::new))
                .permitPreflight(f.permitPreflight())
                .wwwAuthenticate(f.wwwAuthenticate());
        f.routes().forEach(filter::route);
        tomcat = new TomcatForTests().filter(filter.build(), "/*").servlet(new Echo(f), "/*");
        return tomcat.start();
    }

    @Override
    protected void stop() {
        tomcat.close();
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
