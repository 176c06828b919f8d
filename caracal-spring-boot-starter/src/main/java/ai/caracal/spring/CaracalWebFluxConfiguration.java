package ai.caracal.spring;

import ai.caracal.webflux.CaracalClaimsArgumentResolver;
import ai.caracal.webflux.CaracalWebFilter;
import ai.caracal.webflux.CaracalWebSocketService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;

/** The handler API (connectors.md §6.3) for annotated WebFlux controllers, and the WebSocket service. */
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

    /**
     * Verified WebSockets end with their mandate (connectors.md §10.4): the WebFlux
     * {@link WebSocketHandlerAdapter}'s service, whichever it is (Spring's default or the one a
     * {@code WebFluxConfigurer} of the application returns), is wrapped in a {@link CaracalWebSocketService},
     * which closes them with 1008 and the error code. Off with
     * {@code caracal.live-connections.web-socket-service=false}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter")
    @ConditionalOnProperty(name = "caracal.live-connections.web-socket-service", matchIfMissing = true)
    static class WebSockets {

        @Bean
        static BeanPostProcessor caracalWebSocketService() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof WebSocketHandlerAdapter adapter
                            && !(adapter.getWebSocketService() instanceof CaracalWebSocketService)) {
                        WebSocketHandlerAdapter wrapped =
                                new WebSocketHandlerAdapter(new CaracalWebSocketService(adapter.getWebSocketService()));
                        wrapped.setOrder(adapter.getOrder());
                        return wrapped;
                    }
                    return bean;
                }
            };
        }
    }

    @Bean
    CaracalRequiresHandlerAdapter caracalRequiresHandlerAdapter(CaracalWebFilter caracalFilter,
                                                                ObjectProvider<RequestMappingHandlerAdapter> annotated) {
        return new CaracalRequiresHandlerAdapter(caracalFilter.boundary(), annotated);
    }
}
