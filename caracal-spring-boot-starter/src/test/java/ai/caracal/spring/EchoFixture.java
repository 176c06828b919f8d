package ai.caracal.spring;

import ai.caracal.servlet.CaracalRequests;
import ai.caracal.verify.Claims;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The echo handler of the connector parity fixture (connectors.md §9): every path and method answers
 * 200 {@code {"sub": <claims sub or null>}} and counts its calls. It is a plain servlet mapped to
 * {@code /*} (ahead of Spring MVC's dispatcher), so the filter's own behaviour is what is observed,
 * including CORS preflights, which Spring MVC would otherwise answer itself.
 *
 * <p>A {@code SpringParityTest extends ConnectorParityContract} starts
 * {@code TestApp.builder()...sources(EchoFixture.class).bean("echoCalls", counter)} with the fixture's
 * settings as {@code caracal.*} properties.
 */
@Configuration(proxyBeanMethods = false)
class EchoFixture {

    private static final JsonFactory JSON = new JsonFactory();

    @Bean
    ServletRegistrationBean<EchoServlet> echoServlet(org.springframework.beans.factory.ObjectProvider<AtomicInteger> calls) {
        ServletRegistrationBean<EchoServlet> registration =
                new ServletRegistrationBean<>(new EchoServlet(calls.getIfAvailable(AtomicInteger::new)), "/*");
        registration.setAsyncSupported(true);
        return registration;
    }

    /** Answers {@code {"sub": …}} to every request. */
    static final class EchoServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient AtomicInteger calls;

        EchoServlet(AtomicInteger calls) {
            this.calls = calls;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            StringWriter out = new StringWriter();
            try (JsonGenerator json = JSON.createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("sub", CaracalRequests.claims(request).map(Claims::sub).orElse(null));
                json.writeEndObject();
            }
            byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.setContentType("application/json");
            response.setContentLength(body.length);
            if (!"HEAD".equals(request.getMethod())) {
                response.getOutputStream().write(body);
            }
        }
    }
}
