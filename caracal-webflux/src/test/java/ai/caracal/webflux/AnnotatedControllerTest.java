package ai.caracal.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.Claims;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;

/** {@code @CaracalClaims} on annotated WebFlux controllers, in a real {@code @EnableWebFlux} application. */
@CaracalTest
class AnnotatedControllerTest {

    private static AnnotationConfigApplicationContext context;
    private static NettyForTests server;

    /** A marker of the application's own, resolved through {@link CaracalClaimsArgumentResolver#forAnnotations}. */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    @interface Verified {
        boolean required() default true;
    }

    @BeforeAll
    static void start(TestIssuer issuer) {
        context = new AnnotationConfigApplicationContext();
        context.registerBean(CaracalWebFilter.class, () -> CaracalWebFilter.builder()
                .verifier(issuer.verifier().build()).exclude("/open").build());
        context.register(WebConfig.class, Controller.class);
        context.refresh();
        server = NettyForTests.start(WebHttpHandlerBuilder.applicationContext(context).build());
    }

    @AfterAll
    static void stop() {
        server.close();
        context.close();
    }

    @Test
    @DisplayName("a required Claims parameter gets the verified claims")
    void requiredClaimsAreInjected(TestIssuer issuer) {
        assertThat(Http.get(server.uri(), "/claims", issuer.mint().sub("user-9").sign()).body()).isEqualTo("user-9");
    }

    @Test
    @DisplayName("without claims (excluded path): required → 500, Optional → empty, required=false → null")
    void absentClaims() {
        assertThat(Http.get(server.uri(), "/open/required", null).statusCode()).isEqualTo(500);
        assertThat(Http.get(server.uri(), "/open/optional", null).body()).isEqualTo("none");
        assertThat(Http.get(server.uri(), "/open/nullable", null).body()).isEqualTo("null");
    }

    @Test
    @DisplayName("forAnnotations resolves another marker, honouring its required()")
    void otherMarkers(TestIssuer issuer) {
        assertThat(Http.get(server.uri(), "/custom", issuer.mint().sub("user-c").sign()).body()).isEqualTo("user-c");
        assertThat(Http.get(server.uri(), "/open/custom-optional", null).body()).isEqualTo("null");
    }

    @Test
    @DisplayName("a rejected request never reaches the controller")
    void rejectedRequestsStopAtTheFilter() {
        assertThat(Http.get(server.uri(), "/claims", null).statusCode()).isEqualTo(401);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebFlux
    static class WebConfig implements WebFluxConfigurer {
        @Override
        public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
            configurer.addCustomResolver(new CaracalClaimsArgumentResolver(),
                    CaracalClaimsArgumentResolver.forAnnotations(Verified.class));
        }
    }

    @RestController
    static class Controller {
        @GetMapping("/claims")
        Mono<String> claims(@CaracalClaims Claims claims) {
            return Mono.just(claims.sub());
        }

        @GetMapping("/open/required")
        String required(@CaracalClaims Claims claims) {
            return claims.sub();
        }

        @GetMapping("/open/optional")
        String optional(@CaracalClaims Optional<Claims> claims) {
            return claims.map(Claims::sub).orElse("none");
        }

        @GetMapping("/open/nullable")
        String nullable(@CaracalClaims(required = false) Claims claims) {
            return String.valueOf(claims);
        }

        @GetMapping("/custom")
        String custom(@Verified Claims claims) {
            return claims.sub();
        }

        @GetMapping("/open/custom-optional")
        String customOptional(@Verified(required = false) Claims claims) {
            return String.valueOf(claims);
        }
    }
}
