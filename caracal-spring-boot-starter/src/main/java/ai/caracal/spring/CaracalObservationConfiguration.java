package ai.caracal.spring;

import ai.caracal.verify.CaracalObservation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spans for verification when Micrometer Observation is on the class path and the context has an
 * {@link ObservationRegistry} (Spring Boot's actuator makes one; with Micrometer Tracing it becomes
 * OpenTelemetry or Brave spans): the default rule's verifier gets a {@link CaracalObservation}.
 * {@code caracal.tracing.enabled=false} turns it off. Nothing here is loaded without Micrometer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
@ConditionalOnProperty(name = "caracal.tracing.enabled", matchIfMissing = true)
class CaracalObservationConfiguration {

    /**
     * @param registry the registry, looked up when the verifier is built
     * @return a customizer adding the observation to the verifier when a registry exists
     */
    @Bean
    CaracalVerifierCustomizer caracalObservationCustomizer(ObjectProvider<ObservationRegistry> registry) {
        return builder -> {
            ObservationRegistry found = registry.getIfUnique();
            if (found != null && !found.isNoop()) {
                builder.observation(CaracalObservation.of(found));
            }
        };
    }
}
