package ai.caracal.spring;

import ai.caracal.servlet.CaracalRequests;
import ai.caracal.testkit.parity.ConnectorParityContract;
import ai.caracal.testkit.parity.ParityFixture;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.Requirements;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * connectors.md §9 on a real Spring Boot application (embedded Tomcat), configured the way users do:
 * the fixture's verifier as a {@link MandateVerifier} bean, routes, exclusions and flags as
 * {@code caracal.*} properties. Runs on Boot 3.5 here and on Boot 4.1 in the boot4 test module.
 */
class SpringParityTest extends ConnectorParityContract {

    private TestApp app;

    @Override
    protected URI start(ParityFixture f) {
        TestApp.Builder builder = TestApp.builder()
                .sources(ParityEcho.class)
                .bean("parityFixture", f)
                .bean("fixtureVerifier", f.verifier())
                .property("caracal.warmup-on-startup", "false")
                .property("caracal.permit-preflight", f.permitPreflight())
                .property("caracal.www-authenticate.enabled", f.wwwAuthenticate());
        for (int i = 0; i < f.excludes().size(); i++) {
            builder.property("caracal.exclude[" + i + "]", f.excludes().get(i));
        }
        int n = 0;
        for (Map.Entry<String, Requirements> route : f.routes().entrySet()) {
            String prefix = "caracal.routes[" + n++ + "].";
            Requirements r = route.getValue();
            builder.property(prefix + "prefix", route.getKey());
            r.requiredScopes().ifPresent(scopes -> builder.property(prefix + "required-scopes", String.join(",", scopes)));
            r.requireChainContains().ifPresent(ids -> builder.property(prefix + "require-chain-contains", String.join(",", ids)));
            builder.property(prefix + "require-agent", r.requireAgent());
            builder.property(prefix + "require-delegation", r.requireDelegation());
            if (r.maxHopCount() > 0) {
                builder.property(prefix + "max-hop-count", r.maxHopCount());
            }
        }
        app = builder.start();
        return app.uri("/");
    }

    @Override
    protected void stop() {
        app.close();
    }

    /** The fixture's echo handler as a plain servlet on every path (ahead of Spring MVC, which would answer CORS preflights itself). */
    @Configuration(proxyBeanMethods = false)
    static class ParityEcho {

        @Bean
        ServletRegistrationBean<HttpServlet> parityEchoServlet(ParityFixture fixture) {
            HttpServlet echo = new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    fixture.countHandlerCall();
                    byte[] body = ParityFixture.echoBody(CaracalRequests.claims(request).orElse(null)).getBytes(StandardCharsets.UTF_8);
                    response.setStatus(200);
                    response.setContentType("application/json");
                    response.setContentLength(body.length);
                    if (!"HEAD".equals(request.getMethod())) {
                        response.getOutputStream().write(body);
                    }
                }
            };
            ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(echo, "/*");
            registration.setAsyncSupported(true);
            return registration;
        }
    }
}
