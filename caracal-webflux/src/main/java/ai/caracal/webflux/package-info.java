/**
 * Spring WebFlux connector: {@link ai.caracal.webflux.CaracalWebFilter} verifies the mandate of every
 * request before any handler runs, without blocking an event loop, and attaches the claims to the
 * exchange and the Reactor context; {@link ai.caracal.webflux.CaracalExchanges} reads them back
 * (functional endpoints included); {@link ai.caracal.webflux.CaracalClaimsArgumentResolver} injects
 * {@link ai.caracal.webflux.CaracalClaims} parameters of annotated controllers;
 * {@link ai.caracal.webflux.WebFluxResponses} writes the boundary's answers.
 */
package ai.caracal.webflux;
