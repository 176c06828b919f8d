package ai.caracal.spring;

import ai.caracal.spring.metrics.CaracalMetrics;
import ai.caracal.spring.metrics.RevocationEventMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers {@link CaracalMetrics} when Micrometer is on the classpath and the context has a
 * {@link MeterRegistry}; the verifier then gets it as a listener. With {@code caracal-revocation-redis}
 * on the classpath too, {@link RevocationEventMetrics} is registered as well and the auto-configured
 * stream consumers report to it. Nothing here is loaded without Micrometer, and without a registry
 * neither the verifier nor the consumers have a listener at all (zero cost).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
class CaracalMetricsConfiguration {

    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnMissingBean
    CaracalMetrics caracalMetrics(MeterRegistry registry) {
        return new CaracalMetrics(registry);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "ai.caracal.revocation.redis.StreamEventListener")
    static class StreamEvents {

        @Bean
        @ConditionalOnBean(MeterRegistry.class)
        @ConditionalOnMissingBean
        RevocationEventMetrics caracalRevocationEventMetrics(MeterRegistry registry) {
            return new RevocationEventMetrics(registry);
        }
    }
}
