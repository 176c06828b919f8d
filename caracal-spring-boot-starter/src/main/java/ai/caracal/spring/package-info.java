/**
 * Spring Boot starter for Caracal mandate verification (Spring Boot 3.5 and 4.1, servlet stack):
 * {@link ai.caracal.spring.CaracalAutoConfiguration} wires {@link ai.caracal.spring.CaracalProperties}
 * ({@code caracal.*}) into a verifier, a revocation store and the {@code caracalFilter} registration;
 * {@link ai.caracal.spring.CaracalClaims} and {@link ai.caracal.spring.CaracalRequires} are the handler
 * API for Spring MVC.
 */
package ai.caracal.spring;
