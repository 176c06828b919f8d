package ai.caracal.spring;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.VerificationListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The default rule's verifier and its warm-up, the same for servlet and reactive applications. */
@Configuration(proxyBeanMethods = false)
class CaracalVerifierConfiguration {

    /**
     * @param properties  {@code caracal.*}
     * @param store       the revocation store
     * @param environment the environment, for {@code CARACAL_STS_URL} and {@code CARACAL_ZONE_ID}
     * @param listeners   every {@link VerificationListener} bean (the Micrometer binder among them)
     * @param customizers every {@link CaracalVerifierCustomizer} bean
     * @return the default rule's verifier
     */
    @Bean
    @ConditionalOnMissingBean
    MandateVerifier caracalVerifier(CaracalProperties properties, RevocationStore store, Environment environment,
                                    ObjectProvider<VerificationListener> listeners,
                                    ObjectProvider<CaracalVerifierCustomizer> customizers) {
        return CaracalVerifiers.create(properties, store, environment::getProperty,
                listeners.orderedStream().toList(), customizers.orderedStream().toList());
    }

    /**
     * @param verifier the default rule's verifier
     * @return the warm-up on {@code ApplicationReadyEvent}
     */
    @Bean
    @ConditionalOnProperty(name = "caracal.warmup-on-startup", matchIfMissing = true)
    CaracalWarmup caracalWarmup(MandateVerifier verifier) {
        return new CaracalWarmup(verifier);
    }
}
