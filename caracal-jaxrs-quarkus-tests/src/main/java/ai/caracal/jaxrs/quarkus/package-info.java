/** A Quarkus REST application protected by {@link ai.caracal.jaxrs.CaracalRequestFilter}, for the tests of this module. */
package ai.caracal.jaxrs.quarkus;
