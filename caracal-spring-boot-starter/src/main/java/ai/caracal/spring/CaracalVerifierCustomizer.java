package ai.caracal.spring;

import ai.caracal.verify.MandateVerifier;

/**
 * Adjusts the {@link MandateVerifier} the starter builds, for options that have no {@code caracal.*}
 * property (an {@code onVerified} hook, a signature provider, a clock). Declare it as a bean; every
 * customizer bean is applied, in {@link org.springframework.core.annotation.Order} order, after the
 * properties. The key set cache is already set from {@code caracal.jwks.*}, so a customizer must not
 * call the builder's {@code jwks*} shortcuts or {@code jwksCache(...)}. Not used when the application
 * declares its own {@code MandateVerifier} bean.
 */
@FunctionalInterface
public interface CaracalVerifierCustomizer {

    /**
     * @param builder the builder, with every property-backed option already set
     */
    void customize(MandateVerifier.Builder builder);
}
