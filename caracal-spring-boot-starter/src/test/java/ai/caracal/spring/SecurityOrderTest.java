package ai.caracal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.servlet.CaracalFilter;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.Claims;
import jakarta.servlet.Filter;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.AbstractFilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * With Spring Security on the class path (its chain registered by Spring Boot at order -100), the Caracal
 * filter (order -90) runs after the whole security chain: the chain never sees Caracal claims, a path
 * the chain denies never reaches Caracal, and a path it permits is then verified by Caracal.
 */
@CaracalTest
class SecurityOrderTest {

    private static final String PROBE = "test.security-saw-claims";

    private static TestApp app;

    @BeforeAll
    static void start(TestIssuer issuer) {
        app = TestApp.with(issuer).withSecurity().sources(SecurityConfig.class, OrderController.class).start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    @SuppressWarnings("rawtypes")
    void securityChainIsRegisteredBeforeTheCaracalFilter() {
        Map<String, AbstractFilterRegistrationBean> registrations = app.context().getBeansOfType(AbstractFilterRegistrationBean.class);
        int caracal = registrations.get("caracalFilter").getOrder();
        int security = registrations.values().stream()
                .filter(registration -> "springSecurityFilterChain".equals(registration.getFilterName()))
                .findFirst().orElseThrow().getOrder();
        assertThat(security).isEqualTo(-100);
        assertThat(caracal).isEqualTo(-90).isGreaterThan(security);
    }

    @Test
    void securityChainRunsBeforeCaracalAttachesClaims(TestIssuer issuer) {
        HttpResponse<String> response = app.get("/order", Mandates.now(issuer).sub("user-2").sign());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("security-saw-claims=false handler-sub=user-2");
    }

    @Test
    void whatSecurityDeniesNeverReachesCaracal(TestIssuer issuer) {
        HttpResponse<String> response = app.get("/admin/x", Mandates.now(issuer).sign());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("error_hint");
    }

    @Test
    void whatSecurityPermitsIsVerifiedByCaracal() {
        HttpResponse<String> response = app.get("/order", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"error\":\"missing_token\"");
    }

    @Configuration(proxyBeanMethods = false)
    static class SecurityConfig {

        @Bean
        SecurityFilterChain chain(HttpSecurity http) throws Exception {
            Filter probe = (request, response, chain) -> {
                request.setAttribute(PROBE, request.getAttribute(CaracalFilter.CLAIMS_ATTRIBUTE) != null);
                chain.doFilter(request, response);
            };
            return http
                    .authorizeHttpRequests(requests -> requests.requestMatchers("/admin/**").denyAll().anyRequest().permitAll())
                    .csrf(AbstractHttpConfigurer::disable)
                    .addFilterAfter(probe, AuthorizationFilter.class)
                    .build();
        }
    }

    @RestController
    static class OrderController {

        @GetMapping("/order")
        String order(@RequestAttribute(PROBE) boolean securitySawClaims, @CaracalClaims Claims claims) {
            return "security-saw-claims=" + securitySawClaims + " handler-sub=" + claims.sub();
        }
    }
}
