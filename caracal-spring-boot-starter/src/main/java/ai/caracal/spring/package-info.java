/**
 * Spring Boot starter for Caracal mandate verification (Spring Boot 3.5 and 4.1):
 * {@link ai.caracal.spring.CaracalAutoConfiguration} (servlet applications) and
 * {@link ai.caracal.spring.CaracalReactiveAutoConfiguration} (Spring WebFlux, with {@code caracal-webflux})
 * wire {@link ai.caracal.spring.CaracalProperties} ({@code caracal.*}) into a verifier, a revocation
 * store and the {@code caracalFilter}; {@link ai.caracal.spring.CaracalClaims} and
 * {@link ai.caracal.spring.CaracalRequires} are the handler API for Spring MVC and WebFlux.
 */
package ai.caracal.spring;
