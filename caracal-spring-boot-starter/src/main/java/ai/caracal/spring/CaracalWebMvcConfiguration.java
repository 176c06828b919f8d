package ai.caracal.spring;

import ai.caracal.servlet.CaracalFilter;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The handler API (connectors.md §6.3), when Spring MVC is present. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.web.servlet.config.annotation.WebMvcConfigurer")
class CaracalWebMvcConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CaracalClaimsArgumentResolver caracalClaimsArgumentResolver() {
        return new CaracalClaimsArgumentResolver();
    }

    @Bean
    @ConditionalOnMissingBean
    CaracalRequiresInterceptor caracalRequiresInterceptor(@Qualifier(CaracalFilters.NAME) FilterRegistrationBean<?> caracalFilter) {
        if (!(caracalFilter.getFilter() instanceof CaracalFilter filter)) {
            throw new IllegalStateException("the caracalFilter bean must register a CaracalFilter");
        }
        return new CaracalRequiresInterceptor(filter.boundary());
    }

    @Bean
    WebMvcConfigurer caracalWebMvcConfigurer(CaracalClaimsArgumentResolver claims, CaracalRequiresInterceptor requires) {
        return new Registrar(claims, requires);
    }

    /** Adds the resolver and the interceptor to Spring MVC. */
    private static final class Registrar implements WebMvcConfigurer {
        private final CaracalClaimsArgumentResolver claims;
        private final CaracalRequiresInterceptor requires;

        Registrar(CaracalClaimsArgumentResolver claims, CaracalRequiresInterceptor requires) {
            this.claims = claims;
            this.requires = requires;
        }

        @Override
        public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
            resolvers.add(claims);
        }

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(requires);
        }
    }
}
