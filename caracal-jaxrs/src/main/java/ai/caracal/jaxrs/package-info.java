/**
 * Jakarta REST connector (Jersey, RESTEasy, Quarkus REST): {@link ai.caracal.jaxrs.CaracalRequestFilter}
 * verifies the mandate of every request before resource matching and attaches the claims to the
 * request's security context and properties; {@link ai.caracal.jaxrs.CaracalClaims} reads them back.
 */
package ai.caracal.jaxrs;
