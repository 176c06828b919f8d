package ai.caracal.spring;

import ai.caracal.webflux.CaracalClaimsArgumentResolver;
import ai.caracal.webflux.CaracalWebFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerAdapter;

/** The handler API (connectors.md §6.3) for annotated WebFlux controllers. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.web.reactive.config.WebFluxConfigurer")
class CaracalWebFluxConfiguration {

    /** Resolves both {@code ai.caracal.spring.CaracalClaims} and {@code ai.caracal.webflux.CaracalClaims}. */
    @Bean
    WebFluxConfigurer caracalWebFluxConfigurer() {
        CaracalClaimsArgumentResolver claims = CaracalClaimsArgumentResolver.forAnnotations(
                CaracalClaims.class, ai.caracal.webflux.CaracalClaims.class);
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(claims);
            }
        };
    }

    @Bean
    CaracalRequiresHandlerAdapter caracalRequiresHandlerAdapter(CaracalWebFilter caracalFilter,
                                                                ObjectProvider<RequestMappingHandlerAdapter> annotated) {
        return new CaracalRequiresHandlerAdapter(caracalFilter.boundary(), annotated);
    }
}
